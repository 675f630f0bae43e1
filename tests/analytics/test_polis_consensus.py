"""Pol.is's consensus (its proportion test on all votes, 90 % one-sided, top five), under its name."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.opinion_map_stats import polis_consensus
from polyvox.analytics.polis_io import read_polis_export
from polyvox.analytics.types import VoteMatrix
from tests.data.polis_data import polis_conversation


def _votes(per_statement: dict[int, tuple[int, int, int]], moderated: tuple[int, ...] = ()):
    """Statement id -> (agrees, disagrees, passes); each vote from its own participant."""
    pid, sid, val = [], [], []
    for s, (a, d, p) in per_statement.items():
        for v, n in ((1, a), (-1, d), (0, p)):
            pid += range(len(pid), len(pid) + n)
            sid += [s] * n
            val += [v] * n
    return VoteMatrix.from_votes(
        pid, sid, val, all_statement_ids=list(per_statement), moderated_out_ids=moderated
    )


def test_a_clear_majority_is_consensus_a_slim_one_is_not() -> None:
    # 15 of 20 agree: pa = 16/22, z = 2 sqrt(21) (16/21 - 1/2) = 2.40 > 1.2816
    # 12 of 20 agree: pa = 13/22 > 1/2, but z = 2 sqrt(21) (13/21 - 1/2) = 1.09: not significant
    # 3 agree, 16 disagree, 1 pass: a disagree pick
    cons = polis_consensus(_votes({1: (15, 5, 0), 2: (12, 8, 0), 3: (3, 16, 1)}))
    assert [c.statement_id for c in cons.agree] == [1]
    assert [c.statement_id for c in cons.disagree] == [3]
    first = cons.agree[0]
    assert (first.n_success, first.n_trials) == (15, 20)
    assert first.p_success == pytest.approx(16 / 22)
    assert first.p_test == pytest.approx(2 * math.sqrt(21) * (16 / 21 - 0.5))
    assert cons.disagree[0].n_trials == 20  # passes are votes seen


def test_five_at_most_ranked_by_share_times_test() -> None:
    # unanimous statements: the more votes, the larger pa x z
    cons = polis_consensus(_votes({s: (5 + s, 0, 0) for s in range(8)}))
    assert [c.statement_id for c in cons.agree] == [7, 6, 5, 4, 3]
    scores = [c.p_success * c.p_test for c in cons.agree]
    assert scores == sorted(scores, reverse=True)
    assert len(polis_consensus(_votes(dict.fromkeys(range(8), (9, 0, 0))), pick_max=2).agree) == 2


def test_moderated_out_statements_are_never_consensus() -> None:
    cons = polis_consensus(_votes({1: (30, 0, 0), 2: (20, 0, 0)}, moderated=(1,)))
    assert [c.statement_id for c in cons.agree] == [2]


def test_everyone_counts_not_only_participants_on_the_map() -> None:
    # 10 people vote on everything (on the map); 40 more cast one vote each on statement 0 only,
    # all disagreeing. Pol.is counts them: statement 0 becomes a disagree pick.
    pid, sid, val = [], [], []
    for p in range(10):
        for s in range(8):
            pid.append(p)
            sid.append(s)
            val.append(1 if (p + s) % 2 else -1)
    for p in range(10, 50):
        pid.append(p)
        sid.append(0)
        val.append(-1)
    votes = VoteMatrix.from_votes(pid, sid, val)
    om = compute_opinion_map(votes, seed=0)
    assert len(om.participant_ids) < 50
    assert [c.statement_id for c in om.consensus.disagree] == [0]
    assert om.consensus.disagree[0].n_trials == 50


@pytest.mark.parametrize("name", ["vtaiwan.uberx", "canadian-electoral-reform"])
def test_real_conversation_matches_a_count_from_the_raw_files(name: str) -> None:
    """Counted straight from votes.csv (latest vote per voter and comment) and comments.csv,
    independently of the engine's matrices, the top five by pa x z are the engine's picks."""
    directory = polis_conversation(name)
    latest: dict[tuple[str, str], tuple[float, int]] = {}
    with (directory / "votes.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["voter-id"], row["comment-id"])
            stamp = float(row["timestamp"])
            if key not in latest or stamp >= latest[key][0]:
                latest[key] = (stamp, int(row["vote"]))
    with (directory / "comments.csv").open(newline="") as fh:
        out = {int(r["comment-id"]) for r in csv.DictReader(fh) if r["moderated"] == "-1"}
    counts: dict[int, list[int]] = {}
    for (_, comment), (_, vote) in latest.items():
        c = counts.setdefault(int(comment), [0, 0, 0])
        c[0 if vote == 1 else 1 if vote == -1 else 2] += 1
    expected = {}
    for direction, k in (("agree", 0), ("disagree", 1)):
        ranked = []
        for tid, c in counts.items():
            n, seen = c[k], sum(c)
            pa = (n + 1) / (seen + 2)
            z = 2 * math.sqrt(seen + 1) * ((n + 1) / (seen + 1) - 0.5)
            if tid not in out and pa > 0.5 and z > 1.2815515655446004:
                ranked.append((-pa * z, tid))
        expected[direction] = [tid for _, tid in sorted(ranked)[:5]]
    cons = compute_opinion_map(read_polis_export(directory), seed=0).consensus
    assert [c.statement_id for c in cons.agree] == expected["agree"]
    assert [c.statement_id for c in cons.disagree] == expected["disagree"]
    assert cons.agree  # both real conversations have statements most people agree with
    assert np.all([c.p_success > 0.5 for c in (*cons.agree, *cons.disagree)])
