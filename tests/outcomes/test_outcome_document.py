"""The outcome document's data (`outcome.json`, the page and the PDF read it): every
recommendation with its sections, designation, evidence, minority views and decision, the joint
statements beside their dissents, and what the apps above add; public data only."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polyvox.joint_statements.models import Relation
from polyvox.joint_statements.services.drafting import publish_linked_statement
from polyvox.outcomes.models import Decision, Designation, MinorityView, Objection, Stage
from polyvox.outcomes.pages import OUTCOME_DATA
from polyvox.outcomes.selectors.recommendations import outcome_document
from polyvox.outcomes.services.designations import finalise_designation, object_to
from tests.factories import make_recommendation
from tests.joint_statements.conftest import open_statement
from tests.outcomes.conftest import after, during

pytestmark = pytest.mark.django_db

VIEW = "## Our view\n\nلا نوافق: the Global South was not consulted."  # noqa: RUF001


@pytest.fixture
def final(chair, proposal, participant):
    participant.profile.gender = "GENDER-SENTINEL"
    participant.profile.save()
    object_to(
        actor=participant,
        designation=proposal,
        reason=VIEW,
        now=during(proposal),
    )
    return finalise_designation(
        actor=chair,
        proposal=proposal,
        level="strong_support",
        rationale="One group objects in substance.",
        now=after(proposal),
    )


def test_the_document_gathers_every_recommendation_with_its_designation(
    process, final, secretariat, chair
):
    pending = make_recommendation(process, "Keep the record open", created_by=secretariat)
    Decision.objects.create(
        recommendation=pending,
        rule_set="simple-majority",
        passed=True,
        reason="3 in favour, 1 against.",
        groups={},
        what_if=[],
        declared_by=chair,
        declared_at=timezone.now(),
    )

    document = outcome_document(process)

    assert document["process"]["slug"] == process.slug
    assert document["process"]["title"] == process.title
    assert document["rule_set"] == "simple-majority"
    assert document["generated_at"].endswith("+00:00")
    first, second = document["recommendations"]
    assert first["number"] == 1
    assert [s["anchor"] for s in first["sections"]] == ["scope", "access"]
    assert first["sections"][0]["url"].endswith("/drafts/principles/v1/#scope")
    designation = first["designation"]
    assert designation["stage"] == "final"
    assert designation["level"] == "strong_support"
    assert designation["level_label"] == "Strong support but significant opposition"
    assert designation["proposed_level"] == "consensus"
    assert designation["revised"] is True
    assert designation["rationale"] == "One group objects in substance."
    assert designation["objections_close_at"] is not None
    assert designation["evidence"]["positions"]["total"] == 0
    assert first["minority_views"] == [
        {
            "author": "Amina",
            "organisation": None,
            "text": VIEW,
        }
    ]
    assert first["decision"] is None
    assert second["designation"] is None
    assert second["minority_views"] == []
    assert second["decision"]["passed"] is True
    assert second["decision"]["reason"] == "3 in favour, 1 against."


def test_a_pending_proposal_shows_as_proposed_without_minority_views(
    process, proposal, participant
):
    object_to(actor=participant, designation=proposal, reason="Not yet.", now=during(proposal))
    (recommendation,) = outcome_document(process)["recommendations"]
    assert recommendation["designation"]["stage"] == "proposed"
    assert recommendation["minority_views"] == []  # an objection is a minority view once final


def test_joint_statements_stand_beside_their_dissents(process, participant, other_participant):
    statement = open_statement(participant, process)
    publish_linked_statement(
        actor=other_participant,
        responds_to=statement,
        relation=Relation.DISSENT,
        title="Why we do not sign",
        body="Safeguards first.",
    )
    (joint,) = outcome_document(process)["joint_statements"]
    assert joint["title"] == statement.title
    assert [linked["title"] for linked in joint["linked_statements"]] == ["Why we do not sign"]


def test_the_apps_above_add_their_part(process, recommendation):
    document = outcome_document(process)
    for key in OUTCOME_DATA.data(process):
        assert key in document


def test_the_document_is_json_and_public(process, final, participant):
    text = json.dumps(outcome_document(process), ensure_ascii=False)
    assert "GENDER-SENTINEL" not in text
    assert participant.email not in text
    assert "amina" not in text  # the username: the byline is the display name


def test_the_queries_do_not_grow_with_recommendations(process, secretariat, chair, participant):
    def designated(title):
        recommendation = make_recommendation(process, title, created_by=secretariat)
        now = timezone.now()
        proposal = Designation.objects.create(
            recommendation=recommendation,
            stage=Stage.PROPOSED,
            level="consensus",
            designated_by=chair,
            designated_at=now,
            objections_close_at=now,
        )
        final = Designation.objects.create(
            recommendation=recommendation,
            stage=Stage.FINAL,
            level="consensus",
            proposal=proposal,
            designated_by=chair,
            designated_at=now,
        )
        objection = Objection.objects.create(
            designation=proposal, author=participant, author_name="Amina", reason="No."
        )
        MinorityView.objects.create(
            designation=final, objection=objection, author_name="Amina", text="No."
        )

    def count():
        with CaptureQueriesContext(connection) as captured:
            outcome_document(process)
        return len(captured)

    designated("First")
    one = count()
    for title in ("Second", "Third", "Fourth"):
        designated(title)
    assert count() == one
