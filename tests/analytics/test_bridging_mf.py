"""Matrix-factorisation bridging score: planted camps, the fit itself, and real Pol.is data."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from scipy.optimize import minimize

from polyvox.analytics.bridging_mf import bridging_scores, bridging_scores_by_group
from polyvox.analytics.opinion_map_stats import group_agreement
from polyvox.analytics.polis_io import read_polis_export, read_polis_group_ids
from polyvox.analytics.types import VoteMatrix
from tests.data.polis_data import polis_conversation

BRIDGE, DIVIDE = 0, 1  # statement ids of the planted statements


def _camps(
    agree: list[tuple[float, float]],
    *,
    n_a: int = 100,
    n_b: int = 100,
    n_axis: int = 30,
    p_vote: float = 0.8,
    seed: int = 0,
) -> VoteMatrix:
    """Two camps voting along one axis: `agree[k]` is the probability that camp A (ids 0..n_a-1)
    and camp B agree with planted statement k; `n_axis` further statements split the camps to
    varying degrees (camp A agrees with probability x, camp B with 1 - x). Everyone votes on
    each statement with probability `p_vote`; a vote is agree or disagree, never pass."""
    rng = np.random.default_rng(seed)
    axis = [(x, 1.0 - x) for x in rng.uniform(0.05, 0.95, n_axis)]
    p = np.array(agree + axis)  # (statements, 2)
    camp = np.r_[np.zeros(n_a, dtype=int), np.ones(n_b, dtype=int)]
    voted = rng.random((len(camp), len(p))) < p_vote
    agrees = rng.random((len(camp), len(p))) < p[:, camp].T
    pid, sid = np.nonzero(voted)
    return VoteMatrix.from_votes(pid, sid, np.where(agrees[pid, sid], 1, -1))


def _agree_count(votes: VoteMatrix, sid: int) -> int:
    j = int(np.searchsorted(votes.statement_ids, sid))
    return int(((votes.cols == j) & (votes.values == 1)).sum())


def _agree_share(votes: VoteMatrix, sid: int) -> float:
    j = int(np.searchsorted(votes.statement_ids, sid))
    on = (votes.cols == j) & (votes.values != 0)
    return float((votes.values[on] == 1).mean())


@pytest.mark.parametrize("seed", range(3))
def test_a_statement_both_camps_agree_with_ranks_first(seed: int) -> None:
    votes = _camps([(0.9, 0.9), (1.0, 0.0)], seed=seed)
    scores = bridging_scores(votes)
    assert scores.converged
    assert scores.statement_ids[scores.ranked()[0]] == BRIDGE


@pytest.mark.parametrize("seed", range(3))
def test_a_divisive_statement_is_explained_by_the_factor_not_the_intercept(seed: int) -> None:
    votes = _camps([(0.9, 0.9), (1.0, 0.0)], seed=seed)
    assert 0.4 < _agree_share(votes, DIVIDE) < 0.6  # half agree overall...
    scores = bridging_scores(votes)
    bridge, divide = scores.score_of(BRIDGE), scores.score_of(DIVIDE)
    # ...but it is no bridge: its intercept is far below the bridging statement's
    assert divide < bridge - 0.2
    # and its factor is the most extreme of all statements: it *is* the axis
    j = int(np.searchsorted(scores.statement_ids, DIVIDE))
    assert abs(scores.factor[j]) == pytest.approx(np.nanmax(np.abs(scores.factor)))
    assert abs(scores.factor[j]) > 5 * abs(scores.factor[BRIDGE])


@pytest.mark.parametrize("seed", range(5))
def test_popular_but_one_sided_ranks_below_the_bridge_despite_more_agrees(seed: int) -> None:
    # camp A is three times camp B and agrees with statement 1 to a person; camp B never does
    votes = _camps([(0.7, 0.7), (1.0, 0.0)], n_a=150, n_b=50, seed=seed)
    assert _agree_count(votes, DIVIDE) > _agree_count(votes, BRIDGE)
    assert _agree_share(votes, DIVIDE) > _agree_share(votes, BRIDGE)
    scores = bridging_scores(votes)
    assert scores.score_of(BRIDGE) > scores.score_of(DIVIDE)


@pytest.mark.parametrize("seed", range(3))
def test_one_axis_does_not_see_a_middle_camp_rejecting(seed: int) -> None:
    """A documented limit (docs/analytics.md): three camps, the third halfway between the other
    two on the axis. Statement 1 is accepted by the outer camps and rejected by the middle one:
    the single factor cannot express that, so it is not flagged divisive and keeps a middling
    intercept, while group-informed consensus over the three camps sinks it."""
    rng = np.random.default_rng(seed)
    camp = np.repeat([0, 1, 2], 80)
    axis = [(x, 1.0 - x, 0.5) for x in rng.uniform(0.05, 0.95, 30)]
    p = np.array([(0.9, 0.9, 0.9), (0.9, 0.9, 0.1), *axis])
    voted = rng.random((len(camp), len(p))) < 0.8
    agrees = rng.random((len(camp), len(p))) < p[:, camp].T
    pid, sid = np.nonzero(voted)
    votes = VoteMatrix.from_votes(pid, sid, np.where(agrees[pid, sid], 1, -1))
    scores = bridging_scores(votes)
    assert scores.ranked()[:2].tolist() == [0, 1]
    assert abs(scores.factor[1]) < 0.2
    assert scores.intercept[1] < 0.7 * scores.intercept[0]
    ga = group_agreement(votes, camp)
    gic = ((ga.n_agree + 1) / (ga.n_seen + 2)).prod(0)
    assert gic[1] < 0.2 < 0.6 < gic[0]


def test_per_group_fits_see_only_their_own_members() -> None:
    # statement 1 divides the camps, but inside camp A everyone agrees with it
    votes = _camps([(0.9, 0.9), (1.0, 0.0)], n_a=120, n_b=80, seed=8)
    camp = (votes.participant_ids >= 120).astype(int)
    labels = np.where(votes.participant_ids % 50 == 7, -1, camp)  # a few in no group
    overall = bridging_scores(votes)
    by_group = bridging_scores_by_group(votes, labels)
    assert sorted(by_group) == [0, 1]
    a = by_group[0]
    np.testing.assert_array_equal(a.statement_ids, votes.statement_ids)
    assert not np.isnan(a.participant_intercept).any()  # members only, all fitted
    assert (a.participant_ids % 50 != 7).all()
    assert len(a.participant_ids) == int((labels == 0).sum())
    # agreed by all of camp A: within A it is as bridging as statement 0, far above overall
    assert a.score_of(DIVIDE) > overall.score_of(DIVIDE) + 0.2
    assert abs(a.score_of(DIVIDE) - a.score_of(BRIDGE)) < 0.1
    with pytest.raises(ValueError, match="one entry per participant"):
        bridging_scores_by_group(votes, labels[:-1])


def test_same_seed_same_scores_other_seed_same_optimum() -> None:
    votes = _camps([(0.9, 0.9), (1.0, 0.0)], seed=3)
    first, again = bridging_scores(votes, seed=0), bridging_scores(votes, seed=0)
    np.testing.assert_array_equal(first.intercept, again.intercept)
    np.testing.assert_array_equal(first.participant_factor, again.participant_factor)
    other = bridging_scores(votes, seed=7)
    np.testing.assert_allclose(other.intercept, first.intercept, atol=1e-4)
    np.testing.assert_allclose(other.factor, first.factor, atol=1e-4)


def test_the_factor_sign_follows_community_notes_the_larger_share_is_negative() -> None:
    for n_a, n_b in ((150, 50), (50, 150)):
        scores = bridging_scores(_camps([(1.0, 0.0)], n_a=n_a, n_b=n_b, seed=1))
        f = scores.participant_factor
        assert (f < 0).sum() > (f > 0).sum()


def test_intercepts_shrink_toward_zero_with_few_ratings_and_stronger_penalty() -> None:
    # statements 0 and 1 are agreed by everyone who votes on them; 1 is seen by few people
    votes = _camps([(1.0, 1.0), (1.0, 1.0)], seed=2)
    keep = (votes.cols != 1) | (votes.rows < 8)
    few = VoteMatrix.from_votes(
        votes.participant_ids[votes.rows[keep]],
        votes.statement_ids[votes.cols[keep]],
        votes.values[keep],
    )
    scores = bridging_scores(few)
    assert 5 <= scores.n_ratings[1] <= 8
    assert scores.n_ratings[0] >= 100
    assert 0 < scores.intercept[1] < scores.intercept[0]
    stronger = bridging_scores(few, lambda_intercept=1.5)
    assert np.nanmean(np.abs(stronger.intercept)) < np.nanmean(np.abs(scores.intercept))


def test_unscored_statements_and_participants() -> None:
    votes = _camps([(0.9, 0.9), (1.0, 0.0), (0.5, 0.5)], seed=4)
    rows, cols, vals = votes.rows, votes.cols, votes.values
    # statement 2 keeps 4 ratings (not participant 0's); participant 0 keeps 3 votes on other
    # statements; statement 3 is moderated out
    on_2 = np.flatnonzero((cols == 2) & (rows > 0))[:4]
    of_0 = np.flatnonzero((rows == 0) & (cols != 2))[:3]
    keep = (cols != 2) & (rows != 0)
    keep[on_2] = keep[of_0] = True
    v = VoteMatrix.from_votes(
        votes.participant_ids[rows[keep]],
        votes.statement_ids[cols[keep]],
        vals[keep],
        moderated_out_ids=[3],
    )
    scores = bridging_scores(v)
    assert np.isnan(scores.score_of(2))
    assert scores.n_ratings[2] == 4
    assert np.isnan(scores.score_of(3))
    assert scores.n_ratings[3] == 0
    assert 2 not in scores.statement_ids[scores.ranked()].tolist()
    assert np.isnan(scores.participant_intercept[0])
    assert np.isnan(scores.participant_factor[0])
    assert not np.isnan(scores.participant_intercept[1:]).any()
    with pytest.raises(KeyError):
        scores.score_of(999)


def test_passes_are_skipped_unless_given_a_value() -> None:
    votes = _camps([(0.9, 0.9), (1.0, 0.0)], seed=5)
    # everybody who has not voted on statement 0 passes on it
    voted = np.zeros(votes.shape, dtype=bool)
    voted[votes.rows, votes.cols] = True
    extra = np.flatnonzero(~voted[:, 0])
    with_passes = VoteMatrix.from_votes(
        np.r_[votes.participant_ids[votes.rows], votes.participant_ids[extra]],
        np.r_[votes.statement_ids[votes.cols], np.zeros(len(extra), dtype=np.int64)],
        np.r_[votes.values, np.zeros(len(extra), dtype=np.int8)],
    )
    plain, skipped = bridging_scores(votes), bridging_scores(with_passes)
    np.testing.assert_allclose(skipped.intercept, plain.intercept, atol=1e-9)
    half = bridging_scores(with_passes, pass_value=0.5)
    assert half.n_ratings[0] == votes.shape[0]
    assert half.score_of(BRIDGE) < plain.score_of(BRIDGE)  # a pass now counts as half-agree


def _objective(x: npt.NDArray[np.float64], u, n, r, n_u, n_n, li, lf) -> float:  # type: ignore[no-untyped-def]
    """Community Notes' loss as its code writes it: mean squared error + lambda x mean square of
    each parameter block (intercepts 5x). Written independently of the module under test."""
    mu, a, f = x[0], x[1 : 1 + n_u], x[1 + n_u : 1 + 2 * n_u]
    b, g = x[1 + 2 * n_u : 1 + 2 * n_u + n_n], x[1 + 2 * n_u + n_n :]
    pred = mu + a[u] + b[n] + f[u] * g[n]
    return float(
        np.mean((r - pred) ** 2)
        + li * (np.mean(a**2) + np.mean(b**2) + mu**2)
        + lf * (np.mean(f**2) + np.mean(g**2))
    )


def test_the_fit_reaches_the_same_minimum_as_a_general_optimiser() -> None:
    votes = _camps([(0.9, 0.9), (1.0, 0.0)], n_a=25, n_b=15, n_axis=6, seed=6)
    scores = bridging_scores(votes, tol=1e-10, max_iter=5000, min_participant_ratings=1)
    assert scores.converged
    u, n = votes.rows.astype(np.intp), votes.cols.astype(np.intp)
    r = (votes.values == 1).astype(float)
    n_u, n_n = votes.shape
    args = (u, n, r, n_u, n_n, 0.15, 0.03)
    rng = np.random.default_rng(0)
    x0 = rng.normal(0, 0.1, 1 + 2 * n_u + 2 * n_n)
    best = minimize(_objective, x0, args=args, method="L-BFGS-B", options={"maxiter": 20000})
    ours = np.r_[
        scores.global_intercept,
        scores.participant_intercept,
        scores.participant_factor,
        scores.intercept,
        scores.factor,
    ]
    assert _objective(ours, *args) <= best.fun + 1e-9
    b_ref = best.x[1 + 2 * n_u : 1 + 2 * n_u + n_n]
    g_ref = best.x[1 + 2 * n_u + n_n :]
    np.testing.assert_allclose(scores.intercept, b_ref, atol=1e-3)
    np.testing.assert_allclose(np.abs(scores.factor), np.abs(g_ref), atol=1e-3)


def test_bad_parameters_and_empty_input() -> None:
    votes = _camps([(0.9, 0.9)], seed=0)
    for kwargs, message in (
        ({"lambda_intercept": 0.0}, "must be positive"),
        ({"lambda_factor": -1.0}, "must be positive"),
        ({"min_ratings": 0}, "at least 1"),
        ({"pass_value": 2.0}, "between 0 and 1"),
        ({"penalty": "max"}, "'mean' or 'sum'"),
    ):
        with pytest.raises(ValueError, match=message):
            bridging_scores(votes, **kwargs)
    empty = VoteMatrix.from_votes([], [], [], all_statement_ids=[1, 2])
    scores = bridging_scores(empty)
    assert np.isnan(scores.intercept).all()
    assert scores.ranked().size == 0
    assert scores.converged


@pytest.mark.parametrize("name", ["vtaiwan.uberx", "canadian-electoral-reform"])
def test_real_conversation_top_bridging_statements_are_agreed_in_every_polis_group(
    name: str,
) -> None:
    folder = polis_conversation(name)
    votes = read_polis_export(folder)
    scores = bridging_scores(votes)
    assert scores.converged
    pid, gid = read_polis_group_ids(folder)
    labels = np.full(votes.shape[0], -1)
    labels[np.searchsorted(votes.participant_ids, pid)] = gid
    ga = group_agreement(votes, labels)
    assert len(ga.group_labels) >= 2
    cast = ga.n_agree + ga.n_disagree
    share = ga.n_agree / np.maximum(cast, 1)  # agree share among agree/disagree, per group
    top = scores.ranked()[:5]
    # each of the five best-bridging statements is agreed by at least 3 in 4 in every Pol.is
    # group...
    assert (cast[:, top] >= 5).all()
    assert (share[:, top] >= 0.75).all(), share[:, top]
    # ...which the five statements with the most agrees are not
    agrees = ga.n_agree.sum(0).astype(float)
    agrees[~scores.scored] = -1
    most = np.argsort(-agrees, kind="stable")[:5]
    assert share[:, most].min() < share[:, top].min()


def analyse(*args: str) -> subprocess.CompletedProcess[str]:
    """`polyvox analyse bridging ...` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "polyvox.analytics", "bridging", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_lists_every_statement_with_both_measures_best_bridging_first() -> None:
    folder = polis_conversation("canadian-electoral-reform")
    done = analyse(str(folder))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    votes = read_polis_export(folder)
    rows = doc["statements"]
    assert sorted(r["statement_id"] for r in rows) == votes.statement_ids.tolist()
    scored = [r for r in rows if r["score"] is not None]
    assert len(scored) > 100
    assert rows[: len(scored)] == scored  # scored first...
    assert [r["score"] for r in scored] == sorted((r["score"] for r in scored), reverse=True)
    assert all(0 <= r["group_informed_consensus"] <= 1 for r in rows)
    assert all(len(r["group_agree_rates"]) == len(doc["groups"]) for r in rows)
    # the best-bridging statement is agreed by most of every opinion group
    assert min(rows[0]["group_agree_rates"]) > 0.5
    # a moderated-out statement has no score but is still listed
    assert all(r["score"] is None for r in rows if r["moderated_out"])
    assert doc["converged"] is True
    assert not math.isnan(doc["spearman_with_group_informed_consensus"])


def test_cli_text_table_and_bad_input(tmp_path: Path) -> None:
    done = analyse(str(polis_conversation("15-per-hour-seattle")), "--format", "text")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "GIC" in lines[2]
    assert "statements scored" in lines[0]
    assert len(lines) == 3 + len(
        read_polis_export(polis_conversation("15-per-hour-seattle")).statement_ids
    )
    (tmp_path / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n",
        encoding="utf-8",
    )
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,abc,1,1\n", encoding="utf-8"
    )
    bad = analyse(str(tmp_path))
    assert bad.returncode == 2
    assert "votes.csv:2" in bad.stderr
    assert "comment-id" in bad.stderr
    assert analyse(str(tmp_path), "--min-ratings", "0").returncode == 2
