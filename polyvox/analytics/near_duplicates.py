"""Campaign detection: group identical and near-identical submissions, with their templates.

Pipeline (details and the choice of defaults in docs/analytics.md):

1. Identical raw texts collapse at once; the rest are normalised (NFKC, case folding, punctuation
   and whitespace as word breaks, see `text_normalization`) and texts with the same normalised
   token sequence are *exact duplicates*.
2. Distinct normalised texts get word-shingle sets and MinHash signatures; LSH banding proposes
   candidate pairs (`near_duplicates_sketch`).
3. Candidates are verified on the actual shingle sets: a text joins a cluster only if its Jaccard
   similarity with the cluster's template (its most central member) reaches the threshold
   (`near_duplicates_cluster`). Different texts are never merged on the sketch alone.
4. For each member, `unique_additions` gives the words it added beyond the template.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Self, TypeVar

import numpy as np
import numpy.typing as npt

from polyvox.analytics.near_duplicates_additions import (
    unique_additions,
    unique_additions_normalized,
)
from polyvox.analytics.near_duplicates_cluster import group_exact, verified_clusters
from polyvox.analytics.near_duplicates_sketch import (
    SEPARATOR,
    Sketches,
    choose_bands,
    concat_sketches,
    sketch_stream,
)
from polyvox.analytics.text_normalization import normalized_bytes

__all__ = [
    "DEFAULT_NUM_PERM",
    "DEFAULT_SHINGLE_SIZE",
    "DEFAULT_THRESHOLD",
    "Cluster",
    "Groups",
    "NearDuplicateGrouper",
    "campaign_additions",
    "group_near_duplicates",
    "unique_additions",
]

DEFAULT_THRESHOLD = 0.5
DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 3
_BATCH = 4000

I64 = npt.NDArray[np.int64]
_J = TypeVar("_J")
_R = TypeVar("_R")


@dataclass(frozen=True)
class Cluster:
    """One campaign: its template and every member (template included), in input order."""

    template_index: int
    template_id: str
    member_indices: tuple[int, ...]
    member_ids: tuple[str, ...]
    size: int


@dataclass(frozen=True, eq=False)
class Groups:
    """Result of `group_near_duplicates`, with the parameters needed to recompute it.

    `eq=False`: it holds numpy arrays; compare `clusters` and `labels` instead.
    """

    clusters: tuple[Cluster, ...]  # largest first, then by template index
    singletons: int  # texts in no cluster
    labels: I64  # position in `clusters` of each text's cluster, -1 for a singleton
    similarity: npt.NDArray[np.float64]  # Jaccard with the template; 1.0 exact, NaN singleton
    distinct: I64  # index of the first text with the same normalised text
    threshold: float
    num_perm: int
    shingle_size: int
    seed: int
    bands: int
    rows: int


def group_near_duplicates(
    texts: Sequence[str],
    ids: Sequence[str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = 0,
    n_jobs: int = 1,
) -> Groups:
    """Cluster `texts` into campaigns of exact and verified near-duplicates.

    `ids` default to the positions as strings. `n_jobs` > 1 sketches in that many worker
    processes; the result does not depend on it.
    """
    _check(threshold, num_perm, shingle_size, n_jobs)
    n = len(texts)
    id_list = [str(i) for i in range(n)] if ids is None else [str(x) for x in ids]
    if len(id_list) != n:
        raise ValueError(f"{len(id_list)} ids for {n} texts")
    bands, rows = choose_bands(threshold, num_perm)
    # 1. Identical raw texts first: cheap, and form letters are mostly sent unedited.
    first_raw: dict[str, int] = {}
    raw_of = np.fromiter(
        (first_raw.setdefault(t, len(first_raw)) for t in texts), dtype=np.int64, count=n
    )
    sk = _sketch_all(list(first_raw), shingle_size, num_perm, seed, n_jobs)
    # 2. Exact duplicates after normalisation.
    norm_of_raw, rep_of_norm = group_exact(sk.exact_keys)
    norm_of = norm_of_raw[raw_of] if n else np.empty(0, np.int64)
    copies = np.bincount(norm_of, minlength=len(rep_of_norm))
    weight = np.zeros(len(sk.n_tokens), dtype=np.int64)
    weight[rep_of_norm] = copies
    active = rep_of_norm[sk.n_tokens[rep_of_norm] > 0]
    # 3. Near duplicates, verified against each cluster's template.
    leader, sim = verified_clusters(sk, active, weight, threshold=threshold, bands=bands, rows=rows)
    key_of_norm = leader[rep_of_norm]
    alone = (key_of_norm < 0) & (copies > 1) & (sk.n_tokens[rep_of_norm] > 0)
    key_of_norm[alone] = rep_of_norm[alone]
    sim_of_norm = np.where(key_of_norm == rep_of_norm, 1.0, sim[rep_of_norm])
    first_sub = np.full(len(rep_of_norm), n, dtype=np.int64)
    np.minimum.at(first_sub, norm_of, np.arange(n, dtype=np.int64))
    distinct = first_sub[norm_of] if n else np.empty(0, np.int64)
    return _assemble(
        key=key_of_norm[norm_of] if n else np.empty(0, np.int64),
        template_of_key=lambda k: int(first_sub[norm_of_raw[k]]),
        similarity=np.where(key_of_norm[norm_of] >= 0, sim_of_norm[norm_of], np.nan)
        if n
        else np.empty(0),
        distinct=distinct,
        ids=id_list,
        params=(threshold, num_perm, shingle_size, seed, bands, rows),
    )


def _check(threshold: float, num_perm: int, shingle_size: int, n_jobs: int) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if num_perm < 2:
        raise ValueError(f"num_perm must be at least 2, got {num_perm}")
    if shingle_size < 1:
        raise ValueError(f"shingle_size must be at least 1, got {shingle_size}")
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be at least 1, got {n_jobs}")


def _assemble(
    *,
    key: I64,
    template_of_key: Callable[[int], int],
    similarity: npt.NDArray[np.float64],
    distinct: I64,
    ids: list[str],
    params: tuple[float, int, int, int, int, int],
) -> Groups:
    """Turn a cluster key per text (-1: none) into `Groups`, largest cluster first."""
    n = len(key)
    labels = np.full(n, -1, dtype=np.int64)
    clusters: list[Cluster] = []
    grouped = np.flatnonzero(key >= 0)
    if len(grouped):
        order = grouped[np.argsort(key[grouped], kind="stable")]
        ks = key[order]
        cuts = np.flatnonzero(ks[1:] != ks[:-1]) + 1
        bounds = np.concatenate(([0], cuts, [len(order)]))
        found = []
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            members = order[lo:hi]
            found.append((hi - lo, int(template_of_key(int(ks[lo]))), members))
        found.sort(key=lambda f: (-f[0], f[1]))
        for pos, (size, template, members) in enumerate(found):
            labels[members] = pos
            member_list = members.tolist()
            clusters.append(
                Cluster(
                    template_index=template,
                    template_id=ids[template],
                    member_indices=tuple(member_list),
                    member_ids=tuple(ids[i] for i in member_list),
                    size=size,
                )
            )
    threshold, num_perm, shingle_size, seed, bands, rows = params
    return Groups(
        clusters=tuple(clusters),
        singletons=int(n - len(grouped)),
        labels=labels,
        similarity=similarity,
        distinct=distinct,
        threshold=threshold,
        num_perm=num_perm,
        shingle_size=shingle_size,
        seed=seed,
        bands=bands,
        rows=rows,
    )


def _sketch_batch(job: tuple[list[str], int, int, int]) -> Sketches:
    texts, shingle_size, num_perm, seed = job
    stream = SEPARATOR.join(map(normalized_bytes, texts))
    return sketch_stream(
        stream, len(texts), shingle_size=shingle_size, num_perm=num_perm, seed=seed
    )


def _pool_map(fn: Callable[[_J], _R], jobs: list[_J], n_jobs: int) -> list[_R]:
    """`map` over forked worker processes when it can help, in order.

    Fork, not spawn or forkserver: those re-import `__main__`, which breaks scripts without a
    main guard. Jobs carry their own texts, so workers only add their batch's arrays.
    """
    # Starting workers costs more than it saves below a few batches.
    if n_jobs > 1 and len(jobs) >= 4 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(min(n_jobs, len(jobs))) as pool:
            return pool.map(fn, jobs, chunksize=1)
    return [fn(job) for job in jobs]


def _sketch_all(
    texts: Sequence[str], shingle_size: int, num_perm: int, seed: int, n_jobs: int
) -> Sketches:
    jobs = [
        (list(texts[lo : lo + _BATCH]), shingle_size, num_perm, seed)
        for lo in range(0, len(texts), _BATCH)
    ]
    return concat_sketches(_pool_map(_sketch_batch, jobs, n_jobs), num_perm)


def _additions_job(job: tuple[str, list[str], int]) -> list[str]:
    template, members, size = job
    return unique_additions_normalized(template, members, shingle_size=size)


def campaign_additions(texts: Sequence[str], groups: Groups, *, n_jobs: int = 1) -> dict[int, str]:
    """Unique additions (normalised words) of every member that differs from its template.

    Computed once per distinct normalised text; exact copies of the template are left out.
    For display, call `unique_additions(template_text, member_text)` per member instead.
    """
    jobs: list[tuple[str, list[str], int]] = []
    owners: list[list[int]] = []
    for cluster in groups.clusters:
        t = cluster.template_index
        own = groups.distinct[t]
        todo = sorted({int(groups.distinct[i]) for i in cluster.member_indices} - {int(own)})
        for lo in range(0, len(todo), _BATCH):
            chunk = todo[lo : lo + _BATCH]
            jobs.append((texts[t], [texts[i] for i in chunk], groups.shingle_size))
            owners.append(chunk)
    results = _pool_map(_additions_job, jobs, n_jobs)
    by_distinct = {
        i: a
        for chunk, res in zip(owners, results, strict=True)
        for i, a in zip(chunk, res, strict=True)
    }
    return {
        i: by_distinct[int(groups.distinct[i])]
        for cluster in groups.clusters
        for i in cluster.member_indices
        if int(groups.distinct[i]) in by_distinct
    }


class NearDuplicateGrouper:
    """Estimator-style wrapper: hyperparameters in `__init__`, `fit(texts)` sets `groups_`."""

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        seed: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self.n_jobs = n_jobs

    def fit(self, texts: Sequence[str], ids: Sequence[str] | None = None) -> Self:
        """Cluster `texts`; sets `groups_`, `labels_` and `seconds_`."""
        start = time.perf_counter()
        self.groups_ = group_near_duplicates(
            texts,
            ids,
            threshold=self.threshold,
            num_perm=self.num_perm,
            shingle_size=self.shingle_size,
            seed=self.seed,
            n_jobs=self.n_jobs,
        )
        self.labels_ = self.groups_.labels
        self.seconds_ = time.perf_counter() - start
        return self

    def fit_predict(self, texts: Sequence[str], ids: Sequence[str] | None = None) -> I64:
        """Cluster label of each text (-1 for a singleton)."""
        return self.fit(texts, ids).labels_

    def get_params(self) -> dict[str, float | int]:
        """Hyperparameters, for provenance records."""
        return {
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "shingle_size": self.shingle_size,
            "seed": self.seed,
            "n_jobs": self.n_jobs,
        }


def available_cpus() -> int:
    """CPUs this process may use (for choosing `n_jobs`)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
