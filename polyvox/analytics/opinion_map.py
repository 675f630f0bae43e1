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

from typing import Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from polyvox.analytics.opinion_map_kmeans import first_distinct, kmeans, silhouette
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
    "OpinionProjector",
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


def in_conversation(
    votes: VoteMatrix, *, min_votes: int = MIN_VOTES, min_participants: int = MIN_PARTICIPANTS
) -> npt.NDArray[np.bool_]:
    """Mask of participants placed on the map (Pol.is "in-conv"); passes count as votes."""
    counts = votes.votes_per_participant()
    mask = counts >= min(min_votes, votes.shape[1])
    mask &= counts > 0
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
    points: FloatArray, rng: np.random.Generator, max_groups: int, n_init: int
) -> tuple[IntArray, FloatArray, float, int]:
    """Base clusters, then weighted k-means of their centres with k chosen by silhouette.

    For each k the group step starts, as Pol.is does, from the first k distinct base-cluster
    centres. Seeded k-means++ restarts only guard against a degenerate start: one replaces it
    when its inertia is at least `DEGENERATE` lower (see docs/analytics.md, "Opinion maps").

    Returns (label per point, group centres, silhouette over base clusters, number of bases).
    """
    n = len(points)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2)), 0.0, 0
    base_centers, base_labels, base_inertia = _base_clusters(points, rng)
    n_base = len(base_centers)
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
        if best is None or score > best[0] + 1e-12:
            best = (score, labels, centers)
    if best is None:
        return np.zeros(n, dtype=np.int64), base_centers[:1].copy(), 0.0, n_base
    score, group_of_base, centers = best
    return group_of_base[base_labels], centers, score, n_base


def compute_opinion_map(
    votes: VoteMatrix,
    *,
    seed: int = 0,
    max_groups: int = 5,
    min_votes: int = MIN_VOTES,
    confidence: float = 0.90,
    pick_max: int = 5,
    n_init: int = 10,
) -> OpinionMap:
    """Compute the opinion map of a conversation (groups, repness, consensus, divisive).

    `seed` makes k-means reproducible; `max_groups` caps k (Pol.is: 5); `min_votes` is the
    in-conversation threshold; `confidence` the one-sided level of the repness tests (Pol.is:
    90 %); `pick_max` how many statements each list keeps; `n_init` the k-means restarts for
    the group step (Pol.is instead carries centres over from the previous run).
    """
    rng = np.random.default_rng(seed)
    projector = OpinionProjector(random_state=seed).fit(votes)
    coords_all = projector.transform(votes)
    mask = in_conversation(votes, min_votes=min_votes)
    rows_in = np.flatnonzero(mask)
    coords = coords_all[rows_in]
    labels_in, centers, sil, n_base = _group(coords, rng, max_groups, n_init)
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
        },
    )
