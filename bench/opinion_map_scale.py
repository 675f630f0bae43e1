"""`python -m bench opinion-map-scale [--sizes 100k,1m] [--keep DIR | --reuse DIR]`: opinion maps
at scale, from the files on disk (issue 14 point 5).

For each size a seeded synthetic Pol.is CSV export (`comments.csv`, `votes.csv` with a
`datetime` text column and 1 % superseded votes, rows in comment order as Pol.is exports them) is
written with pyarrow's CSV writer, then measured, each run in its own subprocess so that peak
memory (`ru_maxrss` of that child, from `os.wait4`) is honest:

* whole process: `python -m polyvox.analytics opinion-map DIR --format json`, wall and peak RSS;
* reading alone (`read_polis_export`) and the engine alone (`compute_opinion_map`);
* update: 1,000 further votes, recomputed warm from the previous map's state when the engine
  offers one (`compute_opinion_map(..., previous=state)`), against a cold full recompute;
* baseline: the same reading through the stdlib `csv` path (`_read_votes_csv_stdlib`).
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bench.opinion_map import synthetic_votes

if TYPE_CHECKING:
    from polyvox.analytics.types import VoteMatrix

ROOT = Path(__file__).resolve().parents[1]
SIZES = {
    "100k": (100_000, 2_000, 5_000_000),
    "1m": (1_000_000, 10_000, 50_000_000),
}
START_MS = 1_700_000_000_000  # 2023-11-14: conversations last 30 days
SUPERSEDED = 0.01  # share of votes changed later (an earlier vote on the same pair is in the file)
UPDATE_VOTES = 1_000


def write_export(d: Path, n_p: int, n_s: int, n_v: int, *, seed: int = 0) -> dict[str, float]:
    """Write the synthetic conversation as a Pol.is CSV export; returns timings and sizes."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    from polyvox.analytics.polis_io import COMMENT_FIELDS

    t0 = time.perf_counter()
    d.mkdir(parents=True, exist_ok=True)
    pid, sid, vote, _ = synthetic_votes(n_p, n_s, n_v, seed=seed)
    rng = np.random.default_rng(seed + 1)
    ts = START_MS + rng.integers(0, 30 * 86_400_000, len(pid))
    # superseded votes: an earlier, different vote on the same pair, which reading must drop
    old = np.sort(rng.choice(len(pid), int(len(pid) * SUPERSEDED), replace=False))
    o_ts = ts[old] - rng.integers(1, 86_400_000, len(old))
    o_vote = ((vote[old].astype(np.int64) + 2) % 3 - 1).astype(np.int8)
    pid = np.concatenate([pid, pid[old]])
    sid = np.concatenate([sid, sid[old]])
    vote = np.concatenate([vote, o_vote])
    ts = np.concatenate([ts, o_ts])
    del old, o_ts, o_vote
    # Pol.is exports list votes comment by comment: a stable sort by comment (one np.sort of
    # comment << bits | position, much faster than argsort at 50M rows)
    bits = max(len(sid) - 1, 1).bit_length()
    order = np.sort((sid << bits) | np.arange(len(sid), dtype=np.int64)) & ((1 << bits) - 1)
    pid, sid, vote, ts = pid[order], sid[order], vote[order], ts[order]
    del order
    stamp = pa.array(ts // 1000, type=pa.int64()).cast(pa.timestamp("s"))
    table = pa.table(
        {
            "timestamp": pa.array(ts),
            "datetime": pc.strftime(stamp, format="%a %b %d %H:%M:%S UTC %Y"),
            "comment-id": pa.array(sid),
            "voter-id": pa.array(pid),
            "vote": pa.array(vote),
        }
    )
    t_gen = time.perf_counter() - t0
    pacsv.write_csv(table, d / "votes.csv", write_options=pacsv.WriteOptions(quoting_style="none"))
    del table, stamp
    # comments.csv: agree/disagree counts over all rows, superseded ones included (as Pol.is)
    agrees = np.bincount(sid[vote == 1], minlength=n_s)
    disagrees = np.bincount(sid[vote == -1], minlength=n_s)
    with (d / "comments.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COMMENT_FIELDS)
        for j in range(n_s):
            w.writerow([START_MS + j, "", j, j % 997, agrees[j], disagrees[j], 1, f"Statement {j}"])
    return {
        "generate_s": t_gen,
        "write_s": time.perf_counter() - t0 - t_gen,
        "rows": float(len(pid)),
        "votes_csv_mib": (d / "votes.csv").stat().st_size / 2**20,
    }


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _extra_votes(vm: VoteMatrix, n: int, seed: int) -> tuple[np.ndarray, ...]:
    """`n` further votes by existing and new participants (seeded), after every vote in the file."""
    rng = np.random.default_rng(seed)
    n_p = vm.shape[0]
    pid = np.where(
        rng.random(n) < 0.8,
        vm.participant_ids[rng.integers(0, n_p, n)],
        int(vm.participant_ids.max()) + 1 + rng.integers(0, n // 10 + 1, n),
    )
    sid = vm.statement_ids[rng.integers(0, vm.shape[1], n)]
    val = rng.integers(-1, 2, n)
    return pid, sid, val


def worker(mode: str, d: Path, out: Path) -> None:
    """One measurement in this (fresh) process; writes a JSON document to `out`."""
    from polyvox.analytics import polis_io
    from polyvox.analytics.opinion_map import compute_opinion_map
    from polyvox.analytics.types import VoteMatrix

    result: dict[str, float | None] = {}
    if mode == "stdlib":
        polis_io.read_votes_csv_fast = lambda path: None  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    vm = polis_io.read_polis_export(d)
    result["reading_s"] = time.perf_counter() - t0
    result["n_votes"] = float(vm.n_votes)
    if mode == "engine":
        t0 = time.perf_counter()
        om = compute_opinion_map(vm, seed=0)
        result["engine_s"] = time.perf_counter() - t0
        result["groups"] = float(len(om.groups))
        # update after 1,000 further votes
        pid, sid, val = _extra_votes(vm, UPDATE_VOTES, seed=1)
        t0 = time.perf_counter()
        vm2 = VoteMatrix.from_votes(
            np.concatenate([vm.participant_ids[vm.rows], pid]),
            np.concatenate([vm.statement_ids[vm.cols], sid]),
            np.concatenate([vm.values, val]),
            all_statement_ids=vm.statement_ids,
            moderated_out_ids=vm.statement_ids[vm.moderated_out],
        )
        result["update_matrix_s"] = time.perf_counter() - t0
        del vm
        warm = "previous" in inspect.signature(compute_opinion_map).parameters
        result["update_s"] = None
        if warm and getattr(om, "state", None) is not None:
            t0 = time.perf_counter()
            compute_opinion_map(vm2, seed=0, previous=om.state)  # type: ignore[call-arg,attr-defined]
            result["update_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        compute_opinion_map(vm2, seed=0)
        result["cold_recompute_s"] = time.perf_counter() - t0
    result["peak_mib"] = _peak_mib()
    out.write_text(json.dumps(result))


def _child(cmd: list[str], timeout: float) -> tuple[int, float, float]:
    """(exit status, wall seconds, peak RSS MiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode(errors="replace")[-2000:])
    return proc.returncode, wall, usage.ru_maxrss / 1024.0


def _worker(mode: str, d: Path, timeout: float) -> dict[str, float | None]:
    with tempfile.TemporaryDirectory() as t:
        out = Path(t) / "r.json"
        cmd = [sys.executable, "-m", "bench.opinion_map_scale", "--worker", mode, str(d), str(out)]
        rc, _, _ = _child(cmd, timeout)
        if rc or not out.is_file():
            return {}
        result: dict[str, float | None] = json.loads(out.read_text())
        return result


def _f(x: object, spec: str = "8.2f") -> str:
    return format(x, spec) if isinstance(x, float | int) else "-"


def main(argv: list[str]) -> int:
    """Measure each size; print one table row per size; 1 when a target is missed."""
    if argv and argv[0] == "--worker":
        worker(argv[1], Path(argv[2]), Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench opinion-map-scale")
    parser.add_argument("--sizes", default="100k", help="comma-separated: 100k, 1m (default 100k)")
    parser.add_argument("--keep", type=Path, help="write the exports under DIR and keep them")
    parser.add_argument("--reuse", type=Path, help="use the exports already under DIR")
    parser.add_argument("--no-baseline", action="store_true", help="skip the stdlib reading")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    base = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="polyvox-scale-"))
    missed = False
    rows: list[str] = []
    for size in sizes:
        n_p, n_s, n_v = SIZES[size]
        d = base / f"opinion-map-{size}"
        if not (args.reuse and (d / "votes.csv").is_file()):
            info = write_export(d, n_p, n_s, n_v)
            print(
                f"{size}: generated in {info['generate_s']:.1f} s, written in "
                f"{info['write_s']:.1f} s: {int(info['rows']):,} rows, "
                f"votes.csv {info['votes_csv_mib']:,.0f} MiB",
                flush=True,
            )
        timeout = 1800.0
        cli = [sys.executable, "-m", "polyvox.analytics", "opinion-map", str(d), "--format", "json"]
        rc, wall, peak = _child(cli, timeout)
        eng = _worker("engine", d, timeout)
        std = {} if args.no_baseline else _worker("stdlib", d, timeout)
        limits = (10.0, 2.0) if size == "100k" else (120.0, None)
        missed |= rc != 0
        if size == "1m":
            missed |= wall > 120.0 or peak > 12 * 1024
        else:
            missed |= not isinstance(eng.get("engine_s"), float) or eng["engine_s"] > limits[0]  # type: ignore[operator]
            upd = eng.get("update_s")
            missed |= isinstance(upd, float) and upd > 2.0
        rows.append(
            f"{size} ({n_p:,} x {n_s:,} x {n_v / 1e6:.0f}M) | {_f(eng.get('reading_s'))} | "
            f"{_f(eng.get('engine_s'))} | {_f(wall)} | {_f(peak, '8.0f')} | "
            f"{_f(eng.get('update_s'))} (cold {_f(eng.get('cold_recompute_s'))}) | "
            f"{_f(std.get('reading_s'))} ({_f(std.get('peak_mib'), '.0f')} MiB)"
            + ("" if rc == 0 else f" [CLI exit {rc}]")
        )
        print(
            "case | reading s | engine s | whole process wall s | peak MiB | "
            "update after 1,000 votes s (cold full recompute s) | baseline: stdlib reading s (peak)"
        )
        print("\n".join(rows), flush=True)
        if not args.keep and not args.reuse:
            shutil.rmtree(d, ignore_errors=True)
    print(
        f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"{os.cpu_count()} CPUs; update = compute_opinion_map(previous=state) when available"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
