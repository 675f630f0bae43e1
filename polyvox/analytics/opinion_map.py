"""Opinion maps: the published Pol.is method on a sparse vote matrix, in numpy/scipy.

Pipeline (each rule cites its source; Pol.is code is AGPL and was not copied):

1. Participants "in the conversation" have at least min(7, statements) votes; if fewer than 15
   qualify, the most active are added up to 15 (Small et al. 2021, section 2.3; Pol.is math docs).
2. Moderated-out statements are zeroed (the whole column), so they carry no variance.
3. PCA, 2 components, on participants x statements with missing votes imputed by the statement
   mean. With M = S + 1 m^T (S the residual v - m on voted cells only), the centred matrix is
   exactly S, so PCA is an eigendecomposition of the sparse Gram matrix S^T S: nothing dense of
   size participants x statements is ever built.
4. Each participant is projected from their voted cells only and scaled by
   sqrt(statements / votes cast), so sparse voters are not pulled to the centre (Small et al.
   2021, "sparsity-aware" projection).
5. Up to 100 base clusters by k-means on the in-conversation projections, then k-means on the
   base-cluster centres weighted by size for k = 2 .. min(max_groups, 2 + bases / 12), k chosen
   by silhouette over base clusters (Pol.is math docs, "clustering"). As in Pol.is, each group
   k-means starts from the first k distinct base centres (bases in participant order); seeded
   restarts replace that start only when it is degenerate (docs/analytics.md).
6. Repness, Pol.is's consensus (a test on all votes), group-informed consensus and divisive
   statements: see `opinion_map_stats`.

Deterministic for a given seed: all randomness flows from `np.random.default_rng(seed)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from polyvox.analytics.opinion_map_kmeans import first_distinct, kmeans, silhouette, warm_kmeans
from polyvox.analytics.opinion_map_state import GroupClustering, OpinionMapState
from polyvox.analytics.opinion_map_stats import (
    bridging_statements,
    closest_groups,
    divisive_statements,
    group_agreement,
    group_aware_consensus,
    group_counts,
    group_informed_consensus_statements,
    groups_agreeing_more_than_average,
    polis_consensus,
    representative_statements,
)
from polyvox.analytics.types import FloatArray, IntArray, OpinionGroup, OpinionMap, VoteMatrix

__all__ = [
    "OpinionMapState",
    "OpinionProjector",
    "advance_state",
    "bridging_statements",
    "closest_groups",
    "compute_opinion_map",
    "group_agreement",
    "groups_agreeing_more_than_average",
    "in_conversation",
]

MIN_VOTES = 7  # Pol.is: a participant needs min(7, n_statements) votes to be clustered
MIN_PARTICIPANTS = 15  # Pol.is: the most active are kept until at least 15 are in
MAX_BASE_CLUSTERS = 100  # Pol.is: base clusters before grouping
GROUP_K_BUFFER = 4  # Pol.is conversation.clj :group-k-buffer: updates a new k must win in a row
PCA_ITERS = 100  # Pol.is :pca-iters: power iterations per component
# Ours: a warm power iteration stops once no loading moves by more than this (Pol.is stops only
# when the eigenvalue estimate repeats exactly). Loadings are unit-vector entries, so 1e-5 is far
# below what moves anyone on the map, and a live update after a few votes needs a handful of
# iterations instead of up to 100 (docs/analytics.md, "Scale").
PCA_TOL = 1e-5
BASE_ITERS = 100  # Pol.is :base-iters
GROUP_ITERS = 20  # Pol.is's group k-means runs clusters.clj kmeans's default of 20 (see docs)


def in_conversation(
    votes: VoteMatrix,
    *,
    min_votes: int = MIN_VOTES,
    min_participants: int = MIN_PARTICIPANTS,
    already: IntArray | None = None,
) -> npt.NDArray[np.bool_]:
    """Mask of participants placed on the map (Pol.is "in-conv"); passes count as votes.

    `already`: participant ids in the conversation at the last update; they stay in (Pol.is
    conversation.clj `in-conv`: "once a ptpt is in, they will remain in").
    """
    counts = votes.votes_per_participant()
    mask = counts >= min(min_votes, votes.shape[1])
    mask &= counts > 0
    if already is not None and len(already):
        mask |= np.isin(votes.participant_ids, already)
    short = min_participants - int(mask.sum())
    if short > 0:
        # the most active of the rest, ties broken by participant order
        rest = np.flatnonzero(~mask & (counts > 0))
        rest = rest[np.lexsort((rest, -counts[rest]))][:short]
        mask[rest] = True
    return mask


class OpinionProjector:
    """PCA of the mean-imputed vote matrix with Pol.is's sparsity-aware projection.

    sklearn-style: `__init__` stores hyperparameters, `fit` learns `center_`, `components_`,
    `explained_variance_` and `statement_ids_`; `transform` projects participants, including ones
    who joined later (unknown statements are ignored).
    """

    def __init__(self, *, n_components: int = 2, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state  # seeds ARPACK's start vector on large matrices

    def fit(self, X: VoteMatrix, y: object = None) -> Self:  # noqa: N803 (sklearn's X)
        """Learn statement means and principal axes from all participants' votes."""
        n_p, n_s = X.shape
        self.statement_ids_: IntArray = X.statement_ids.copy()
        self.moderated_out_: npt.NDArray[np.bool_] = X.moderated_out.copy()
        live = ~X.moderated_out[X.cols]  # moderated-out columns are zeroed (Pol.is)
        seen = np.bincount(X.cols[live], minlength=n_s)
        total = np.bincount(X.cols[live], weights=X.values[live].astype(np.float64), minlength=n_s)
        # statement mean over those who voted; a column nobody voted on stays 0
        self.center_: FloatArray = np.divide(total, seen, out=np.zeros(n_s), where=seen > 0)
        resid = self._residual(X)
        # transform(X) right after fit(X) reuses this matrix (one CSR build of 50M votes, not two)
        self._fitted_on: tuple[VoteMatrix, sp.csr_matrix] | None = (X, resid)
        k = min(self.n_components, n_s)
        if n_s == 0 or n_p == 0:
            self.components_: FloatArray = np.zeros((self.n_components, n_s))
            self.explained_variance_: FloatArray = np.zeros(self.n_components)
            return self
        # The centred imputed matrix equals resid (imputed cells have residual 0), so the principal
        # axes are resid's top right singular vectors. Large: ARPACK on the sparse matrix with a
        # seeded start vector (deterministic); small: exact dense SVD.
        if n_p * n_s <= 250_000 or min(n_p, n_s) <= k + 1:
            _, svals, vt = np.linalg.svd(resid.toarray(), full_matrices=False)
        else:
            v0 = np.random.default_rng(self.random_state).uniform(0.5, 1.5, n_s)
            _, svals, vt = svds(resid, k=k, v0=v0, solver="arpack")
        k = min(k, len(svals))  # one participant has one singular value
        order = np.argsort(svals)[::-1][:k]
        evals, evecs = svals**2, vt.T
        comps = evecs[:, order].T
        # fix the sign so the map does not flip between runs: largest loading positive
        signs = np.sign(comps[np.arange(k), np.abs(comps).argmax(1)])
        comps *= np.where(signs == 0, 1.0, signs)[:, None]
        self.components_ = np.zeros((self.n_components, n_s))
        self.components_[:k] = comps
        self.explained_variance_ = np.zeros(self.n_components)
        self.explained_variance_[:k] = np.maximum(evals[order], 0) / max(n_p - 1, 1)
        return self

    def _residual(self, X: VoteMatrix) -> sp.csr_matrix:  # noqa: N803 (sklearn's X)
        """Sparse v - mean on voted, non-moderated cells of X (columns aligned to the fit)."""
        cols = np.searchsorted(self.statement_ids_, X.statement_ids)
        cols = np.minimum(cols, max(len(self.statement_ids_) - 1, 0))
        known = (len(self.statement_ids_) > 0) & (self.statement_ids_[cols] == X.statement_ids)
        c = cols[X.cols]
        keep = known[X.cols]
        keep &= ~self.moderated_out_[c] if len(self.statement_ids_) else keep
        data = X.values[keep].astype(np.float64) - self.center_[c[keep]]
        return sp.csr_matrix(
            (data, (X.rows[keep], c[keep])), shape=(X.shape[0], len(self.statement_ids_))
        )

    def transform(self, X: VoteMatrix) -> FloatArray:  # noqa: N803 (sklearn's X)
        """Project participants from their voted cells only, scaled by sqrt(n_statements / cast).

        Moderated-out statements are zero-filled columns in Pol.is, so they count as cast for
        everyone; this reproduces that scaling.
        """
        cached = getattr(self, "_fitted_on", None)
        resid = cached[1] if cached is not None and cached[0] is X else self._residual(X)
        self._fitted_on = None  # used once: do not keep the matrix alive
        proj = np.asarray(resid @ self.components_.T)
        del resid
        cols = np.searchsorted(self.statement_ids_, X.statement_ids)
        cols = np.minimum(cols, max(len(self.statement_ids_) - 1, 0))
        known = (len(self.statement_ids_) > 0) & (self.statement_ids_[cols] == X.statement_ids)
        live = (
            known[X.cols] & ~self.moderated_out_[cols[X.cols]]
            if len(self.statement_ids_)
            else known[X.cols]
        )
        cast = np.bincount(X.rows[live], minlength=X.shape[0]) + int(self.moderated_out_.sum())
        n_s = len(self.statement_ids_)
        scale = np.sqrt(n_s / np.maximum(cast, 1))
        return proj * scale[:, None]

    def fit_transform(self, X: VoteMatrix, y: object = None) -> FloatArray:  # noqa: N803 (sklearn's X)
        """`fit(X).transform(X)`."""
        return self.fit(X).transform(X)


NEAR_TIE = 0.01  # k-means restarts within 1 % of the best inertia count as equally good
DEGENERATE = 0.01  # Pol.is's start is replaced only by a restart at least 1 % better
SILHOUETTE_SAMPLE = 2000  # participants used to break near-ties (O(n^2) distances)


def _base_clusters(
    points: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, IntArray, float]:
    """Up to 100 base clusters (seeded k-means++), numbered in participant order.

    Base cluster 0 holds the first participant, base 1 the first participant not in base 0, and
    so on: the order Pol.is creates its base clusters in as participants arrive, which its
    deterministic group start ("the first k distinct centres") depends on.
    """
    n_distinct = len(np.unique(points, axis=0))
    centers, labels, inertia = kmeans(points, min(MAX_BASE_CLUSTERS, n_distinct), rng, n_init=1)
    _, first_member = np.unique(labels, return_index=True)  # labels are 0..len(centers)-1
    order = np.argsort(first_member, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return centers[order], rank[labels], inertia


def _group(
    points: FloatArray,
    rng: np.random.Generator,
    max_groups: int,
    n_init: int,
    record: dict[str, object] | None = None,
) -> tuple[IntArray, FloatArray, float, int]:
    """Base clusters, then weighted k-means of their centres with k chosen by silhouette.

    For each k the group step starts, as Pol.is does, from the first k distinct base-cluster
    centres. Seeded k-means++ restarts only guard against a degenerate start: one replaces it
    when its inertia is at least `DEGENERATE` lower (see docs/analytics.md, "Opinion maps").

    Returns (label per point, group centres, silhouette over base clusters, number of bases).
    `record`, when given, receives what a warm start needs: "base_centers", "base_labels" and
    "tried" ({k: (centres, group of each base, silhouette)}).
    """
    n = len(points)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2)), 0.0, 0
    base_centers, base_labels, base_inertia = _base_clusters(points, rng)
    n_base = len(base_centers)
    tried: dict[int, tuple[FloatArray, IntArray, float]] = {}
    if record is not None:
        record.update(base_centers=base_centers, base_labels=base_labels, tried=tried)
    weights = np.bincount(base_labels, minlength=n_base).astype(np.float64)
    max_k = min(max_groups, 2 + n_base // 12, n_base)  # Pol.is: k = 2 .. min(5, 2 + bases/12)
    if max_k < 2:
        return np.zeros(n, dtype=np.int64), base_centers[:1].copy(), 0.0, n_base
    sample = (
        np.sort(rng.choice(n, SILHOUETTE_SAMPLE, replace=False))
        if n > SILHOUETTE_SAMPLE
        else np.arange(n)
    )
    best: tuple[float, IntArray, FloatArray] | None = None
    for k in range(2, max_k + 1):
        # Pol.is's start: the first k distinct base centres (base clusters in arrival order)
        start = first_distinct(base_centers, k)
        polis = (
            kmeans(base_centers, k, rng, weights=weights, init=start) if len(start) == k else None
        )
        # Seeded restarts guard against a degenerate start. Among them: the lowest inertia, and
        # among near-ties (within 1 %) the best-separated partition of participants, by the
        # silhouette Pol.is uses to pick k.
        runs = [
            kmeans(base_centers, k, rng, weights=weights, n_init=1) for _ in range(max(n_init, 1))
        ]
        runs = [r for r in runs if len(r[0]) == k]
        best_restart = min((r[2] for r in runs), default=np.inf)
        polis_kept = (
            polis is not None
            and len(polis[0]) == k
            and best_restart > polis[2] * (1 - DEGENERATE)  # not degenerate
        )
        if polis is not None and polis_kept:
            runs = [polis]  # Pol.is's start stands, as in Pol.is
        if not runs:
            continue
        # participant-level inertia = weighted base inertia + the (constant) scatter within bases
        total = np.array([r[2] for r in runs]) + base_inertia
        near = [
            r for r, t in zip(runs, total, strict=True) if t <= total.min() * (1 + NEAR_TIE) + 1e-12
        ]
        scores = (
            [silhouette(points[sample], r[1][base_labels[sample]]) for r in near]
            if len(near) > 1
            else [0.0]
        )
        centers, labels, _ = near[int(np.argmax(scores))]
        score = silhouette(base_centers, labels)  # over base clusters, unweighted (Pol.is)
        tried[k] = (centers, labels, score)
        if best is None or score > best[0] + 1e-12:
            best = (score, labels, centers)
    if best is None:
        return np.zeros(n, dtype=np.int64), base_centers[:1].copy(), 0.0, n_base
    score, group_of_base, centers = best
    return group_of_base[base_labels], centers, score, n_base


@dataclass(frozen=True)
class _Clusterings:
    """The clustering part of an update's state (base and group clusterings, k smoother)."""

    base_ids: IntArray
    base_centers: FloatArray
    base_labels: IntArray  # index into base_ids, per in-conversation participant
    tried: dict[int, tuple[FloatArray, IntArray, float]]
    last_k: int
    last_k_count: int
    smoothed_k: int


def _align(old: IntArray, new: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Position in sorted `old` of each id of `new`, and whether it is there."""
    if len(old) == 0:
        return np.zeros(len(new), dtype=np.int64), np.zeros(len(new), dtype=bool)
    pos = np.minimum(np.searchsorted(old, new), len(old) - 1)
    return pos.astype(np.int64), old[pos] == new


def _fit_warm(
    votes: VoteMatrix, previous: OpinionMapState, rng: np.random.Generator, iters: int
) -> OpinionProjector:
    """PCA by power iteration started from the last update's components (Pol.is pca.clj
    `powerit-pca`, `power-iteration`): one component at a time, the data deflated by the ones
    found (`factor-matrix`), at most `iters` iterations, stopping once no loading moves by more
    than `PCA_TOL` (Pol.is waits for an exactly repeated eigenvalue). Statements new since the
    last update start at 1 (as Pol.is pads); a missing or all-zero last component is replaced by
    a seeded random start (`wrapped-pca`). No sign flip: the iteration keeps the last update's
    orientation, as Pol.is's does.
    """
    n_p, n_s = votes.shape
    proj = OpinionProjector(random_state=0)
    proj.statement_ids_ = votes.statement_ids.copy()
    proj.moderated_out_ = votes.moderated_out.copy()
    live = ~votes.moderated_out[votes.cols]
    seen = np.bincount(votes.cols[live], minlength=n_s)
    total = np.bincount(
        votes.cols[live], weights=votes.values[live].astype(np.float64), minlength=n_s
    )
    proj.center_ = np.divide(total, seen, out=np.zeros(n_s), where=seen > 0)
    resid = proj._residual(votes)
    proj._fitted_on = (votes, resid)  # the transform that follows reuses it
    rt = resid.T.tocsr()
    # few statements: iterate on the small dense Gram matrix S^T S instead of S twice per step
    gram = (rt @ resid).toarray() if n_s <= 500 else None

    def gram_times(x: FloatArray) -> FloatArray:
        return np.asarray(gram @ x if gram is not None else rt @ (resid @ x))

    n_c = proj.n_components
    comps = np.zeros((n_c, n_s))
    evals = np.zeros(n_c)
    pos, known = _align(previous.statement_ids, votes.statement_ids)
    for c in range(min(n_c, n_s, n_p)):
        if c < len(previous.components) and previous.components[c].any():
            v = np.ones(n_s)
            v[known] = previous.components[c, pos[known]]
        else:  # no last component: a random start (Pol.is `rand-starting-vec`), seeded
            v = rng.random(n_s)
        found = comps[:c]
        v -= found.T @ (found @ v)
        v /= max(float(np.linalg.norm(v)), 1e-300)
        for _ in range(max(iters, 1)):
            u = gram_times(v)
            u -= found.T @ (found @ u)
            lam = float(np.linalg.norm(u))
            if lam == 0.0:
                v = u
                break
            u /= lam
            moved = float(np.abs(u - v).max())
            v = u
            if moved <= PCA_TOL:
                break
        norm = float(np.linalg.norm(v))
        comps[c] = v / norm if norm > 0 else 0.0
        evals[c] = float(np.linalg.norm(gram_times(comps[c]))) if norm > 0 else 0.0
    proj.components_ = comps
    proj.explained_variance_ = evals / max(n_p - 1, 1)
    return proj


def _warm_group(
    coords: FloatArray,
    ids_in: IntArray,
    previous: OpinionMapState,
    max_groups: int,
    buffer: int,
) -> tuple[IntArray, FloatArray, float, _Clusterings]:
    """Base and group clusterings started from the last update's, and k smoothed (Pol.is
    conversation.clj `base-clusters`, `group-clusterings`, `group-k-smoother`).

    Returns (group per participant, group centres, silhouette, the new state's clustering part).
    """
    n = len(coords)
    pos, was_in = _align(previous.in_conv_ids, ids_in)
    prev_labels = np.full(n, -1, dtype=np.int64)
    prev_labels[was_in] = np.searchsorted(previous.base_ids, previous.base_of[pos[was_in]])
    has_bases = len(previous.base_ids) > 0
    base_centers, base_labels, base_ids = warm_kmeans(
        coords,
        MAX_BASE_CLUSTERS,
        prev_labels if has_bases else None,
        previous.base_ids if has_bases else None,
        max_iter=BASE_ITERS,
    )
    n_base = len(base_ids)
    weights = np.bincount(base_labels, minlength=n_base).astype(np.float64)
    max_k = min(max_groups, 2 + n_base // 12, n_base)
    tried: dict[int, tuple[FloatArray, IntArray, float]] = {}
    for k in range(2, max_k + 1):
        last = previous.clustering(k)
        start_labels: IntArray | None = None
        start_ids: IntArray | None = None
        if last is not None:
            bpos, bknown = _align(previous.base_ids, base_ids)
            start_labels = np.full(n_base, -1, dtype=np.int64)
            start_labels[bknown] = last.base_labels[bpos[bknown]]
            start_ids = np.arange(len(last.centers), dtype=np.int64)
        centers, labels, _ = warm_kmeans(
            base_centers, k, start_labels, start_ids, weights=weights, max_iter=GROUP_ITERS
        )
        tried[k] = (centers, labels, silhouette(base_centers, labels))
    if tried:
        # the best k now; ties go to the larger k (Pol.is `apply max-key` keeps the last)
        this_k = max(tried, key=lambda k: (tried[k][2], k))
        count = previous.last_k_count + 1 if previous.last_k == this_k else 1
        smoothed = this_k if count >= buffer or previous.smoothed_k < 2 else previous.smoothed_k
        shown = min(smoothed, max_k)  # a k no longer tried: the largest one tried
        centers, group_of_base, sil = tried[shown]
        labels_in = group_of_base[base_labels]
    else:
        this_k, smoothed, sil = 1, previous.smoothed_k, 0.0
        count = previous.last_k_count + 1 if previous.last_k == 1 else 1
        centers, labels_in = base_centers[:1].copy(), np.zeros(n, dtype=np.int64)
    part = _Clusterings(base_ids, base_centers, base_labels, tried, this_k, count, smoothed)
    return labels_in, centers, sil, part


def _state(
    projector: OpinionProjector, ids_in: IntArray, part: _Clusterings, n_updates: int
) -> OpinionMapState:
    """The state an update leaves (see `OpinionMapState`)."""
    order = np.argsort(ids_in, kind="stable")
    return OpinionMapState(
        statement_ids=projector.statement_ids_.copy(),
        components=projector.components_.copy(),
        center=projector.center_.copy(),
        in_conv_ids=ids_in[order].astype(np.int64),
        base_ids=part.base_ids,
        base_centers=part.base_centers.reshape(-1, 2),
        base_of=part.base_ids[part.base_labels[order]],
        group_clusterings=tuple(
            GroupClustering(k=k, centers=c, base_labels=lab.astype(np.int64))
            for k, (c, lab, _) in sorted(part.tried.items())
        ),
        last_k=part.last_k,
        last_k_count=part.last_k_count,
        smoothed_k=part.smoothed_k,
        n_updates=n_updates,
    )


@dataclass(frozen=True)
class _Step:
    """Projection and groups of one update, before the statement lists."""

    projector: OpinionProjector
    rows_in: IntArray
    coords: FloatArray
    labels_in: IntArray
    centers: FloatArray
    silhouette: float
    n_base: int
    state: OpinionMapState


def _step(
    votes: VoteMatrix,
    *,
    seed: int,
    max_groups: int,
    min_votes: int,
    n_init: int,
    previous: OpinionMapState | None,
    group_k_buffer: int,
    pca_iters: int,
) -> _Step:
    """PCA, in-conversation participants, base and group clusterings, and the new state."""
    rng = np.random.default_rng(seed)
    if previous is None:
        projector = OpinionProjector(random_state=seed).fit(votes)
        coords_all = projector.transform(votes)
        mask = in_conversation(votes, min_votes=min_votes)
        rows_in = np.flatnonzero(mask)
        coords = coords_all[rows_in]
        record: dict[str, object] = {}
        labels_in, centers, sil, n_base = _group(coords, rng, max_groups, n_init, record)
        tried: dict[int, tuple[FloatArray, IntArray, float]] = record.get("tried", {})  # type: ignore[assignment]
        # the k `_group` kept: the first best silhouette
        best_k = max(tried, key=lambda k: (tried[k][2], -k)) if tried else 1
        part = _Clusterings(
            np.arange(n_base, dtype=np.int64),
            np.asarray(record.get("base_centers", np.zeros((0, 2))), dtype=np.float64),
            np.asarray(record.get("base_labels", np.zeros(0)), dtype=np.int64),
            tried,
            best_k,
            1,
            best_k,
        )
        n_updates = 1
    else:
        projector = _fit_warm(votes, previous, rng, pca_iters)
        coords_all = projector.transform(votes)
        mask = in_conversation(votes, min_votes=min_votes, already=previous.in_conv_ids)
        rows_in = np.flatnonzero(mask)
        coords = coords_all[rows_in]
        labels_in, centers, sil, part = _warm_group(
            coords, votes.participant_ids[rows_in], previous, max_groups, group_k_buffer
        )
        n_base = len(part.base_ids)
        n_updates = previous.n_updates + 1
    state = _state(projector, votes.participant_ids[rows_in], part, n_updates)
    return _Step(projector, rows_in, coords, labels_in, centers, sil, n_base, state)


def advance_state(
    votes: VoteMatrix,
    previous: OpinionMapState | None,
    *,
    seed: int = 0,
    max_groups: int = 5,
    min_votes: int = MIN_VOTES,
    n_init: int = 10,
    group_k_buffer: int = GROUP_K_BUFFER,
    pca_iters: int = PCA_ITERS,
) -> OpinionMapState:
    """One update of the engine state only (no statement lists): what Pol.is's math worker
    keeps between polls. `compute_opinion_map(votes, previous=...)` gives the same `state`."""
    return _step(
        votes,
        seed=seed,
        max_groups=max_groups,
        min_votes=min_votes,
        n_init=n_init,
        previous=previous,
        group_k_buffer=group_k_buffer,
        pca_iters=pca_iters,
    ).state


def compute_opinion_map(
    votes: VoteMatrix,
    *,
    seed: int = 0,
    max_groups: int = 5,
    min_votes: int = MIN_VOTES,
    confidence: float = 0.90,
    pick_max: int = 5,
    n_init: int = 10,
    previous: OpinionMapState | None = None,
    group_k_buffer: int = GROUP_K_BUFFER,
    pca_iters: int = PCA_ITERS,
) -> OpinionMap:
    """Compute the opinion map of a conversation (groups, repness, consensus, divisive).

    `seed` makes k-means reproducible; `max_groups` caps k (Pol.is: 5); `min_votes` is the
    in-conversation threshold; `confidence` the one-sided level of the repness tests (Pol.is:
    90 %); `pick_max` how many statements each list keeps; `n_init` the k-means restarts for
    the group step (Pol.is instead carries centres over from the previous run).

    `previous` (the `state` of an earlier result) makes this a warm update, as Pol.is's math
    worker does: PCA by `pca_iters` power iterations from the last components, participants once
    in the conversation stay in, base and group k-means start from the last clusterings'
    members (no restarts), and the number of groups shown changes only once a new k has had
    the best silhouette `group_k_buffer` updates in a row. Without it, the map is computed
    from scratch. Either way the result's `state` is what the next update starts from.
    """
    st = _step(
        votes,
        seed=seed,
        max_groups=max_groups,
        min_votes=min_votes,
        n_init=n_init,
        previous=previous,
        group_k_buffer=group_k_buffer,
        pca_iters=pca_iters,
    )
    rows_in, coords, labels_in, centers = st.rows_in, st.coords, st.labels_in, st.centers
    projector, sil, n_base, state = st.projector, st.silhouette, st.n_base, st.state
    # deterministic group ids: largest group first, ties by centre position
    n_groups = len(centers)
    sizes = np.bincount(labels_in, minlength=n_groups)
    order = (
        np.lexsort((centers[:, 1], centers[:, 0], -sizes))
        if n_groups
        else np.zeros(0, dtype=np.int64)
    )
    rank = np.empty(n_groups, dtype=np.int64)
    rank[order] = np.arange(n_groups)
    labels_in = rank[labels_in] if len(labels_in) else labels_in
    centers = centers[order]
    row_group = np.full(votes.shape[0], -1, dtype=np.int64)
    row_group[rows_in] = labels_in
    na, nd, ns = group_counts(votes, row_group, n_groups)
    reps = representative_statements(
        votes, row_group, n_groups, confidence=confidence, pick_max=pick_max, counts=(na, nd, ns)
    )
    gac_a, gac_d = group_aware_consensus(na, nd, ns)
    groups = tuple(
        OpinionGroup(
            id=g,
            member_ids=votes.participant_ids[rows_in[labels_in == g]],
            center=(float(centers[g, 0]), float(centers[g, 1])),
            representative=reps[g],
        )
        for g in range(n_groups)
    )
    return OpinionMap(
        participant_ids=votes.participant_ids[rows_in],
        coordinates=coords,
        labels=labels_in.astype(np.int64),
        groups=groups,
        consensus=polis_consensus(votes, pick_max=pick_max),
        group_informed_consensus=(
            group_informed_consensus_statements(votes, na, nd, ns, pick_max=pick_max)
            if n_groups
            else ()
        ),
        divisive=divisive_statements(votes, na, ns, pick_max=pick_max),
        statement_ids=votes.statement_ids,
        components=projector.components_,
        center=projector.center_,
        group_aware_consensus_agree=gac_a if n_groups else np.zeros(votes.shape[1]),
        group_aware_consensus_disagree=gac_d if n_groups else np.zeros(votes.shape[1]),
        silhouette=sil,
        n_base_clusters=n_base,
        parameters={
            "seed": seed,
            "max_groups": max_groups,
            "min_votes": min_votes,
            "confidence": confidence,
            "pick_max": pick_max,
            "n_init": n_init,
            **({"group_k_buffer": group_k_buffer, "pca_iters": pca_iters} if previous else {}),
        },
        state=state,
    )
