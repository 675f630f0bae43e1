"""A bridging score by matrix factorisation, in the manner of the Community Notes note ranking.

Model (Wojcik et al. 2022, "Birdwatch: Crowd Wisdom and Bridging Algorithms can Inform
Understanding and Reduce the Spread of Misinformation", arXiv:2210.15723; Community Notes
documentation, "Note ranking algorithm", communitynotes.x.com/guide/en/under-the-hood/ranking-notes):

    r̂_un = μ + i_u + i_n + f_u · f_n        (one factor dimension)

fitted to agree (1) / disagree (0) votes by least squares with ridge penalties, the intercepts
penalised five times more than the factors (λ_i = 0.15, λ_f = 0.03). The factor soaks up the
agreement that follows a participant's side of the main opinion axis, so a statement's intercept
i_n is what is left: agreement shared across sides. i_n is the bridging score.

Choices (see docs/analytics.md, "Bridging: matrix factorisation and group-informed consensus"):

* Passes are not opinions and are skipped by default (`pass_value=None`); Community Notes'
  "somewhat helpful" = 0.5 is available as `pass_value=0.5`.
* Moderated-out statements are left out of the fit and get NaN.
* As in Community Notes' filters, statements need `min_ratings` (5) ratings and then
  participants `min_participant_ratings` (10) ratings on the remaining statements, one pass each;
  a statement left with fewer than `min_ratings` ratings is fitted but gets NaN.
* Penalty scale: the published formula writes each penalty as a sum over parameters; the
  published code (`sourcecode/scoring/matrix_factorization/matrix_factorization.py`) minimises
  mean squared error plus λ x the *mean* square of each parameter block. The two differ by the
  ratio of participants to statements, which in Pol.is conversations (many more participants
  than statements) would let the participants' factor penalty outweigh the statements'
  intercept penalty and undo the "intercepts regularised more" design. `penalty="mean"`
  (default) follows the code; `penalty="sum"` the formula as printed.
* The fit is alternating ridge least squares, not the gradient descent of Community Notes: each
  block (every participant's (i_u, f_u), every statement's (i_n, f_n), then μ) has a closed-form
  2x2 (or scalar) solution, whose sums are sparse x dense products for all rows at once. The
  model has exact symmetries the data term cannot see (shifting every f_u by c while moving
  c·f_n into i_n, rescaling f_u by s and f_n by 1/s, moving a constant between μ and the
  intercepts); only the penalties pick among them, and plain alternation drifts along them
  slowly, so each iteration also takes the exact penalty-minimising step along each symmetry,
  and an extrapolation that is kept only when it lowers the objective.
* The factor's sign is fixed as in Community Notes' `_flip_factors_for_identification`: the
  larger share of participants gets a negative factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from polyvox.analytics.types import AGREE, PASS, BoolArray, FloatArray, IntArray, VoteMatrix

Penalty = Literal["mean", "sum"]


@dataclass(frozen=True, eq=False)
class BridgingScores:
    """Result of `bridging_scores`; arrays are aligned with the VoteMatrix's ids.

    `intercept[j]` is statement j's bridging score (NaN when not scored: moderated out or too few
    ratings); `factor[j]` its position on the fitted opinion axis (large |factor| = divisive).
    """

    statement_ids: IntArray
    intercept: FloatArray
    factor: FloatArray
    n_ratings: IntArray  # ratings the statement received (passes excluded by default), before
    # the filters; scored statements keep at least `min_ratings` after them
    participant_ids: IntArray
    participant_intercept: FloatArray  # NaN for participants left out of the fit
    participant_factor: FloatArray
    global_intercept: float
    converged: bool
    iterations: int
    parameters: dict[str, float | int | str | None]

    @property
    def scored(self) -> BoolArray:
        """True for statements that received a score."""
        return ~np.isnan(self.intercept)

    def ranked(self) -> IntArray:
        """Positions of scored statements, highest bridging score first (ties: lower id first)."""
        idx = np.flatnonzero(self.scored)
        return idx[np.lexsort((self.statement_ids[idx], -self.intercept[idx]))].astype(np.int64)

    def score_of(self, statement_id: int) -> float:
        """The bridging score of one statement id (NaN when unscored)."""
        j = int(np.searchsorted(self.statement_ids, statement_id))
        if j >= len(self.statement_ids) or self.statement_ids[j] != statement_id:
            raise KeyError(statement_id)
        return float(self.intercept[j])


def bridging_scores(
    votes: VoteMatrix,
    *,
    lambda_intercept: float = 0.15,
    lambda_factor: float = 0.03,
    seed: int = 0,
    max_iter: int = 300,
    tol: float = 1e-6,
    min_ratings: int = 5,
    min_participant_ratings: int = 10,
    pass_value: float | None = None,
    penalty: Penalty = "mean",
) -> BridgingScores:
    """Fit r̂ = μ + i_u + i_n + f_u·f_n to the votes and return each statement's intercept.

    Converged means the largest change of any statement parameter and of μ in one iteration fell
    below `tol`; otherwise the fit stopped at `max_iter`.
    """
    if lambda_intercept <= 0 or lambda_factor <= 0:
        raise ValueError("lambda_intercept and lambda_factor must be positive")
    if penalty not in ("mean", "sum"):
        raise ValueError("penalty must be 'mean' or 'sum'")
    if min_ratings < 1 or min_participant_ratings < 1:
        raise ValueError("min_ratings and min_participant_ratings must be at least 1")
    if pass_value is not None and not 0.0 <= pass_value <= 1.0:
        raise ValueError("pass_value must be between 0 and 1")
    n_p, n_s = votes.shape
    params: dict[str, float | int | str | None] = {
        "lambda_intercept": lambda_intercept,
        "lambda_factor": lambda_factor,
        "seed": seed,
        "max_iter": max_iter,
        "tol": tol,
        "min_ratings": min_ratings,
        "min_participant_ratings": min_participant_ratings,
        "pass_value": pass_value,
        "penalty": penalty,
    }
    rows, cols, r = _ratings(votes, pass_value)
    n_ratings = np.bincount(cols, minlength=n_s).astype(np.int64)
    # Community Notes' filters, one pass each: statements first, then participants
    keep = n_ratings[cols] >= min_ratings
    rows, cols, r = rows[keep], cols[keep], r[keep]
    keep = np.bincount(rows, minlength=n_p)[rows] >= min_participant_ratings
    rows, cols, r = rows[keep], cols[keep], r[keep]
    n_fitted = np.bincount(cols, minlength=n_s)

    intercept = np.full(n_s, np.nan)
    factor = np.full(n_s, np.nan)
    p_intercept = np.full(n_p, np.nan)
    p_factor = np.full(n_p, np.nan)
    if len(r) == 0:
        return BridgingScores(
            votes.statement_ids, intercept, factor, n_ratings, votes.participant_ids,
            p_intercept, p_factor, float("nan"), True, 0, params,
        )  # fmt: skip
    p_used, ru = _compact(rows, n_p)
    s_used, rn = _compact(cols, n_s)
    fit = _als(
        ru,
        rn,
        r,
        len(p_used),
        len(s_used),
        lambda_intercept=lambda_intercept,
        lambda_factor=lambda_factor,
        seed=seed,
        max_iter=max_iter,
        tol=tol,
        penalty=penalty,
    )
    a, f, b, g, mu, converged, iterations = fit
    if (f < 0).sum() < (f > 0).sum():  # Community Notes: the larger share gets a negative factor
        f, g = -f, -g
    scored = n_fitted[s_used] >= min_ratings
    intercept[s_used[scored]] = b[scored]
    factor[s_used[scored]] = g[scored]
    p_intercept[p_used] = a
    p_factor[p_used] = f
    return BridgingScores(
        statement_ids=votes.statement_ids,
        intercept=intercept,
        factor=factor,
        n_ratings=n_ratings,
        participant_ids=votes.participant_ids,
        participant_intercept=p_intercept,
        participant_factor=p_factor,
        global_intercept=float(mu),
        converged=converged,
        iterations=iterations,
        parameters=params,
    )


def bridging_scores_by_group(
    votes: VoteMatrix, labels: npt.ArrayLike, **kwargs: Any
) -> dict[int, BridgingScores]:
    """One fit per group of participants (e.g. stakeholder groups), keyed by label.

    `labels` has one integer per `votes.participant_ids`; negative means "in no group". Each fit
    sees only its group's votes, so a statement's score says whether it bridges the divide
    *within* that group. Every result keeps all statements (aligned with `votes.statement_ids`);
    `kwargs` go to `bridging_scores`.
    """
    lab = np.asarray(labels, dtype=np.int64).ravel()
    if len(lab) != votes.shape[0]:
        raise ValueError("labels must have one entry per participant")
    out: dict[int, BridgingScores] = {}
    for label in np.unique(lab[lab >= 0]).tolist():
        members = np.flatnonzero(lab == label)
        new_row = np.full(votes.shape[0], -1, dtype=np.int64)
        new_row[members] = np.arange(len(members))
        keep = new_row[votes.rows] >= 0
        subset = VoteMatrix(
            participant_ids=votes.participant_ids[members],
            statement_ids=votes.statement_ids,
            rows=new_row[votes.rows[keep]].astype(np.int32),
            cols=votes.cols[keep],
            values=votes.values[keep],
            moderated_out=votes.moderated_out,
        )
        out[int(label)] = bridging_scores(subset, **kwargs)
    return out


def _compact(idx: npt.NDArray[np.intp], n: int) -> tuple[IntArray, npt.NDArray[np.intp]]:
    """The used values of `idx` (sorted) and `idx` renumbered 0..k-1, in O(n) (no sort)."""
    used = np.bincount(idx, minlength=n) > 0
    new = np.cumsum(used) - 1
    return np.flatnonzero(used).astype(np.int64), new[idx].astype(np.intp)


def _ratings(
    votes: VoteMatrix, pass_value: float | None
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]:
    """Votes as (participant, statement, rating) with agree = 1, disagree = 0, passes as chosen;
    moderated-out statements dropped."""
    keep = ~votes.moderated_out[votes.cols]
    if pass_value is None:
        keep &= votes.values != PASS
    v = votes.values[keep]
    r = np.where(v == AGREE, 1.0, np.where(v == PASS, pass_value or 0.0, 0.0))
    return votes.rows[keep].astype(np.intp), votes.cols[keep].astype(np.intp), r


def _solve(
    count: FloatArray,
    so: FloatArray,
    soo: FloatArray,
    se: FloatArray,
    seo: FloatArray,
    reg_i: float,
    reg_f: float,
) -> tuple[FloatArray, FloatArray]:
    """Per entity k, the ridge solution of e ~ i_k + f_k * o over its ratings:
    [[n_k + reg_i, So], [So, Soo + reg_f]] (i_k, f_k) = (Se, Seo)."""
    a11 = count + reg_i
    a22 = soo + reg_f
    det = a11 * a22 - so * so  # > 0: the matrix is positive definite when reg_i, reg_f > 0
    return (a22 * se - so * seo) / det, (a11 * seo - so * se) / det


class _Side:
    """One side of the ratings (participants or statements) as sparse matrices, so that every
    per-entity sum the block solve needs is one sparse x dense product (no per-rating arrays)."""

    def __init__(self, m: sp.spmatrix, r: sp.spmatrix, reg_i: float, reg_f: float) -> None:
        self.m, self.r = m, r  # indicator of a rating, and the rating, rows = this side
        self.count = np.asarray(m.sum(axis=1)).ravel()
        self.rsum = np.asarray(r.sum(axis=1)).ravel()
        self.rsq = np.asarray(r.multiply(r).sum(axis=1)).ravel()
        self.reg_i, self.reg_f = reg_i, reg_f

    def fit(
        self, mu: float, icpt: FloatArray, fac: FloatArray, *, loss: bool = True
    ) -> tuple[FloatArray, FloatArray, float, FloatArray]:
        """Best (intercepts, factors) of this side given the other side's: also the data loss at
        that optimum (NaN unless `loss`) and this side's sums of the other side's factors (for
        the mu update)."""
        cols = [fac, fac * fac, icpt, icpt * fac] + ([icpt * icpt] if loss else [])
        p = self.m @ np.column_stack(cols)
        q = self.r @ (np.column_stack([fac, icpt]) if loss else fac[:, None])
        so, soo, sb, sbg = p[:, 0], p[:, 1], p[:, 2], p[:, 3]
        se = self.rsum - mu * self.count - sb  # sum of e = r - mu - other intercept
        seo = q[:, 0] - mu * so - sbg  # sum of e * other factor
        i, f = _solve(self.count, so, soo, se, seo, self.reg_i, self.reg_f)
        if not loss:
            return i, f, float("nan"), so
        see = self.rsq - 2 * (mu * self.rsum + q[:, 1]) + mu * mu * self.count + 2 * mu * sb
        see += p[:, 4]
        value = see - 2 * i * se - 2 * f * seo + i * i * self.count + 2 * i * f * so + f * f * soo
        return i, f, float(value.sum()), so


def _als(
    ru: npt.NDArray[np.intp],
    rn: npt.NDArray[np.intp],
    r: FloatArray,
    n_u: int,
    n_n: int,
    *,
    lambda_intercept: float,
    lambda_factor: float,
    seed: int,
    max_iter: int,
    tol: float,
    penalty: Penalty,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, float, bool, int]:
    """Alternating ridge least squares with exact steps along the model's symmetries and an
    extrapolation ("line search", Bro 1998, for alternating least squares) that is kept only when
    it lowers the objective.

    Objective (scaled by the number of ratings N so that both penalty forms read alike):
    S (r - mu - i_u - i_n - f_u f_n)^2 + c_u S_u (l_i i_u^2 + l_f f_u^2)
    + c_n S_n (l_i i_n^2 + l_f f_n^2) + c_mu l_i mu^2, with (c_u, c_n, c_mu) = (N/U, N/S, N) for
    the mean form and (1, 1, 1) for the sum form.
    """
    n_r = len(r)
    li, lf = lambda_intercept, lambda_factor
    if penalty == "mean":
        cu, cn, cm = n_r / n_u, n_r / n_n, float(n_r)
    else:
        cu, cn, cm = 1.0, 1.0, 1.0
    m = sp.csr_matrix((np.ones(n_r), (ru, rn)), shape=(n_u, n_n))
    rr = sp.csr_matrix((r, (ru, rn)), shape=(n_u, n_n))
    users = _Side(m, rr, cu * li, cu * lf)
    notes = _Side(m.T, rr.T, cn * li, cn * lf)  # CSC views: scatter-products, cache-friendly
    r_total = float(r.sum())

    def objective(
        data: float, a: FloatArray, f: FloatArray, b: FloatArray, g: FloatArray, mu: float
    ) -> float:
        return (
            data
            + cu * (li * _sq(a) + lf * _sq(f))
            + cn * (li * _sq(b) + lf * _sq(g))
            + cm * li * mu * mu
        )

    rng = np.random.default_rng(seed)
    g = rng.uniform(-0.5, 0.5, n_n)  # statement factors; participants are solved first
    b = np.zeros(n_n)
    mu = r_total / n_r
    a, f, data, _ = users.fit(mu, b, g)
    best = objective(data, a, f, b, g, mu)
    prev: FloatArray | None = None
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported
        phi = np.concatenate([b, g, [mu]])
        b, g, _, fsum = notes.fit(mu, a, f, loss=False)
        mu = (r_total - _dot(users.count, a) - _dot(notes.count, b) - _dot(fsum, g)) / (
            n_r + cm * li
        )
        a, f, b, g, mu = _gauge(a, f, b, g, mu, li, lf, cu, cn, cm)
        new = np.concatenate([b, g, [mu]])
        if float(np.abs(new - phi).max()) < tol:
            converged = True
            break
        accepted = False
        if prev is not None:
            trial = 2.0 * new - prev  # a full step ahead; fixed steps beat adaptive ones here
            tb, tg, tmu = trial[:n_n], trial[n_n:-1], float(trial[-1])
            ta, tf, data, _ = users.fit(tmu, tb, tg)
            value = objective(data, ta, tf, tb, tg, tmu)
            if value < best:
                accepted = True
                a, f, b, g, mu, best = ta, tf, tb, tg, tmu, value
        if not accepted:
            a, f, data, _ = users.fit(mu, b, g)
            best = objective(data, a, f, b, g, mu)
        prev = new
    return a, f, b, g, mu, converged, it


def _sq(x: FloatArray) -> float:
    """Sum of squares without BLAS (whose threads only contend on vectors this short)."""
    return float(np.square(x).sum())


def _dot(x: FloatArray, y: FloatArray) -> float:
    return float((x * y).sum())


def _gauge(
    a: FloatArray,
    f: FloatArray,
    b: FloatArray,
    g: FloatArray,
    mu: float,
    li: float,
    lf: float,
    cu: float,
    cn: float,
    cm: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, float]:
    """Move along the directions that leave every prediction unchanged, to the point the penalty
    prefers: each step is exact, so the objective never rises and ALS's slow drift is skipped."""
    # scale: f_u → s f_u, f_n → f_n / s; best s² = sqrt(c_n Σf_n² / (c_u Σf_u²))
    ff, gg = _sq(f), _sq(g)
    if ff > 0 and gg > 0:
        s = (cn * gg / (cu * ff)) ** 0.25
        f, g = f * s, g / s
    # shift the participants' factors: f_u → f_u + c, i_n → i_n - c f_n
    gg = _sq(g)
    c = (cn * li * _dot(g, b) - cu * lf * float(f.sum())) / (cu * lf * len(f) + cn * li * gg)
    f, b = f + c, b - c * g
    # shift the statements' factors: f_n → f_n + d, i_u → i_u - d f_u
    ff = _sq(f)
    d = (cu * li * _dot(f, a) - cn * lf * float(g.sum())) / (cn * lf * len(g) + cu * li * ff)
    g, a = g + d, a - d * f
    # move constants between μ and the intercepts: μ + δ1 + δ2, i_u - δ1, i_n - δ2
    m11, m12, m22 = cm + cu * len(a), cm, cm + cn * len(b)
    y1, y2 = cu * float(a.sum()) - cm * mu, cn * float(b.sum()) - cm * mu
    det = m11 * m22 - m12 * m12
    d1, d2 = (m22 * y1 - m12 * y2) / det, (m11 * y2 - m12 * y1) / det
    return a - d1, f, b - d2, g, mu + d1 + d2
