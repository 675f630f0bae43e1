"""Small deterministic weighted k-means and silhouette for 2-D points (no scikit-learn).

Why our own: the opinion map needs weighted k-means (Pol.is clusters base-cluster centres
weighted by their size) and must be reproducible from an explicit `numpy.random.Generator`.
Points are 2-D projections, so distances are cheap; 100,000 points x 100 centres fit in memory.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.cluster.vq import vq
from scipy.spatial.distance import cdist

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _nearest(x: FloatArray, centers: FloatArray) -> IntArray:
    """Index of the nearest centre per point (scipy's C loop: no (n, k) temporary)."""
    codes, _ = vq(x, centers, check_finite=False)
    return np.asarray(codes, dtype=np.int64)


def kmeans_plusplus(
    x: FloatArray, k: int, weights: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """k-means++ seeding (Arthur & Vassilvitskii 2007), with points weighted by `weights`."""
    n = len(x)
    first = int(rng.choice(n, p=weights / weights.sum()))
    centers = [x[first]]
    closest = ((x - x[first]) ** 2).sum(1)
    for _ in range(1, k):
        p = closest * weights
        total = p.sum()
        if total <= 0:  # fewer distinct points than k: stop early
            break
        nxt = int(rng.choice(n, p=p / total))
        centers.append(x[nxt])
        closest = np.minimum(closest, ((x - x[nxt]) ** 2).sum(1))
    return np.array(centers, dtype=np.float64)


def first_distinct(x: FloatArray, k: int) -> FloatArray:
    """The first `k` distinct rows of `x`, in order: Pol.is's deterministic k-means start."""
    _, first = np.unique(x, axis=0, return_index=True)
    return np.asarray(x[np.sort(first)[:k]], dtype=np.float64)


def kmeans(
    x: FloatArray,
    k: int,
    rng: np.random.Generator,
    *,
    weights: FloatArray | None = None,
    n_init: int = 1,
    max_iter: int = 100,
    init: FloatArray | None = None,
    tol: float = 0.0,
) -> tuple[FloatArray, IntArray, float]:
    """Weighted Lloyd k-means; returns (centres, labels, weighted inertia) of the best of `n_init`.

    Starts from k-means++ seeding, or once from the given `init` centres (then `rng` is unused).
    Empty clusters are dropped, so fewer than `k` centres may come back when points coincide.
    Iterates until no label changes or, with `tol` > 0, until the centres' total squared shift is
    at most `tol` x the data's mean variance per coordinate (scikit-learn's `KMeans` rule); the
    labels returned are then those of the final centres.
    """
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=np.float64)
    shift_limit = tol * float(np.var(x, axis=0).mean()) if tol > 0 and len(x) else -1.0
    best: tuple[FloatArray, IntArray, float] | None = None
    for _ in range(1 if init is not None else n_init):
        centers = (
            np.array(init, dtype=np.float64) if init is not None else kmeans_plusplus(x, k, w, rng)
        )
        labels = np.zeros(len(x), dtype=np.int64)
        for it in range(max_iter):
            new_labels = _nearest(x, centers)
            if it and np.array_equal(new_labels, labels):
                break
            labels = new_labels
            kk = len(centers)
            mass = np.bincount(labels, weights=w, minlength=kk)
            sums = np.stack(
                [np.bincount(labels, weights=w * x[:, j], minlength=kk) for j in range(x.shape[1])],
                1,
            )
            keep = mass > 0
            moved = sums[keep] / mass[keep, None]
            settled = keep.all() and float(((moved - centers) ** 2).sum()) <= shift_limit
            centers = moved
            if not keep.all() or settled:  # labels of the final centres
                labels = _nearest(x, centers)
            if settled:
                break
        inertia = float((((x - centers[labels]) ** 2).sum(1) * w).sum())
        if best is None or inertia < best[2] - 1e-12:
            best = (centers, labels.astype(np.int64), inertia)
    if best is None:
        raise ValueError("n_init must be at least 1")
    return best


def silhouette(x: FloatArray, labels: IntArray) -> float:
    """Mean silhouette coefficient (Rousseeuw 1987); singleton clusters score 0, as in sklearn."""
    n = len(x)
    uniq = np.unique(labels)
    if len(uniq) < 2 or len(uniq) >= n:
        return 0.0
    d = cdist(x, x)
    onehot = (labels[:, None] == uniq[None, :]).astype(np.float64)
    sizes = onehot.sum(0)
    sums = d @ onehot  # (n, k) total distance to each cluster
    own = np.searchsorted(uniq, labels)
    own_size = sizes[own]
    a = np.where(own_size > 1, sums[np.arange(n), own] / np.maximum(own_size - 1, 1), 0.0)
    mean_other = sums / sizes[None, :]
    mean_other[np.arange(n), own] = np.inf
    b = mean_other.min(1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(s.mean())


SAME_CLUSTERING = 0.01  # Pol.is clusters.clj `same-clustering?`: every centre moved less than this


def _member_means(x: FloatArray, w: FloatArray, labels: IntArray, m: int) -> FloatArray:
    """Weighted mean of each cluster's members (labels -1 belong to no cluster)."""
    sel = labels >= 0
    mass = np.bincount(labels[sel], weights=w[sel], minlength=m)
    sums = np.stack(
        [
            np.bincount(labels[sel], weights=w[sel] * x[sel, j], minlength=m)
            for j in range(x.shape[1])
        ],
        1,
    )
    return np.asarray(sums / np.maximum(mass, 1e-300)[:, None], dtype=np.float64)


def _drop_empty(labels: IntArray, ids: IntArray) -> tuple[IntArray, IntArray]:
    """Forget clusters without members, renumbering labels (Pol.is drops them at every step)."""
    present = np.bincount(labels[labels >= 0], minlength=len(ids)) > 0
    new_index = np.cumsum(present) - 1
    out = np.where(labels >= 0, new_index[np.maximum(labels, 0)], -1)
    return out.astype(np.int64), ids[present]


def _row_groups(x: FloatArray) -> IntArray:
    """Index of each row's distinct value (equal rows share one); faster than np.unique(axis=0)."""
    if len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    o = np.lexsort(x.T[::-1])
    xs = x[o]
    new = np.ones(len(x), dtype=bool)
    new[1:] = (xs[1:] != xs[:-1]).any(1)
    g = np.empty(len(x), dtype=np.int64)
    g[o] = np.cumsum(new) - 1
    return g


def _sorted_rows(c: FloatArray) -> FloatArray:
    return c[np.lexsort(c.T[::-1])] if len(c) else c


def warm_kmeans(
    x: FloatArray,
    k: int,
    prev_labels: IntArray | None,
    prev_ids: IntArray | None,
    *,
    weights: FloatArray | None = None,
    max_iter: int = 20,
) -> tuple[FloatArray, IntArray, IntArray]:
    """k-means started, as Pol.is starts it, from the last clustering's members.

    `prev_labels[i]` is the index (into `prev_ids`) of the cluster point i belonged to at the last
    update, or -1 for a point that is new. Rules, from compdemocracy/polis
    math/src/polismath/math/clusters.clj (read, not copied):

    * no last clustering (`prev_ids` None): start from the first k distinct points
      (`init-clusters`);
    * otherwise (`clean-start-clusters`): each last cluster is re-centred on its members' current
      positions (weighted), clusters without members are dropped (`safe-recenter-clusters`; if
      none is left, one cluster holds every point); clusters with identical centres are merged
      (`uniqify-clusters`); then, while there are fewer than min(k, distinct points) clusters,
      the point farthest from its nearest centre becomes a cluster of its own (`most-distal`);
    * then Lloyd steps (`cluster-step`: every point to its nearest centre, empty clusters
      dropped, weighted means) until no centre moves by `SAME_CLUSTERING` or more
      (`same-clustering?`), at most `max_iter` + 1 steps (`kmeans`).

    Returns (centres, label per point as an index into centres, cluster ids). Ids are stable
    across updates: a new cluster takes the largest id so far + 1. Clusters are sorted by id.
    """
    n = len(x)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if n == 0:
        return (
            np.zeros((0, x.shape[1] if x.ndim == 2 else 2)),
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
        )
    if prev_ids is None or prev_labels is None:
        centers = first_distinct(x, k)
        ids = np.arange(len(centers), dtype=np.int64)
    else:
        labels, ids = _drop_empty(np.asarray(prev_labels, dtype=np.int64), np.asarray(prev_ids))
        if len(ids) == 0:  # none of the last members is here any more: one big cluster
            labels = np.zeros(n, dtype=np.int64)
            ids = np.array([int(np.max(prev_ids, initial=-1)) + 1], dtype=np.int64)
        centers = _member_means(x, w, labels, len(ids))
        # merge clusters whose centres coincide; the merged one keeps the id of the bigger
        group = _row_groups(centers)
        if len(group) and group.max() + 1 < len(ids):
            counts = np.bincount(labels[labels >= 0], minlength=len(ids))
            keep = np.zeros(len(ids), dtype=bool)
            target = np.arange(len(ids))
            for g in np.unique(group):
                members = np.flatnonzero(group == g)
                big = members[::-1][np.argmax(counts[members][::-1])]  # ties: the later one
                keep[big] = True
                target[members] = big
            labels = np.where(labels >= 0, target[np.maximum(labels, 0)], -1)
            labels, ids = _drop_empty(labels, ids)
            centers = _member_means(x, w, labels, len(ids))
        possible = min(k, int(_row_groups(x).max()) + 1) if len(ids) < k else k
        for _ in range(n):  # each pass adds one cluster; n bounds it
            if len(ids) >= possible:
                break
            _, dist = vq(x, centers, check_finite=False)
            far = int(np.argmax(dist))
            if dist[far] <= 0:
                break
            labels[far] = len(ids)
            ids = np.append(ids, ids.max() + 1)
            labels, ids = _drop_empty(labels, ids)
            centers = _member_means(x, w, labels, len(ids))
    for _ in range(max_iter + 1):
        labels = _nearest(x, centers)
        labels, ids = _drop_empty(labels, ids)
        new_centers = _member_means(x, w, labels, len(ids))
        same = len(new_centers) == len(centers) and bool(
            (
                np.linalg.norm(_sorted_rows(new_centers) - _sorted_rows(centers), axis=1)
                < SAME_CLUSTERING
            ).all()
        )
        centers = new_centers
        if same:
            break
    order = np.argsort(ids, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return centers[order], rank[labels], ids[order]
