"""Statements API: public lists and maps without identities; votes for signed-in participants."""

import json

from polyvox.statements.models import StatementStatus, Vote
from polyvox.statements.services import refresh_opinion_map
from tests.factories import vote_all


def response_text(body):
    return json.dumps(body)


def test_the_statement_list_has_accepted_statements_with_their_counts(
    client, process, make_statement, make_voters
):
    claim = make_statement("Claim.")
    make_statement("Pending.", status=StatementStatus.PENDING)
    vote_all(make_voters(2, "v"), [claim], [1])

    response = client.get(f"/api/v1/processes/{process.slug}/statements")

    assert response.json() == [
        {
            "id": claim.pk,
            "text": "Claim.",
            "is_seed": False,
            "source_contribution": None,
            "agree": 2,
            "disagree": 0,
            "passed": 0,
        }
    ]


def test_the_opinion_map_gives_groups_without_identities(
    client, process, make_statement, make_voters
):
    statements = [make_statement(f"Claim {i}.") for i in range(7)]
    voters = make_voters(6, "north") + make_voters(6, "south")
    vote_all(voters[:6], statements, [1, 1, 1, 1, -1, -1, 1])
    vote_all(voters[6:], statements, [-1, -1, -1, -1, 1, 1, 1])
    snapshot = refresh_opinion_map(process=process)

    body = client.get(f"/api/v1/processes/{process.slug}/opinion-map").json()

    assert (body["snapshot_id"], body["participants_in_map"], body["n_votes"]) == (
        snapshot.pk,
        12,
        84,
    )
    assert sorted(g["size"] for g in body["groups"]) == [6, 6]
    assert {key for g in body["groups"] for key in g} == {"id", "size", "representative"}
    assert "north0" not in response_text(body)
    # Pol.is's consensus: all twelve agree with the last statement; the split ones are not in it
    assert body["consensus"] == {"agree": [statements[6].pk], "disagree": []}
    assert body["group_informed_consensus"][0] == {
        "statement_id": statements[6].pk,
        "direction": "agree",
    }


def test_a_map_stored_before_pol_is_consensus_reads_as_group_informed_consensus(
    client, process, make_statement
):
    from django.utils import timezone

    from polyvox.statements.models import OpinionMapSnapshot

    claim = make_statement("Claim.")
    old = {"participants": [], "groups": [], "divisive": []}
    old["consensus"] = [{"statement_id": claim.pk, "direction": "agree", "score": 0.8}]
    OpinionMapSnapshot.objects.create(
        process=process, computed_at=timezone.now(), code_version="0.1.0", result=old
    )

    body = client.get(f"/api/v1/processes/{process.slug}/opinion-map").json()

    assert body["consensus"] == {"agree": [], "disagree": []}
    assert body["group_informed_consensus"] == [{"statement_id": claim.pk, "direction": "agree"}]


def test_the_opinion_map_is_404_before_one_is_published(client, process):
    response = client.get(f"/api/v1/processes/{process.slug}/opinion-map")

    assert response.status_code == 404


def test_a_signed_in_participant_votes_through_the_api(
    client, process, deliberation, participant, make_statement
):
    claim = make_statement("Claim.")
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{process.slug}/statements/{claim.pk}/votes",
        {"value": -1},
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (200, {"statement_id": claim.pk, "value": -1})
    assert Vote.objects.get().value == -1


def test_anonymous_callers_cannot_vote(client, process, deliberation, make_statement):
    claim = make_statement("Claim.")

    response = client.post(
        f"/api/v1/processes/{process.slug}/statements/{claim.pk}/votes",
        {"value": 1},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert Vote.objects.count() == 0


def test_a_vote_outside_the_deliberation_phase_is_403(
    client, process, open_phase, participant, make_statement
):
    claim = make_statement("Claim.")
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{process.slug}/statements/{claim.pk}/votes",
        {"value": 1},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_an_invalid_vote_value_is_422_and_nothing_changes(
    client, process, deliberation, participant, make_statement
):
    claim = make_statement("Claim.")
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{process.slug}/statements/{claim.pk}/votes",
        {"value": 2},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert Vote.objects.count() == 0
