"""The opinion map page and API read one stored snapshot, never every vote (issue 14): their number
of queries does not grow with the votes, "who agrees with you" comes from database aggregates,
and the figures stored with the map hold no participant id and no cell under five people."""

import json

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polyvox.analytics.opinion_map import group_agreement, groups_agreeing_more_than_average
from polyvox.participants.models import StakeholderGroup
from polyvox.statements.agreement import bridging_statements, who_agrees_with
from polyvox.statements.map_figures import FIGURES_VERSION, profiles_of
from polyvox.statements.models import OpinionMapSnapshot
from polyvox.statements.selectors import MIN_CELL, latest_snapshot, vote_matrix
from polyvox.statements.services import refresh_opinion_map
from tests.factories import ProcessFactory, make_statement, make_voters, vote_all
from tests.statements.test_selectors import snapshot_of

GROUPS = ["civil_society", "government", "private_sector"]


def crowd(process, participant, n_voters, n_statements, *, seed=0):
    """`n_voters` others plus `participant` voting on `n_statements` statements at random
    (seeded), spread over three stakeholder groups and two organisations."""
    rng = np.random.default_rng(seed)
    statements = [make_statement(process, f"Claim {j}.") for j in range(n_statements)]
    for i in range(n_voters):
        group = GROUPS[i % len(GROUPS)]
        org = {"organisation": "Ministry"} if group == "government" else {}
        (user,) = make_voters(1, f"v{seed}-{i}-", stakeholder_group=group, **org)
        vote_all([user], statements, rng.choice([-1, 0, 1], n_statements).tolist())
    vote_all([participant], statements, rng.choice([-1, 1], n_statements).tolist())
    return statements


def map_page_queries(client, process, participant):
    client.force_login(participant)
    url = reverse("statements:opinion_map", kwargs={"slug": process.slug})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def reads_votes_row_by_row(sql, viewer_id):
    """A query over the votes table that is neither an aggregate nor the viewer's own votes."""
    if '"statements_vote"' not in sql:
        return False
    aggregate = "GROUP BY" in sql or "COUNT(" in sql
    own = f'"statements_vote"."participant_id" = {viewer_id}' in sql
    return not (aggregate or own)


def test_the_map_page_makes_as_many_queries_with_200_votes_as_with_10(
    client, process, participant, django_user_model
):
    """The page reads the snapshot, the statements it names and aggregates: with 20 times the
    votes it makes the same queries, and none reads the votes row by row."""
    crowd(process, participant, n_voters=9, n_statements=1)  # 10 votes
    refresh_opinion_map(process=process)
    small = map_page_queries(client, process, participant)

    other = ProcessFactory()
    second = django_user_model.objects.create_user("second-viewer")
    crowd(other, second, n_voters=39, n_statements=5, seed=1)  # 200 votes
    snapshot = refresh_opinion_map(process=other)
    assert snapshot.n_votes == 200
    large = map_page_queries(client, other, second)

    assert len(large) == len(small), "\n".join(large)
    assert not [q for q in small if reads_votes_row_by_row(q, participant.pk)]
    assert not [q for q in large if reads_votes_row_by_row(q, second.pk)]


def test_who_agrees_with_you_from_aggregates_equals_the_count_over_every_vote(process, participant):
    crowd(process, participant, n_voters=30, n_statements=6, seed=7)

    found = who_agrees_with(participant=participant, process=process, limit=20)

    # The same figures from the whole vote matrix, as the engine counts them.
    votes = vote_matrix(process)
    ids = votes.participant_ids.tolist()
    me = ids.index(participant.pk)
    row = np.full(votes.shape[1], np.nan)
    mine = votes.rows == me
    row[votes.cols[mine]] = votes.values[mine]
    profiles = profiles_of(ids)
    groups = list(StakeholderGroup.values)
    stakeholder = np.array([groups.index(profiles[u][0]) for u in ids])
    stakeholder[me] = -1
    others = np.zeros(len(ids), dtype=np.int64)
    others[me] = -1
    everyone = group_agreement(votes, others)
    names = dict(StakeholderGroup.choices)
    expected = {
        (str(names[groups[m.group_label]]), round(100 * m.rate), round(100 * m.average_rate))
        for m in groups_agreeing_more_than_average(
            row, group_agreement(votes, stakeholder), everyone, min_cell=MIN_CELL
        )
    }
    assert found.compared
    assert {
        (k.label, k.match_percent, k.average_percent)
        for k in found.kindred
        if k.kind == "stakeholder_group"
    } == expected


def test_who_agrees_with_you_compares_nothing_until_you_agree_or_disagree(process, participant):
    statement = make_statement(process, "Claim.")
    vote_all(make_voters(6, "x"), [statement], [1])
    vote_all([participant], [statement], [0])

    assert not who_agrees_with(participant=participant, process=process).compared


def test_the_stored_figures_hold_no_participant_id_and_no_small_cell(process, participant):
    statements = crowd(process, participant, n_voters=8, n_statements=4, seed=3)

    snapshot = refresh_opinion_map(process=process)

    figures = snapshot.figures
    assert figures["version"] == FIGURES_VERSION
    # 9 voters: three stakeholder groups of 3 (and the viewer, an individual): all suppressed.
    cells = [c for row in figures["agreement"]["statements"].values() for c in row]
    assert cells
    assert all(c == [None, None] for c in cells)
    for row in figures["crosstab"]:
        counts = [n for _key, n in row["by_stakeholder_group"] + row["by_region"]]
        assert all(n is None or n >= MIN_CELL for n in counts)
    stored = json.dumps(figures)
    voter_ids = set(vote_matrix(process).participant_ids.tolist())
    assert not any(f'"id": {uid}' in stored for uid in voter_ids)
    assert set(figures["group_informed_consensus"]) == {str(s.pk) for s in statements}


def test_a_map_stored_before_the_figures_gets_them_once(process, make_voters):
    shared = make_statement(process, "Shared.")
    left, right = make_voters(6, "l"), make_voters(6, "r", stakeholder_group="government")
    vote_all(left + right, [shared], [1])
    snapshot = snapshot_of(process, [left, right])
    assert snapshot.figures == {}

    assert [b.statement for b in bridging_statements(process, snapshot)] == [shared]
    stored = OpinionMapSnapshot.objects.get(pk=snapshot.pk).figures  # saved: read once
    assert stored["version"] == FIGURES_VERSION
    assert stored["bridging"][0]["statement_id"] == shared.pk


@pytest.mark.parametrize("where", ["page", "api"])
def test_the_engine_state_is_never_read_by_the_page_or_the_api(client, process, participant, where):
    crowd(process, participant, n_voters=6, n_statements=3)
    refresh_opinion_map(process=process)
    OpinionMapSnapshot.objects.update(engine_state={"participant_ids": [participant.pk]})
    assert "engine_state" in latest_snapshot(process).get_deferred_fields()

    url = (
        reverse("statements:opinion_map", kwargs={"slug": process.slug})
        if where == "page"
        else f"/api/v1/processes/{process.slug}/opinion-map"
    )
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert not [q for q in captured.captured_queries if "engine_state" in q["sql"]]


def camps(process, statements, n, prefix, side):
    """`n` voters agreeing with the first half of the statements when `side` is 1, else with the
    second half (and disagreeing with the other half)."""
    users = make_voters(n, prefix)
    half = len(statements) // 2
    vote_all(users, statements, [side if j < half else -side for j in range(len(statements))])
    return users


def partition(snapshot):
    groups = {}
    for p in snapshot.result["participants"]:
        groups.setdefault(p["group"], set()).add(p["id"])
    return sorted(sorted(g) for g in groups.values())


def test_a_refresh_after_more_votes_starts_from_the_last_state(process):
    statements = [make_statement(process, f"Claim {j}.") for j in range(8)]
    camps(process, statements, 10, "a", 1)
    camps(process, statements, 10, "b", -1)
    first = refresh_opinion_map(process=process)
    camps(process, statements, 3, "c", 1)

    second = refresh_opinion_map(process=process)

    assert (first.params["warm_start"], second.params["warm_start"]) == (False, True)
    assert (first.params["warm_since_full"], second.params["warm_since_full"]) == (0, 1)
    # Two clear camps: the warm map groups people as a map computed from scratch does.
    OpinionMapSnapshot.objects.update(engine_state=None)
    cold = refresh_opinion_map(process=process)
    assert cold.params["warm_start"] is False
    assert partition(second) == partition(cold)


def test_only_the_latest_map_keeps_its_engine_state(process):
    statements = [make_statement(process, f"Claim {j}.") for j in range(8)]
    camps(process, statements, 8, "a", 1)
    first = refresh_opinion_map(process=process)
    second = refresh_opinion_map(process=process)

    kept = dict(OpinionMapSnapshot.objects.values_list("pk", "engine_state"))

    assert kept[first.pk] is None
    assert kept[second.pk]["in_conv_ids"]  # participant ids: never on the page or in the API


def test_another_seed_or_every_nth_refresh_recomputes_from_scratch(process, monkeypatch):
    statements = [make_statement(process, f"Claim {j}.") for j in range(8)]
    camps(process, statements, 8, "a", 1)
    camps(process, statements, 8, "b", -1)
    monkeypatch.setattr("polyvox.statements.services.FULL_REFRESH_EVERY", 3)

    runs = [refresh_opinion_map(process=process) for _ in range(4)]
    reseeded = refresh_opinion_map(process=process, seed=1)

    assert [r.params["warm_start"] for r in runs] == [False, True, True, False]
    assert [r.params["warm_since_full"] for r in runs] == [0, 1, 2, 0]
    assert reseeded.params["warm_start"] is False
