"""Decisions API: each recommendation's decision beside the what-if table, the rule set, the
electorate by public label, and recording a position with the one error shape."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from polyvox.analytics.decision_rules import what_if
from polyvox.outcomes.models import Position
from polyvox.outcomes.selectors.decisions import tallies
from polyvox.outcomes.services.decisions import declare_decision
from polyvox.processes.models import ParticipationPolicy
from tests.factories import PhaseFactory, make_recommendation, open_decision_phase
from tests.outcomes.conftest_decisions import person, positions, rules, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(process):
    open_decision_phase(process)
    return make_recommendation(process, "Publish every draft in all six UN languages")


def base(process):
    return f"/api/v1/processes/{process.slug}"


def post_position(client, process, number, data):
    return client.post(
        f"{base(process)}/recommendations/{number}/position",
        json.dumps(data),
        content_type="application/json",
    )


def test_decisions_list_the_live_what_if_then_the_declared_decision(
    client, process, secretariat, participant, other_participant, recommendation
):
    second = make_recommendation(process, "Keep a public record")
    positions(recommendation, (participant, "support"), (other_participant, "oppose"))
    live = [row.to_json() for row in what_if(tallies(recommendation))]
    declare_decision(actor=secretariat, recommendation=recommendation)

    response = client.get(f"{base(process)}/decisions")

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    first, other = response.json()
    assert first["number"] == 1
    assert first["title"] == "Publish every draft in all six UN languages"
    assert first["rule_set"] == "simple-majority"
    assert first["url"] == recommendation.get_absolute_url()
    assert first["what_if"] == live
    decision = first["decision"]
    assert decision["rule_set"] == "simple-majority"
    assert decision["rule_title"] == "Simple majority"
    assert decision["passed"] is False
    assert decision["reason"] == "1 in favour, 1 against: a tie fails."
    assert decision["groups"]["private_sector"] == {
        "in_favour": 0,
        "against": 1,
        "abstain": 0,
        "absent": 0,
        "members": 1,
    }
    assert decision["what_if"] == live
    assert decision["declared_at"]
    assert other["number"] == second.number
    assert other["decision"] is None
    assert [row["rule"] for row in other["what_if"]] == [
        "simple-majority",
        "two-thirds-present-voting",
        "un-security-council",
        "gnso-supermajority",
        "consensus-with-blocks",
        "chambers",
        "one-state-one-vote",
    ]
    assert other["what_if"][0] == {
        "rule": "simple-majority",
        "passed": False,
        "reason": "No vote was cast.",
        "groups": {},
    }


def test_decisions_are_paged(client, process, recommendation):
    make_recommendation(process, "Second")
    make_recommendation(process, "Third")

    response = client.get(f"{base(process)}/decisions?page_size=2")

    assert [row["number"] for row in response.json()] == [1, 2]
    assert response["X-Total-Count"] == "3"
    assert "cursor=" in response["Link"]


def test_rules_describe_the_rule_set_chambers_and_electorate(client, process, participant):
    rules(process, "chambers", government="2/3:members")
    seat(process, participant, "Kenya", "government")
    seat(process, person("isoc"), "ISOC", "technical")

    response = client.get(f"{base(process)}/rules")

    assert response.status_code == 200
    body = response.json()
    assert body["rule_set"] == "chambers"
    assert body["rule_title"] == "Chambers (each stakeholder group decides)"
    assert "ICANN Bylaws" in body["rule_source"]
    assert body["allows_block"] is False
    assert body["chambers"] == [
        {
            "group": "government",
            "threshold": "2/3:members",
            "description": "at least 2/3 of members",
        }
    ]
    assert body["objection_days"] == 7
    assert body["electors"] == 2
    assert body["elector_groups"] == [
        {"group": "government", "electors": 1},
        {"group": "technical", "electors": 1},
    ]
    assert [p["name"] for p in body["presets"]][-1] == "one-state-one-vote"
    assert [p["name"] for p in body["presets"] if p["allows_block"]] == ["consensus-with-blocks"]


def test_the_electorate_is_listed_by_public_label_only(client, process, participant):
    seat(process, participant, "Kenya", "government")
    seat(process, person("isoc"), "ISOC", "technical")

    response = client.get(f"{base(process)}/electors?page_size=1")

    assert response.json() == [{"voter": "Kenya", "group": "government"}]
    assert response["X-Total-Count"] == "2"
    assert "amina" not in response.content.decode().lower()


def test_a_signed_in_participant_records_a_position(client, process, participant, recommendation):
    client.force_login(participant)

    response = post_position(client, process, 1, {"position": "can-live-with", "reason": "Fine."})

    assert response.status_code == 200
    body = response.json()
    assert (body["recommendation"], body["position"], body["reason"]) == (
        1,
        "can-live-with",
        "Fine.",
    )
    assert Position.objects.get(author=participant).position == "can-live-with"


def test_a_visitor_must_log_in_to_record(client, process, recommendation):
    response = post_position(client, process, 1, {"position": "support"})

    assert response.status_code == 401
    assert not Position.objects.exists()


def test_without_a_csrf_token_the_post_is_refused(process, participant, recommendation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)

    response = post_position(client, process, 1, {"position": "support"})

    assert response.status_code == 403
    assert not Position.objects.exists()


def test_a_block_under_simple_majority_is_a_400_naming_the_field(
    client, process, participant, recommendation
):
    client.force_login(participant)

    response = post_position(client, process, 1, {"position": "block"})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Invalid input."
    assert "does not allow blocking" in body["fields"]["position"][0]


def test_an_unknown_position_is_a_400_and_a_missing_one_a_422(
    client, process, participant, recommendation
):
    client.force_login(participant)

    unknown = post_position(client, process, 1, {"position": "maybe"})
    missing = post_position(client, process, 1, {"reason": "No position"})
    nul = post_position(client, process, 1, {"position": "oppose", "reason": "a\u0000b"})

    assert unknown.status_code == 400
    assert "support, can-live-with" in unknown.json()["fields"]["position"][0]
    assert missing.status_code == 422
    assert missing.json()["error"] == "Invalid input."
    assert nul.status_code == 400
    assert "reason" in nul.json()["fields"]


def test_outside_a_decision_phase_is_a_403_with_the_reason(client, process, participant):
    PhaseFactory(process=process)
    make_recommendation(process)
    client.force_login(participant)

    response = post_position(client, process, 1, {"position": "support"})

    assert response.status_code == 403
    assert "does not accept this" in response.json()["error"]


def test_a_closed_process_is_a_403(client, process, participant, recommendation):
    process.closed_at = timezone.now()
    process.save()
    client.force_login(participant)

    response = post_position(client, process, 1, {"position": "support"})

    assert response.status_code == 403
    assert response.json() == {"error": "This process is closed."}


def test_a_non_elector_is_a_403_where_there_is_an_electorate(
    client, process, participant, other_participant, recommendation
):
    seat(process, other_participant, "Japan", "government")
    client.force_login(participant)

    response = post_position(client, process, 1, {"position": "support"})

    assert response.status_code == 403
    assert "Only the electors" in response.json()["error"]


def test_an_unknown_recommendation_or_process_is_a_404(
    client, process, participant, recommendation
):
    client.force_login(participant)

    assert post_position(client, process, 99, {"position": "support"}).status_code == 404
    assert client.get("/api/v1/processes/nope/decisions").status_code == 404


def test_an_invitation_only_process_takes_positions_from_invitees_only(
    client, process, recommendation
):
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()
    client.force_login(person("stranger"))

    response = post_position(client, process, 1, {"position": "support"})

    assert response.status_code == 403
    assert response.json() == {"error": "This process is open to invited participants only."}
    assert not Position.objects.exists()
