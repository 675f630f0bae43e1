""" "Who agrees with you" lists only the stakeholder groups (and organisations) whose votes matched
yours more often than the average participant's did, or says that none does."""

import numpy as np
import pytest
from django.urls import reverse

from polyvox.analytics.opinion_map import group_agreement, groups_agreeing_more_than_average
from polyvox.analytics.types import VoteMatrix
from polyvox.statements.agreement import who_agrees_with
from tests.experience.html import page, select, select_one, text
from tests.factories import make_statement, make_voters, vote_all
from tests.statements.test_selectors import snapshot_of


def matrix(rows):
    """rows: participant → {statement: vote}."""
    pids, sids, vals = [], [], []
    for pid, votes in rows.items():
        for sid, value in votes.items():
            pids.append(pid), sids.append(sid), vals.append(value)
    return VoteMatrix.from_votes(pids, sids, vals, all_statement_ids=[1, 2])


def test_a_group_is_listed_only_when_it_matches_more_than_everyone_on_the_same_statements():
    # Participant 0 agrees with 1 and disagrees with 2. Group 0 (five people): on statement 1,
    # 4 agree and 1 passes; on 2, 3 disagree and 2 agree: 7 matches of 10 votes = 70 %.
    # Group 1 (five people): 1 agree + 4 disagree on 1, 5 agree on 2: 1 of 10 = 10 %.
    # Everyone else (ten): 8 of 20 = 40 %. Only group 0 is above it.
    g0 = {1: [1, 1, 1, 1, 0], 2: [-1, -1, -1, 1, 1]}
    g1 = {1: [1, -1, -1, -1, -1], 2: [1, 1, 1, 1, 1]}
    rows = {0: {1: 1, 2: -1}}
    for offset, group in ((1, g0), (6, g1)):
        for i in range(5):
            rows[offset + i] = {1: group[1][i], 2: group[2][i]}
    votes = matrix(rows)
    labels = np.array([-1] + [0] * 5 + [1] * 5)
    everyone = group_agreement(votes, np.array([-1] + [0] * 10))
    row = np.array([1.0, -1.0])

    (match,) = groups_agreeing_more_than_average(row, group_agreement(votes, labels), everyone)

    assert (match.group_label, match.matched, match.seen) == (0, 7, 10)
    assert (match.average_matched, match.average_seen) == (8, 20)
    assert (match.rate, match.average_rate) == (0.7, 0.4)


def test_a_group_exactly_at_the_average_is_not_listed_and_small_groups_never_are():
    rows = {0: {1: 1, 2: 1}} | {i: {1: 1, 2: 1} for i in range(1, 10)}
    votes = matrix(rows)
    labels = np.array([-1] + [0] * 5 + [1] * 4)  # group 1 has 4 members: suppressed
    everyone = group_agreement(votes, np.array([-1] + [0] * 9))

    found = groups_agreeing_more_than_average(
        np.array([1.0, 1.0]), group_agreement(votes, labels), everyone
    )

    assert found == ()


def test_passing_on_everything_compares_nothing():
    votes = matrix({0: {1: 0, 2: 0}} | {i: {1: 1, 2: 1} for i in range(1, 7)})
    everyone = group_agreement(votes, np.array([-1] + [0] * 6))
    labels = np.array([-1] + [0] * 6)

    assert (
        groups_agreeing_more_than_average(
            np.array([0.0, 0.0]), group_agreement(votes, labels), everyone
        )
        == ()
    )


@pytest.fixture
def crowd(process, participant):
    """Governments agree with both claims, the private sector disagrees with both."""
    claims = [make_statement(process, f"Claim {i}.") for i in range(2)]
    governments = make_voters(5, "gov", stakeholder_group="government")
    businesses = make_voters(5, "biz", stakeholder_group="private_sector")
    vote_all(governments, claims, [1, 1])
    vote_all(businesses, claims, [-1, -1])
    return claims, governments + businesses


def test_the_page_names_the_group_that_agrees_more_than_average_in_words(
    client, process, participant, crowd
):
    claims, voters = crowd
    vote_all([participant], claims, [1, 1])
    snapshot_of(process, [[*voters, participant]])
    client.force_login(participant)

    html = page(client.get(reverse("statements:opinion_map", kwargs={"slug": process.slug})))

    assert [text(li) for li in select(html, "ul.kindred li")] == [
        "Government (stakeholder group): 100% of their votes on the 2 statements you voted on"
        " matched yours, against 50% for all participants."
    ]
    assert "similarity" not in text(html)


def test_the_page_says_when_no_group_agrees_more_than_average(client, process, participant, crowd):
    claims, voters = crowd
    everyone_agrees = make_statement(process, "Everyone agrees.")
    vote_all([*voters, participant], [everyone_agrees], [1])
    vote_all([participant], claims, [0, 0])
    snapshot_of(process, [[*voters, participant]])
    client.force_login(participant)

    html = page(client.get(reverse("statements:opinion_map", kwargs={"slug": process.slug})))

    assert select_one(html, "ul.kindred") is None
    assert (
        "No stakeholder group or organisation agrees with you more than the average participant"
        " does." in text(html)
    )


def test_nothing_is_compared_for_someone_who_has_not_voted(process, participant, crowd):
    found = who_agrees_with(participant=participant, process=process)

    assert (found.compared, found.kindred) == (False, [])
