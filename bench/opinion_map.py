"""`python -m bench opinion-map [--quick|--full]`: our opinion maps vs red-dwarf 0.4.0.

Each engine run happens in its own subprocess (this file with `--worker`), so the peak memory
each reports (`ru_maxrss` of that process) is honest. Cases:

* the three real Pol.is conversations in tests/data/polis (ARI vs Pol.is's `group-id`);
* a seeded synthetic conversation with latent opinion groups (ARI vs the latent groups), at a
  size red-dwarf can finish, run by both engines;
* 100,000 participants x 2,000 statements x 5 million votes, ours alone (red-dwarf needs about
  460 s and 11 GiB there on this machine, per issue 3).

ARI is scikit-learn's `adjusted_rand_score` (Hubert & Arabie 1985), not a hand-written one.

Pol.is data: CC BY 4.0, The Computational Democracy Project (see tests/data/polis/README.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "polis"
REAL = ["vtaiwan.uberx", "canadian-electoral-reform", "15-per-hour-seattle"]
QUICK_SYNTH = [(5_000, 500, 250_000)]
FULL_SYNTH = [(30_000, 2_000, 3_000_000)]
OURS_ONLY = [(100_000, 2_000, 5_000_000)]


def synthetic_votes(
    n_participants: int, n_statements: int, n_votes: int, *, n_groups: int = 3, seed: int = 0
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int8], npt.NDArray[np.int64]
]:
    """Deterministic synthetic conversation: (participant, statement, vote) per vote + latent group.

    Each latent group has its own agree/disagree probability per statement (a third of the
    statements are consensual, the rest split the groups). Participants vote on a random subset
    of statements, heavier voters being rarer (geometric-ish activity), as in real conversations.
    """
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, n_participants)
    base = rng.uniform(-1, 1, n_statements)
    lean = rng.normal(0, 1.2, (n_groups, n_statements))
    lean[:, : n_statements // 3] = 0.0  # consensual statements
    logit = base[None, :] * 1.5 + lean
    p_agree = 1 / (1 + np.exp(-logit)) * 0.85
    activity = rng.gamma(1.5, 1.0, n_participants)
    # draw ~3 % extra so about n_votes remain after repeats are dropped
    per = np.maximum(1, np.round(activity / activity.sum() * n_votes * 1.03)).astype(np.int64)
    per = np.minimum(per, n_statements)
    pid = np.repeat(np.arange(n_participants, dtype=np.int64), per)
    sid = rng.integers(0, n_statements, len(pid)).astype(np.int64)
    # one vote per (participant, statement): drop repeats, keeping the first draw
    first = _first_occurrences(pid * n_statements + sid)
    pid, sid = pid[first], sid[first]
    u = rng.random(len(pid))
    pa = p_agree[group[pid], sid]
    vote = np.where(u < pa, 1, np.where(u < 0.85, -1, 0)).astype(np.int8)
    return pid, sid, vote, group.astype(np.int64)


def _first_occurrences(key: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Ascending positions of each key's first occurrence: `np.unique(key, return_index=True)[1]`
    sorted, by one `np.sort` of key << bits | position (8x faster than argsort at 50M)."""
    n = len(key)
    bits = max(n - 1, 1).bit_length()
    if n == 0 or int(key.max()).bit_length() + bits > 63:
        _, first = np.unique(key, return_index=True)
        return np.sort(first)
    packed = np.sort((key << bits) | np.arange(n, dtype=np.int64))
    head = np.ones(n, dtype=bool)
    head[1:] = (packed[1:] >> bits) != (packed[:-1] >> bits)
    return np.sort(packed[head] & ((1 << bits) - 1))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _load_case(
    case: str,
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int8],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
]:
    """(pid, sid, vote, moderated-out ids, ...) for a real or synthetic case name."""
    from polyvox.analytics.polis_io import read_polis_export

    if case.startswith("synthetic:"):
        n, s, v = (int(x) for x in case.split(":")[1].split("x"))
        pid, sid, vote, _ = synthetic_votes(n, s, v)
        return pid, sid, vote, np.zeros(0, dtype=np.int64), np.arange(s, dtype=np.int64)
    vm = read_polis_export(DATA / case)
    return (
        vm.participant_ids[vm.rows],
        vm.statement_ids[vm.cols],
        vm.values,
        vm.statement_ids[vm.moderated_out],
        vm.statement_ids,
    )


def worker(engine: str, case: str, out: Path) -> None:
    """Run one engine on one case; write {seconds, peak_mib, ids, labels} as JSON to `out`."""
    pid, sid, vote, mod, all_sids = _load_case(case)
    if engine == "ours":
        from polyvox.analytics.opinion_map import compute_opinion_map
        from polyvox.analytics.types import VoteMatrix

        t0 = time.perf_counter()
        vm = VoteMatrix.from_votes(
            pid, sid, vote, all_statement_ids=all_sids, moderated_out_ids=mod
        )
        om = compute_opinion_map(vm, seed=0)
        seconds = time.perf_counter() - t0
        ids, labels = om.participant_ids.tolist(), om.labels.tolist()
    else:
        warnings.filterwarnings("ignore")
        from reddwarf.implementations.polis import run_pipeline

        votes = [
            {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": 0}
            for p, s, v in zip(pid.tolist(), sid.tolist(), vote.tolist(), strict=True)
        ]
        del pid, sid, vote
        t0 = time.perf_counter()
        res = run_pipeline(votes=votes, mod_out_statement_ids=mod.tolist(), random_state=0)
        seconds = time.perf_counter() - t0
        df = res.participants_df[res.participants_df["to_cluster"]]
        ids, labels = [int(i) for i in df.index], [int(x) for x in df["cluster_id"]]
    out.write_text(
        json.dumps({"seconds": seconds, "peak_mib": _peak_mib(), "ids": ids, "labels": labels})
    )


def _run(engine: str, case: str, timeout: float) -> dict[str, object] | None:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "result.json"
        cmd = [sys.executable, "-m", "bench.opinion_map", "--worker", engine, case, str(out)]
        try:
            subprocess.run(cmd, cwd=ROOT, check=True, timeout=timeout, capture_output=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            print(f"  {engine} on {case}: failed ({type(exc).__name__})", flush=True)
            return None
        result: dict[str, object] = json.loads(out.read_text())
        return result


def _reference(case: str) -> dict[int, int]:
    if case.startswith("synthetic:"):
        n, s, v = (int(x) for x in case.split(":")[1].split("x"))
        _, _, _, group = synthetic_votes(n, s, v)
        return dict(enumerate(group.tolist()))
    from polyvox.analytics.polis_io import read_polis_group_ids

    pids, gids = read_polis_group_ids(DATA / case)
    return dict(zip(pids.tolist(), gids.tolist(), strict=True))


def _ari(result: dict[str, object] | None, ref: dict[int, int]) -> float | None:
    from sklearn.metrics import adjusted_rand_score

    if result is None:
        return None
    ours = dict(zip(result["ids"], result["labels"], strict=True))  # type: ignore[call-overload]
    common = sorted(set(ours) & set(ref))
    if len(common) < 2:
        return None
    return float(adjusted_rand_score([ref[p] for p in common], [ours[p] for p in common]))


def _fmt(x: object, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def main(argv: list[str]) -> int:
    """Run the suite and print the table; 0 when ours is never slower than red-dwarf."""
    if argv and argv[0] == "--worker":
        worker(argv[1], argv[2], Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench opinion-map")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick", action="store_true", help="real conversations and a small synthetic one"
    )
    mode.add_argument(
        "--full",
        action="store_true",
        help="also 30k x 2k x 3M (both) and 100k x 2k x 5M (ours) [default]",
    )
    args = parser.parse_args(argv)
    synth = QUICK_SYNTH if args.quick else QUICK_SYNTH + FULL_SYNTH
    cases = [*REAL, *(f"synthetic:{n}x{s}x{v}" for n, s, v in synth)]
    big = [] if args.quick else [f"synthetic:{n}x{s}x{v}" for n, s, v in OURS_ONLY]
    header = f"{'case':34} {'ours s':>8} {'ours MiB':>9} {'base s':>8} {'base MiB':>9} {'ratio':>6} {'ARI ours':>9} {'ARI base':>9}"
    print(header, flush=True)
    slower = False
    for case in [*cases, *big]:
        if not case.startswith("synthetic:") and not (DATA / case).is_dir():
            print(f"{case:34} skipped: no data at {DATA / case}", flush=True)
            continue
        ref = _reference(case)
        ours = _run("ours", case, 900)
        base = _run("red-dwarf", case, 1800) if case not in big else None
        o_s = ours["seconds"] if ours else None
        b_s = base["seconds"] if base else None
        ratio = b_s / o_s if isinstance(o_s, float) and isinstance(b_s, float) and o_s > 0 else None
        slower |= ratio is not None and ratio < 1
        print(
            f"{case:34} {_fmt(o_s, '8.2f')} {_fmt(ours and ours['peak_mib'], '9.0f')} "
            f"{_fmt(b_s, '8.2f')} {_fmt(base and base['peak_mib'], '9.0f')} {_fmt(ratio, '6.1f')} "
            f"{_fmt(_ari(ours, ref), '9.3f')} {_fmt(_ari(base, ref), '9.3f')}",
            flush=True,
        )
    print(
        "ratio = red-dwarf seconds / ours; ARI vs Pol.is group-id (real) or latent groups (synthetic)."
    )
    print(
        "Pol.is data: CC BY 4.0, The Computational Democracy Project (compdemocracy.org/polis); "
        "see tests/data/polis/README.md."
    )
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
