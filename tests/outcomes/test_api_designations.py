"""Recommendations and designations API: public shapes, paging, 404s, invitation-only processes
hidden as every other API hides them, and nothing private (no e-mail, no gender, no account)."""

import pytest

from polyvox.outcomes.models import Position, RecommendationRevision
from polyvox.outcomes.services.designations import (
    finalise_designation,
    object_to,
    withdraw_objection,
)
from polyvox.processes.models import ParticipationPolicy, Process
from tests.factories import (
    ProcessFactory,
    UserFactory,
    approve_representative,
    make_organisation,
    make_recommendation,
    make_statement,
)
from tests.outcomes.conftest import after, during

pytestmark = pytest.mark.django_db


def base(process):
    return f"/api/v1/processes/{process.slug}"


@pytest.fixture
def designated(chair, proposal, participant, other_participant):
    """The proposal, with Amina's objection (for Rhizomatica) standing and Kenji's withdrawn,
    made final as "strong support" by the chair."""
    organisation = make_organisation("Rhizomatica")
    approve_representative(organisation, participant)
    object_to(
        actor=participant,
        designation=proposal,
        reason="Not *everyone* agrees.",
        on_behalf_of=organisation,
        now=during(proposal),
    )
    theirs = object_to(
        actor=other_participant,
        designation=proposal,
        reason="Changed my mind.",
        now=during(proposal),
    )
    withdraw_objection(actor=other_participant, objection=theirs, now=during(proposal))
    return finalise_designation(
        actor=chair,
        proposal=proposal,
        level="strong_support",
        rationale="A standing objection.",
        now=after(proposal),
    )


def test_the_list_shows_each_recommendation_with_its_current_designation(
    client, process, recommendation, designated, secretariat
):
    second = make_recommendation(process, "Keep the record open", created_by=secretariat)

    response = client.get(f"{base(process)}/recommendations")

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    first, other = response.json()
    assert first["number"] == 1
    assert first["title"] == recommendation.title
    assert first["url"] == f"/p/{process.slug}/outcomes/1/"
    assert first["decided"] is False
    assert first["designation"] == {
        "id": designated.pk,
        "stage": "final",
        "level": "strong_support",
        "level_label": "Strong support but significant opposition",
        "designated_at": first["designation"]["designated_at"],
        "objections_close_at": first["designation"]["objections_close_at"],
        "revised": True,
    }
    assert other["number"] == second.number
    assert other["designation"] is None


def test_the_list_is_paged(client, process, secretariat):
    for i in range(3):
        make_recommendation(process, f"Recommendation {i}", created_by=secretariat)
    response = client.get(f"{base(process)}/recommendations?page_size=2")
    assert [r["number"] for r in response.json()] == [1, 2]
    assert response["X-Total-Count"] == "3"
    assert "cursor=" in response["Link"]
    second = client.get(f"{base(process)}/recommendations?page_size=2&page=2")
    assert [r["number"] for r in second.json()] == [3]
    assert "Link" not in second


def test_a_recommendation_has_its_links_evidence_and_designations(
    client, process, recommendation, designated, participant, secretariat
):
    statement = make_statement(process, "Translate every draft.")
    RecommendationRevision.objects.create(
        recommendation=recommendation,
        title=recommendation.title,
        text="An earlier text.",
        edited_by=secretariat,
    )
    recommendation.statements.set([statement])
    Position.objects.create(
        recommendation=recommendation,
        author=participant,
        position="oppose",
        updated_at=designated.designated_at,
    )

    body = client.get(f"{base(process)}/recommendations/1").json()

    assert body["text"] == recommendation.text
    assert body["revision_count"] == 1
    assert [s["anchor"] for s in body["sections"]] == ["scope", "access"]
    assert body["sections"][0] == {
        "draft": "principles",
        "version": 1,
        "anchor": "scope",
        "heading": "Scope",
        "url": f"/p/{process.slug}/drafts/principles/v1/#scope",
    }
    assert body["statements"] == [{"id": statement.pk, "text": "Translate every draft."}]
    assert body["evidence"]["positions"]["by_group"] == {
        "civil_society": {
            "support": 0,
            "can-live-with": 0,
            "oppose": 1,
            "block": 0,
            "abstain": 0,
        }
    }
    proposed, final = body["designations"]
    assert (proposed["stage"], final["stage"]) == ("proposed", "final")
    assert proposed["objection_count"] == 2
    assert [o["author"] for o in proposed["objections"]] == ["Amina", "Kenji"]
    assert proposed["objections"][1]["withdrawn_at"] is not None
    assert final["proposal_id"] == proposed["id"]
    assert final["proposed_level"] == "consensus"
    assert final["revised"] is True
    assert final["minority_view_count"] == 1
    assert final["minority_views"] == [
        {
            "author": "Amina",
            "organisation": {"name": "Rhizomatica", "slug": "rhizomatica"},
            "text": "Not *everyone* agrees.",
        }
    ]


def test_every_designation_is_listed_with_its_objections_and_minority_views(
    client, process, designated
):
    response = client.get(f"{base(process)}/designations")

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    proposed, final = response.json()
    assert proposed["recommendation"] == final["recommendation"] == 1
    assert (
        proposed["rationale"] == "Most groups support it; one reservation from the private sector."
    )
    assert proposed["evidence"]["positions"]["total"] == 0
    assert proposed["objections_close_at"] == final["objections_close_at"]
    assert final["level_label"] == "Strong support but significant opposition"
    assert final["minority_views"][0]["text"] == "Not *everyone* agrees."


def test_the_objections_of_a_designation_are_paged(client, process, proposal):
    for i in range(3):
        person = UserFactory(username=f"objector{i}")
        object_to(actor=person, designation=proposal, reason=f"Reason {i}.", now=during(proposal))
    url = f"{base(process)}/designations/{proposal.pk}/objections?page_size=2"
    response = client.get(url)
    assert [o["reason"] for o in response.json()] == ["Reason 0.", "Reason 1."]
    assert response["X-Total-Count"] == "3"
    assert "cursor=" in response["Link"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/processes/no-such-process/recommendations",
        "/api/v1/processes/no-such-process/designations",
        "{base}/recommendations/2",
        "{base}/recommendations/0",
        "{base}/recommendations/99999999999999999999",
        "{base}/designations/999999/objections",
    ],
)
def test_unknown_processes_recommendations_and_designations_answer_404(
    client, process, recommendation, path
):
    response = client.get(path.format(base=base(process)))
    assert response.status_code in (404, 422)
    assert "error" in response.json()


def test_a_designation_of_another_process_is_not_found_here(client, process, proposal):
    elsewhere = ProcessFactory()
    response = client.get(f"{base(elsewhere)}/designations/{proposal.pk}/objections")
    assert response.status_code == 404


def test_an_invitation_only_process_reads_as_every_other_api_reads_it(
    client, process, recommendation, proposal
):
    """Reading a process is public (`processes.selectors.access_process`); being invited only
    decides who may take part, so its designations are as public as any process's."""
    Process.objects.filter(pk=process.pk).update(participation_policy=ParticipationPolicy.INVITED)
    for path in ("recommendations", "recommendations/1", "designations"):
        response = client.get(f"{base(process)}/{path}")
        assert response.status_code == 200
        assert client.get(f"/api/v1/processes/{process.slug}").status_code == 200


def test_nothing_private_is_published(client, process, designated, participant):
    participant.profile.gender = "GENDER-SENTINEL"
    participant.profile.save()
    Position.objects.create(
        recommendation=designated.recommendation,
        author=participant,
        position="support",
        updated_at=designated.designated_at,
    )
    bodies = [
        client.get(f"{base(process)}/{path}").content.decode()
        for path in ("recommendations", "recommendations/1", "designations")
    ]
    for body in bodies:
        assert "GENDER-SENTINEL" not in body
        assert participant.email not in body
        assert "amina" not in body  # the username; the byline is the display name "Amina"
        assert "chidi" not in body


def test_the_lists_cost_the_same_queries_however_many_rows(
    client, process, designated, secretariat, chair
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from polyvox.outcomes.services.designations import propose_designation

    def counts():
        found = {}
        for path in ("recommendations", "designations"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{base(process)}/{path}").status_code == 200
            found[path] = len(captured)
        return found

    before = counts()
    for title in ("Second", "Third"):
        recommendation = make_recommendation(process, title, created_by=secretariat)
        proposal = propose_designation(
            actor=chair, recommendation=recommendation, level="divergence", rationale="Split."
        )
        object_to(actor=UserFactory(), designation=proposal, reason="No.", now=during(proposal))
    assert counts() == before
