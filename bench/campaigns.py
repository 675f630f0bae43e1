"""Campaigns benchmark: ours vs datasketch and rensa, each run as its authors recommend.

Every engine gets the same file, the same tokens and word shingles (`text_normalization`), the
same threshold, number of permutations and LSH bands, the same number of cores (`--jobs`) and
the same exact-duplicate pre-pass: identical raw texts collapse, then identical normalised token
sequences, and only the distinct normalised texts are MinHashed. Ours does that pass itself
(`group_near_duplicates`, step 1); the baselines get `exact_prepass` below, built on the same
normalisation, and the table's "distinct" column shows that every engine hashed the same texts.

Baselines, per their documentation (datasketch 2.0, rensa 0.5 README):

* datasketch: `MinHash.bulk` over batches of shingle sets, in a fork pool of `--jobs` worker
  processes (datasketch itself is single-threaded); the signatures become `LeanMinHash`es; each
  text queries the `MinHashLSH` and links to the first candidate whose estimated Jaccard reaches
  the threshold, otherwise it is inserted through `insertion_session()`.
* rensa: `RMinHash.from_token_sets` over the same batches and pool; `RMinHashDeduplicator`
  (`use_lsh=True`) decides with `add_pairs` which texts are kept, and `get_duplicate_sets`
  names, for each text not kept, the kept texts it matches. Rayon threads: `--jobs` in the
  parent, one per worker process.

Links go through the same union-find (`scipy.sparse.csgraph.connected_components`); identical
copies then share their text's label. Each engine runs in its own subprocess, timed from reading
the file to labels (ours also computes templates and unique additions). Peak memory is the
largest proportional set size (PSS) of the engine's process tree, sampled by a thread at most
about 5 % of the time (or its own peak RSS if larger); PSS counts pages shared with forked
workers once. CPU seconds are user + system time of the engine and its workers, without the
sampling thread's.

`python -m bench campaigns [--sizes 10000,100000,1000000] [--quick] [--skip-baselines-above N]
[--jobs 2]`
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from bench import corpus

ENGINES = ("ours", "datasketch", "rensa")
BATCH = 2_000  # distinct texts per sketching job for the baselines
I64 = npt.NDArray[np.int64]
_R = TypeVar("_R")


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


def exact_prepass(texts: list[str]) -> tuple[list[bytes], I64]:
    """The baselines' exact-duplicate pass: (distinct normalised texts, which one each text is).

    Identical raw texts collapse first (form letters are mostly sent unedited), then texts with
    the same normalised token sequence, as in `group_near_duplicates`.
    """
    from polyvox.analytics.text_normalization import normalized_bytes

    first_raw: dict[str, int] = {}
    raw_of = np.fromiter((first_raw.setdefault(t, len(first_raw)) for t in texts), np.int64)
    first_norm: dict[bytes, int] = {}
    norm_of_raw = np.fromiter(
        (
            first_norm.setdefault(b" ".join(normalized_bytes(t).split()), len(first_norm))
            for t in first_raw
        ),
        np.int64,
        len(first_raw),
    )
    return list(first_norm), norm_of_raw[raw_of] if len(texts) else np.empty(0, np.int64)


def _expand(labels: I64, norm_of: I64) -> I64:
    """Labels of distinct texts -> labels of all texts; a text alone but copied is a cluster."""
    copies = np.bincount(norm_of, minlength=len(labels))
    alone = (labels < 0) & (copies > 1)
    labels = labels.copy()
    labels[alone] = labels.max(initial=-1) + 1 + np.arange(int(alone.sum()))
    return labels[norm_of]


def _shingle_sets(keys: list[bytes], size: int) -> list[list[bytes]]:
    """Word shingles of normalised texts (tokens joined by single spaces), as in ours."""
    out = []
    for key in keys:
        tokens = key.split()
        if len(tokens) <= size:
            out.append([b" ".join(tokens)] if tokens else [])
        else:
            out.append([b" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)])
    return out


def _datasketch_batch(
    job: tuple[list[bytes], int, int],
) -> tuple[npt.NDArray[np.uint32], list[bool]]:
    """Worker: `MinHash.bulk` over one batch; returns the signatures and which texts are empty."""
    from datasketch import MinHash

    keys, size, num_perm = job
    sets = _shingle_sets(keys, size)
    sketches = MinHash.bulk(sets, num_perm=num_perm, seed=1)
    return np.stack([m.hashvalues for m in sketches]), [not x for x in sets]


def _rensa_batch(job: tuple[list[bytes], int, int]) -> tuple[list[object], list[bool]]:
    """Worker: `RMinHash.from_token_sets` over one batch (RMinHash objects pickle back)."""
    from rensa import RMinHash

    keys, size, num_perm = job
    sets = _shingle_sets(keys, size)
    return RMinHash.from_token_sets(sets, num_perm=num_perm, seed=1), [not x for x in sets]


def _one_rayon_thread() -> None:
    os.environ["RAYON_NUM_THREADS"] = "1"  # each worker process is one of the `--jobs` cores


def _sketched(
    fn: Callable[[tuple[list[bytes], int, int]], _R], keys: list[bytes], args: argparse.Namespace
) -> Iterator[tuple[int, _R]]:
    """(first index, fn(batch)) over batches of `keys`, in order, from `args.jobs` workers."""
    jobs = [
        (keys[lo : lo + BATCH], args.shingle_size, args.num_perm)
        for lo in range(0, len(keys), BATCH)
    ]
    if args.jobs == 1:
        yield from zip(range(0, len(keys), BATCH), map(fn, jobs), strict=True)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.jobs, initializer=_one_rayon_thread) as pool:
        yield from zip(range(0, len(keys), BATCH), pool.imap(fn, jobs), strict=True)


def run_datasketch(texts: list[str], ids: list[str], args: argparse.Namespace) -> I64:
    from datasketch import LeanMinHash, MinHashLSH

    keys, norm_of = exact_prepass(texts)
    args.distinct = len(keys)
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm, params=args.bands_rows)
    kept: dict[int, LeanMinHash] = {}
    src: list[int] = []
    dst: list[int] = []
    # With in-memory storage the session's inserts are visible to the next query at once.
    with lsh.insertion_session() as session:
        for lo, (signatures, empty) in _sketched(_datasketch_batch, keys, args):
            for k, row in enumerate(signatures):
                if empty[k]:
                    continue
                i = lo + k
                m = LeanMinHash(seed=1, hashvalues=row, scheme="affine32")  # bulk's default
                for key in lsh.query(m):
                    if m.jaccard(kept[key]) >= args.threshold:
                        src.append(i)
                        dst.append(key)
                        break
                else:
                    session.insert(i, m, check_duplication=False)
                    kept[i] = m
    return _expand(_labels_from_links(len(keys), src, dst), norm_of)


def run_rensa(texts: list[str], ids: list[str], args: argparse.Namespace) -> I64:
    from rensa import RMinHashDeduplicator

    keys, norm_of = exact_prepass(texts)
    args.distinct = len(keys)
    bands, _ = args.bands_rows
    dedup = RMinHashDeduplicator(
        threshold=args.threshold, num_perm=args.num_perm, use_lsh=True, num_bands=bands, seed=1
    )
    src: list[int] = []
    dst: list[int] = []
    for lo, (sketches, empty) in _sketched(_rensa_batch, keys, args):
        pairs = [(str(lo + k), m) for k, m in enumerate(sketches) if not empty[k]]
        keep = dedup.add_pairs(pairs)
        dropped = [(int(key), m) for (key, m), kept in zip(pairs, keep, strict=True) if not kept]
        matches = dedup.get_duplicate_sets([m for _, m in dropped])
        for (i, _), found in zip(dropped, matches, strict=True):
            if found:
                src.append(i)
                dst.append(min(int(key) for key in found))
    return _expand(_labels_from_links(len(keys), src, dst), norm_of)


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
    args.distinct = groups.distinct  # counted after the clock stops
    return groups.labels


RUNNERS = {"ours": run_ours, "datasketch": run_datasketch, "rensa": run_rensa}


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
    """Samples the process tree's PSS; forked workers share pages with us, so adding their RSS
    would count the texts twice.

    Reading PSS walks every page: about 25 ms per GiB of Python heap. Sampling every 50 ms would
    keep most of a core busy on a multi-GiB engine, so after each sample the thread waits 20
    times as long as the sample took (at least 50 ms): at most about 5 % of one core. Its own
    CPU time is kept apart (`cpu_seconds`) and left out of the engine's.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.cpu_seconds = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        pid = os.getpid()
        wait = 0.05
        while not self.stop.wait(wait):
            began = time.perf_counter()
            self.peak_kib = max(self.peak_kib, _tree_pss_kib(pid))
            wait = max(0.05, 20 * (time.perf_counter() - began))
        self.cpu_seconds = time.thread_time()


def child(args: argparse.Namespace) -> int:
    """Run one engine on one file; write labels and a JSON line of time and memory."""
    from polyvox.analytics.campaigns_cli import read_submissions

    # rensa's Rayon pool sizes itself from this on first use: the same cores as everyone else.
    os.environ["RAYON_NUM_THREADS"] = str(args.jobs)
    args.distinct = None
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
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime - sampler.cpu_seconds
    np.save(args.labels, labels)
    distinct = args.distinct if isinstance(args.distinct, int) else len(np.unique(args.distinct))
    stats = {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak_kib / 1024}
    print(json.dumps({**stats, "distinct": distinct}))
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
    """Print one table row per (size, engine): texts hashed, wall and CPU time, memory,
    precision, recall, and wall and CPU time relative to ours."""
    args = _parse(argv)
    if args.engine:
        return child(args)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    b, r = args.bands_rows
    print(
        f"threshold {args.threshold}, {args.num_perm} permutations ({b} bands x {r} rows), "
        f"{args.shingle_size}-word shingles, {args.jobs} cores for every engine, "
        "exact duplicates collapsed before MinHash for every engine"
    )
    print(
        f"{'size':>9} {'engine':<11} {'distinct':>9} {'seconds':>8} {'CPU s':>7} "
        f"{'peak MiB':>9} {'precision':>9} {'recall':>7} {'x ours':>7} {'CPU x':>6}"
    )
    status = 0
    for n in sizes:
        path = cache / f"corpus-{n}.csv"
        if not path.exists() or not corpus.truth_path(path).exists():
            corpus.write(path, n, seed=0)
        truth = np.load(corpus.truth_path(path))
        ours: dict[str, float] = {}
        for engine in args.engines.split(","):
            if engine != "ours" and args.skip_baselines_above and n > args.skip_baselines_above:
                print(f"{n:>9} {engine:<11} {'skipped':>9}")
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
            if engine == "ours":
                ours = stats
            wall, cpu = (
                (f"{stats[k] / ours[k]:.2f}" if ours else "-") for k in ("seconds", "cpu_seconds")
            )
            print(
                f"{n:>9} {engine:<11} {stats['distinct']:>9} {stats['seconds']:>8.1f} "
                f"{stats['cpu_seconds']:>7.1f} {stats['peak_mib']:>9.0f} {precision:>9.4f} "
                f"{recall:>7.4f} {wall:>7} {cpu:>6}",
                flush=True,
            )
    return status
