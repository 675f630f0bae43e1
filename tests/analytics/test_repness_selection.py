"""Representative statements chosen as Pol.is's math worker chooses them: best agree first."""

from __future__ import annotations

import numpy as np

from polyvox.analytics.opinion_map_stats import representative_statements
from polyvox.analytics.types import VoteMatrix


def _camps(first_statement_for_everyone: bool) -> tuple[VoteMatrix, np.ndarray]:
    """Twelve people in two camps of six. Camp A agrees with 1-3 and disagrees with 4-6, camp B
    the reverse; statement 0 is agreed by everyone (or, if not, split like 1)."""
    pid, sid, val = [], [], []
    for p in range(12):
        camp_a = p < 6
        for s in range(7):
            everyone = s == 0 and first_statement_for_everyone
            v = 1 if everyone or (s <= 3) == camp_a else -1
            pid.append(p)
            sid.append(s)
            val.append(v)
    votes = VoteMatrix.from_votes(pid, sid, val)
    return votes, np.array([0] * 6 + [1] * 6)


def test_a_statement_everyone_agrees_with_comes_first_as_the_groups_best_agree() -> None:
    votes, groups = _camps(first_statement_for_everyone=True)
    reps = representative_statements(votes, groups, 2)
    # Pol.is shows the group's best agree first, here the statement all agree with; then four
    # sufficient statements by their metric (all equal here, so by id), agrees before disagrees
    assert [(r.statement_id, r.direction) for r in reps[0]] == [
        (0, "agree"),
        (1, "agree"),
        (2, "agree"),
        (3, "agree"),
        (4, "disagree"),
    ]
    assert [(r.statement_id, r.direction) for r in reps[1]] == [
        (0, "agree"),
        (4, "agree"),
        (1, "disagree"),
        (2, "disagree"),
        (3, "disagree"),
    ]
    everyone = reps[1][0]
    assert (everyone.n_success, everyone.n_seen) == (6, 6)  # shown with its agree figures


def test_without_common_ground_the_best_agree_is_one_of_the_groups_own() -> None:
    votes, groups = _camps(first_statement_for_everyone=False)
    reps = representative_statements(votes, groups, 2)
    # camp A's best agree is its first own statement; camp B's is statement 4; then, five in
    # all, the other sufficient statements by their metric (all equal here, so by id)
    assert [(r.statement_id, r.direction) for r in reps[0]] == [
        (0, "agree"),
        (1, "agree"),
        (2, "agree"),
        (3, "agree"),
        (4, "disagree"),
    ]
    assert [(r.statement_id, r.direction) for r in reps[1]] == [
        (4, "agree"),
        (0, "disagree"),
        (1, "disagree"),
        (2, "disagree"),
        (3, "disagree"),
    ]
