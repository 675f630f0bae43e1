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
) -> tuple[FloatArray, IntArray, float]:
    """Weighted Lloyd k-means; returns (centres, labels, weighted inertia) of the best of `n_init`.

    Starts from k-means++ seeding, or once from the given `init` centres (then `rng` is unused).
    Empty clusters are dropped, so fewer than `k` centres may come back when points coincide.
    """
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=np.float64)
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
            centers = sums[keep] / mass[keep, None]
            if not keep.all():  # relabel after dropping empty clusters
                labels = _nearest(x, centers)
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
