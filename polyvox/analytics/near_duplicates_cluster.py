"""Verified clustering of near-duplicate texts from their sketches (used by `near_duplicates`).

LSH only proposes candidates. A connected component of candidates can chain two different form
letters through one odd text, so components are never taken as clusters: each component elects a
leader (its most central member), and a member joins the leader's cluster only if the *actual*
Jaccard similarity of their shingle sets reaches the threshold. Rejected members are banded again
among themselves in the next round, so a second campaign chained to the first still forms its own
cluster. Every cluster member is therefore verified against the cluster's template.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from polyvox.analytics.near_duplicates_sketch import Sketches, band_edges

__all__ = ["group_exact", "jaccard_pairs", "unique_inverse", "verified_clusters"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

_CENTRALITY_SLOTS = 16
_PAIR_CHUNK = 200_000
MAX_ROUNDS = 8


def group_exact(keys: npt.NDArray[np.void]) -> tuple[I64, I64]:
    """Group equal 16-byte keys: (group of each row, first row of each group), by first row."""
    n = len(keys)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    pairs = keys.view(np.uint64).reshape(n, 2)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))  # stable: first row of a group comes first
    sp = pairs[order]
    start = np.empty(n, dtype=bool)
    start[0] = True
    start[1:] = (sp[1:, 0] != sp[:-1, 0]) | (sp[1:, 1] != sp[:-1, 1])
    first = order[start]
    rank = np.argsort(first, kind="stable")  # number groups in order of first appearance
    relabel = np.empty(len(first), dtype=np.int64)
    relabel[rank] = np.arange(len(first))
    group = np.empty(n, dtype=np.int64)
    group[order] = relabel[np.cumsum(start) - 1]
    return group, first[rank]


def jaccard_pairs(sk: Sketches, a: I64, b: I64) -> F64:
    """Exact Jaccard of the shingle sets of texts a[i] and b[i], vectorised.

    Pairs are sorted by b so the queries into b's concatenated shingles arrive in order, which
    keeps `searchsorted` cache-friendly.
    """
    out = np.zeros(len(a), dtype=np.float64)
    order = np.argsort(b, kind="stable")
    for lo in range(0, len(order), _PAIR_CHUNK):
        idx = order[lo : lo + _PAIR_CHUNK]
        out[idx] = _jaccard_chunk(sk, a[idx], b[idx])
    return out


def _gather(sk: Sketches, docs: I64) -> tuple[I64, I64]:
    """Positions in `sk.shingles` of the given texts' shingles, and each text's count."""
    starts = sk.offsets[docs]
    lens = sk.offsets[docs + 1] - starts
    total = int(lens.sum())
    seg = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lens, out=seg[1:])
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - seg[:-1], lens)
    return pos, lens


def unique_inverse(x: I64) -> tuple[I64, I64]:
    """Sorted distinct values and the position of each input among them.

    Sort-based on purpose: `np.unique` is several times slower here on numpy 2.4.
    """
    if len(x) == 0:
        return x.copy(), np.empty(0, np.int64)
    order = np.argsort(x, kind="stable")
    xs = x[order]
    start = np.empty(len(x), dtype=bool)
    start[0] = True
    np.not_equal(xs[1:], xs[:-1], out=start[1:])
    inv = np.empty(len(x), dtype=np.int64)
    inv[order] = np.cumsum(start) - 1
    return xs[start], inv


def _jaccard_chunk(sk: Sketches, a: I64, b: I64) -> F64:
    ub, inv = unique_inverse(b)
    bpos, blens = _gather(sk, ub)
    bkeys = (np.repeat(np.arange(len(ub), dtype=np.uint64), blens) << np.uint64(32)) | sk.shingles[
        bpos
    ].astype(np.uint64)
    apos, alens = _gather(sk, a)
    qkeys = (np.repeat(inv.astype(np.uint64), alens) << np.uint64(32)) | sk.shingles[apos].astype(
        np.uint64
    )
    hit = np.zeros(len(qkeys), dtype=np.int64)
    if len(bkeys):
        where = np.searchsorted(bkeys, qkeys)
        np.minimum(where, len(bkeys) - 1, out=where)
        hit = (bkeys[where] == qkeys).astype(np.int64)
    seg = np.zeros(len(a) + 1, dtype=np.int64)
    np.cumsum(alens, out=seg[1:])
    csum = np.zeros(len(hit) + 1, dtype=np.int64)
    np.cumsum(hit, out=csum[1:])
    inter = csum[seg[1:]] - csum[seg[:-1]]
    union = alens + blens[inv] - inter
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def _centrality(sig: npt.NDArray[np.uint32], comp: I64, weight: I64) -> F64:
    """Weighted count of component members agreeing with each text on a sample of slots.

    Summed over slots this estimates the text's total Jaccard similarity to the rest of its
    component, each other text counted once per submission: the most central member is the text
    most submissions are nearest to (for a form letter, the letter as sent unedited).
    """
    n, k = sig.shape
    score = np.zeros(n, dtype=np.float64)
    for j in np.linspace(0, k - 1, min(k, _CENTRALITY_SLOTS)).astype(np.int64):
        key = (comp.astype(np.uint64) << np.uint64(32)) | sig[:, j].astype(np.uint64)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        start = np.empty(n, dtype=bool)
        start[0] = True
        np.not_equal(ks[1:], ks[:-1], out=start[1:])
        starts = np.flatnonzero(start)
        totals = np.add.reduceat(weight[order], starts)
        score[order] += totals[np.cumsum(start) - 1]
    return score


def verified_clusters(
    sk: Sketches, active: I64, weight: I64, *, threshold: float, bands: int, rows: int
) -> tuple[I64, F64]:
    """Leader (a text index) of each text in `active`, or -1, and its Jaccard with the leader."""
    leader = np.full(len(sk.n_tokens), -1, dtype=np.int64)
    sim = np.full(len(sk.n_tokens), np.nan, dtype=np.float64)
    for _ in range(MAX_ROUNDS):
        if len(active) < 2:
            break
        src, dst = band_edges(sk.signatures[active], bands, rows)
        if len(src) == 0:
            break
        m = len(active)
        graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(m, m))
        _, comp = connected_components(graph, directed=False)
        comp = comp.astype(np.int64)
        in_multi = np.bincount(comp)[comp] > 1
        local = np.flatnonzero(in_multi)
        if len(local) == 0:
            break
        score = _centrality(sk.signatures[active[local]], comp[local], weight[active[local]])
        # Leader of each component: highest score, then lowest index (deterministic).
        order = np.lexsort((local, -score, comp[local]))
        first = np.empty(len(order), dtype=bool)
        first[0] = True
        np.not_equal(comp[local][order][1:], comp[local][order][:-1], out=first[1:])
        head_of_comp = np.full(m, -1, dtype=np.int64)
        head_of_comp[comp[local][order][first]] = local[order][first]
        heads = head_of_comp[comp[local]]
        is_head = heads == local
        members = local[~is_head]
        member_heads = heads[~is_head]
        j = jaccard_pairs(sk, active[members], active[member_heads])
        ok = j >= threshold
        leader[active[members[ok]]] = active[member_heads[ok]]
        sim[active[members[ok]]] = j[ok]
        heads_used = unique_inverse(member_heads[ok])[0]
        leader[active[heads_used]] = active[heads_used]
        sim[active[heads_used]] = 1.0
        # Heads leave the pool whether or not anyone joined them, so every round makes progress.
        done = np.zeros(m, dtype=bool)
        done[local[is_head]] = True
        done[members[ok]] = True
        active = active[~done & in_multi]
    return leader, sim
