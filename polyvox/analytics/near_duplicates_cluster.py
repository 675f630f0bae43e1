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
_PAIR_CHUNK = 50_000
MAX_ROUNDS = 8
_EDGE_TRIES = 3


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


def _verified_edges(
    sk: Sketches, act: I64, src: I64, dst: I64, threshold: float
) -> tuple[I64, I64, F64]:
    """Verify each text's candidate edges best first, stopping at its first verified one.

    `act` is in priority order, so a lower `dst` is a heavier (more submitted) neighbour: nearly
    always the form letter itself, which makes one exact Jaccard per text the common case.
    """
    m = len(act)
    pairs = unique_inverse(src * m + dst)[0]  # sorted by src, then dst
    src, dst = pairs // m, pairs % m
    start = np.empty(len(src), dtype=bool)
    start[0] = True
    np.not_equal(src[1:], src[:-1], out=start[1:])
    starts = np.flatnonzero(start)
    rank = np.arange(len(src)) - starts[np.cumsum(start) - 1]
    done = np.zeros(m, dtype=bool)
    keep_s: list[I64] = []
    keep_d: list[I64] = []
    keep_j: list[F64] = []
    for k in range(_EDGE_TRIES):
        sel = np.flatnonzero((rank == k) & ~done[src])
        if len(sel) == 0:
            break
        j = jaccard_pairs(sk, act[src[sel]], act[dst[sel]])
        ok = j >= threshold
        keep_s.append(src[sel[ok]])
        keep_d.append(dst[sel[ok]])
        keep_j.append(j[ok])
        done[src[sel[ok]]] = True
    return np.concatenate(keep_s), np.concatenate(keep_d), np.concatenate(keep_j)


def verified_clusters(
    sk: Sketches, active: I64, weight: I64, *, threshold: float, bands: int, rows: int
) -> tuple[I64, F64]:
    """Leader (a text index) of each text in `active`, or -1, and its Jaccard with the leader.

    Each round: band the active texts, heaviest first, so a bucket's first text is its most
    submitted one; verify every text against that text (exact Jaccard) and keep only verified
    edges; a component of verified edges elects its most central member as leader, and every
    member is checked against the leader. Members that fail go to the next round.
    """
    leader = np.full(len(sk.n_tokens), -1, dtype=np.int64)
    sim = np.full(len(sk.n_tokens), np.nan, dtype=np.float64)
    for _ in range(MAX_ROUNDS):
        m = len(active)
        if m < 2:
            break
        act = active[np.lexsort((active, -weight[active]))]
        src, dst = band_edges(sk.signatures[act], bands, rows)
        if len(src) == 0:
            break
        src, dst, j = _verified_edges(sk, act, src, dst, threshold)
        if len(src) == 0:
            break
        graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(m, m))
        _, comp_raw = connected_components(graph, directed=False)
        comp = comp_raw.astype(np.int64)
        local = np.flatnonzero(np.bincount(comp)[comp] > 1)
        score = _centrality(sk.signatures[act[local]], comp[local], weight[act[local]])
        # Leader of each component: most central, then heaviest, then first (deterministic).
        order = np.lexsort((act[local], -score, comp[local]))
        lc = comp[local][order]
        first = np.empty(len(order), dtype=bool)
        first[0] = True
        np.not_equal(lc[1:], lc[:-1], out=first[1:])
        head_of_comp = np.full(m, -1, dtype=np.int64)
        head_of_comp[lc[first]] = local[order][first]
        heads = head_of_comp[comp[local]]
        is_head = heads == local
        members, member_heads = local[~is_head], heads[~is_head]
        # Reuse the Jaccard already computed on edges that point straight at the leader.
        known = np.full(m, np.nan)
        direct = dst == head_of_comp[comp[src]]
        known[src[direct]] = j[direct]
        jm = known[members]
        todo = np.isnan(jm)
        if todo.any():
            jm[todo] = jaccard_pairs(sk, act[members[todo]], act[member_heads[todo]])
        accepted = jm >= threshold
        leader[act[members[accepted]]] = act[member_heads[accepted]]
        sim[act[members[accepted]]] = jm[accepted]
        heads_used = unique_inverse(member_heads[accepted])[0]
        leader[act[heads_used]] = act[heads_used]
        sim[act[heads_used]] = 1.0
        active = act[members[~accepted]]
    return leader, sim
