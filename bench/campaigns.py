"""Campaigns benchmark: ours vs datasketch MinHashLSH and rensa, same corpus, same run.

Every engine gets the same file, the same tokens and word shingles (`text_normalization`), the
same threshold, number of permutations and LSH bands, and the same union-find
(`scipy.sparse.csgraph.connected_components`). The baselines run the usual streaming pattern:
MinHash per text, query the LSH index, link to the first candidate whose *estimated* Jaccard
reaches the threshold, otherwise insert the text; then union-find on the links. Each engine runs
in its own subprocess, timed from reading the file to labels (ours also computes templates and
unique additions). Peak memory is the largest proportional set size (PSS) of the engine's
process tree, sampled every 50 ms (or its own peak RSS if larger); PSS counts pages shared with
forked workers once. CPU seconds are user + system time of the engine and its workers.

`python -m bench campaigns [--sizes 10000,100000,1000000] [--quick] [--skip-baselines-above N]`
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from bench import corpus

ENGINES = ("ours", "datasketch", "rensa")
I64 = npt.NDArray[np.int64]


def pairwise_scores(pred: I64, truth: I64) -> tuple[float, float]:
    """Pairwise precision and recall from the contingency table; -1 means a singleton."""

    def pairs(counts: I64) -> int:
        c = counts.astype(np.int64)
        return int((c * (c - 1) // 2).sum())

    predicted = pairs(np.bincount(pred[pred >= 0])) if (pred >= 0).any() else 0
    true = pairs(np.bincount(truth[truth >= 0])) if (truth >= 0).any() else 0
    both = (pred >= 0) & (truth >= 0)
    cell = pred[both] * (int(truth.max(initial=0)) + 1) + truth[both]
    tp = pairs(np.bincount(cell)) if len(cell) else 0
    return (tp / predicted if predicted else 1.0), (tp / true if true else 1.0)


def _labels_from_links(n: int, src: list[int], dst: list[int]) -> I64:
    """The shared union-find: components of the link graph; singletons become -1."""
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    comp = comp.astype(np.int64)
    sizes = np.bincount(comp)
    return np.where(sizes[comp] > 1, comp, -1)


def _shingles(text: str, size: int) -> list[bytes]:
    from polyvox.analytics.text_normalization import tokenize_bytes

    tokens = tokenize_bytes(text)
    if len(tokens) <= size:
        return [b" ".join(tokens)] if tokens else []
    return [b" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


def run_ours(texts: list[str], ids: list[str], args: argparse.Namespace) -> I64:
    from polyvox.analytics.near_duplicates import campaign_additions, group_near_duplicates

    groups = group_near_duplicates(
        texts,
        ids,
        threshold=args.threshold,
        num_perm=args.num_perm,
        shingle_size=args.shingle_size,
        seed=0,
        n_jobs=args.jobs,
    )
    campaign_additions(texts, groups, n_jobs=args.jobs)
    return groups.labels


def run_datasketch(texts: list[str], ids: list[str], args: argparse.Namespace) -> I64:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm, params=args.bands_rows)
    kept: dict[int, MinHash] = {}
    src: list[int] = []
    dst: list[int] = []
    for i, text in enumerate(texts):
        shingles = _shingles(text, args.shingle_size)
        if not shingles:
            continue
        m = MinHash(num_perm=args.num_perm, seed=1)
        m.update_batch(shingles)
        for key in lsh.query(m):
            if m.jaccard(kept[key]) >= args.threshold:
                src.append(i)
                dst.append(key)
                break
        else:
            lsh.insert(i, m)
            kept[i] = m
    return _labels_from_links(len(texts), src, dst)


def run_rensa(texts: list[str], ids: list[str], args: argparse.Namespace) -> I64:
    from rensa import RMinHash, RMinHashLSH

    bands, _ = args.bands_rows
    lsh = RMinHashLSH(threshold=args.threshold, num_perm=args.num_perm, num_bands=bands)
    kept: dict[int, RMinHash] = {}
    src: list[int] = []
    dst: list[int] = []
    batch = 20_000
    for lo in range(0, len(texts), batch):
        sets = [_shingles(t, args.shingle_size) for t in texts[lo : lo + batch]]
        sketches = RMinHash.from_token_sets(sets, num_perm=args.num_perm, seed=1)
        for k, (shingles, m) in enumerate(zip(sets, sketches, strict=True)):
            if not shingles:
                continue
            i = lo + k
            for key in lsh.query(m):
                if m.jaccard(kept[key]) >= args.threshold:
                    src.append(i)
                    dst.append(key)
                    break
            else:
                lsh.insert(i, m)
                kept[i] = m
    return _labels_from_links(len(texts), src, dst)


def run_rensa_dedup(texts: list[str], ids: list[str], args: argparse.Namespace) -> I64:
    """rensa's pipeline on distinct raw texts only (identical copies collapse first, as ours).

    Without this, every unedited copy of a letter is hashed and queried, and candidate lists
    grow with the campaign: the plain pipeline is what a user would write, this one is kinder.
    """
    first: dict[str, int] = {}
    raw = np.fromiter((first.setdefault(t, len(first)) for t in texts), np.int64, len(texts))
    labels = run_rensa(list(first), [], args)
    # Identical copies share their text's label; a text alone but copied is its own cluster.
    copies = np.bincount(raw, minlength=len(first))
    alone = (labels < 0) & (copies > 1)
    labels = labels.copy()
    labels[alone] = labels.max(initial=-1) + 1 + np.arange(int(alone.sum()))
    return labels[raw]


RUNNERS = {
    "ours": run_ours,
    "datasketch": run_datasketch,
    "rensa": run_rensa,
    "rensa-dedup": run_rensa_dedup,
}


def _tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and its descendants: shared pages counted once."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return total


class _PeakMemory(threading.Thread):
    """Samples the process tree's PSS every 50 ms; forked workers share pages with us, so
    adding their RSS would count the texts twice."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        pid = os.getpid()
        while not self.stop.wait(0.05):
            self.peak_kib = max(self.peak_kib, _tree_pss_kib(pid))


def child(args: argparse.Namespace) -> int:
    """Run one engine on one file; write labels and a JSON line of time and memory."""
    from polyvox.analytics.campaigns_cli import read_submissions

    sampler = _PeakMemory()
    sampler.start()
    start = time.perf_counter()
    ids, texts = read_submissions(Path(args.file), "text", "id")
    labels = RUNNERS[args.engine](texts, ids, args)
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    peak_kib = max(sampler.peak_kib, own.ru_maxrss)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    np.save(args.labels, labels)
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak_kib / 1024}))
    return 0


def _parse(argv: list[str]) -> argparse.Namespace:
    from polyvox.analytics.near_duplicates import (
        DEFAULT_NUM_PERM,
        DEFAULT_SHINGLE_SIZE,
        DEFAULT_THRESHOLD,
    )
    from polyvox.analytics.near_duplicates_sketch import choose_bands

    p = argparse.ArgumentParser(prog="python -m bench campaigns")
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--quick", action="store_true", help="10k only")
    p.add_argument("--skip-baselines-above", type=int, default=None, metavar="N")
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    p.add_argument("--num-perm", type=int, default=DEFAULT_NUM_PERM)
    p.add_argument("--shingle-size", type=int, default=DEFAULT_SHINGLE_SIZE)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "polyvox-bench"))
    p.add_argument("--engine", help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    p.add_argument("--labels", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.bands_rows = choose_bands(args.threshold, args.num_perm)
    return args


def main(argv: list[str]) -> int:
    """Print one table row per (size, engine) with time, memory, precision, recall, ratio."""
    args = _parse(argv)
    if args.engine:
        return child(args)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    b, r = args.bands_rows
    print(
        f"threshold {args.threshold}, {args.num_perm} permutations ({b} bands x {r} rows), "
        f"{args.shingle_size}-word shingles, {args.jobs} jobs for ours"
    )
    print(
        f"{'size':>9} {'engine':<11} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9} "
        f"{'precision':>9} {'recall':>7} {'x ours':>7}"
    )
    status = 0
    for n in sizes:
        path = cache / f"corpus-{n}.csv"
        if not path.exists() or not corpus.truth_path(path).exists():
            corpus.write(path, n, seed=0)
        truth = np.load(corpus.truth_path(path))
        ours_seconds = None
        for engine in args.engines.split(","):
            if engine != "ours" and args.skip_baselines_above and n > args.skip_baselines_above:
                print(f"{n:>9} {engine:<11} {'skipped':>8}")
                continue
            labels_path = cache / f"labels-{engine}-{n}.npy"
            cmd = [
                sys.executable,
                "-m",
                "bench",
                "campaigns",
                "--engine",
                engine,
                "--file",
                str(path),
                "--labels",
                str(labels_path),
                "--threshold",
                str(args.threshold),
                "--num-perm",
                str(args.num_perm),
                "--shingle-size",
                str(args.shingle_size),
                "--jobs",
                str(args.jobs),
            ]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                print(f"{n:>9} {engine:<11} failed: {proc.stderr.strip().splitlines()[-1:]}")
                status = 1
                continue
            stats = json.loads(proc.stdout.strip().splitlines()[-1])
            precision, recall = pairwise_scores(np.load(labels_path), truth)
            seconds = stats["seconds"]
            if engine == "ours":
                ours_seconds = seconds
            ratio = f"{seconds / ours_seconds:.2f}" if ours_seconds else "-"
            print(
                f"{n:>9} {engine:<11} {seconds:>8.1f} {stats['cpu_seconds']:>7.1f} "
                f"{stats['peak_mib']:>9.0f} {precision:>9.4f} {recall:>7.4f} {ratio:>7}",
                flush=True,
            )
    return status
