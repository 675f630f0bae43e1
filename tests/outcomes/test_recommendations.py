"""Listing and editing recommendations: the secretariat only, linked to published sections and
accepted statements of the process itself, each edit kept as a revision, fixed once a
designation is under way or a decision is declared."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.drafts.models import DraftVersion, Section
from polyvox.outcomes.models import Decision, Recommendation, RecommendationRevision
from polyvox.outcomes.services.designations import finalise_designation
from polyvox.outcomes.services.recommendations import add_recommendation, edit_recommendation
from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry
from polyvox.statements.models import StatementStatus
from tests.factories import ProcessFactory, UserFactory, make_statement, make_version
from tests.outcomes.conftest import after

pytestmark = pytest.mark.django_db


def add(actor, process, **kwargs):
    fields = {"title": "Publish drafts in six languages", "text": "Every draft, in all six."}
    return add_recommendation(actor=actor, process=process, **{**fields, **kwargs})


def entries(process, kind):
    return list(RecordEntry.objects.filter(process=process, kind=kind).order_by("id"))


def test_the_secretariat_lists_recommendations_numbered_in_order(
    secretariat, process, version, decision_phase
):
    scope = version.sections.get(anchor="scope")
    statement = make_statement(process, "Drafts should be translated.")

    first = add(secretariat, process, sections=[scope], statements=[statement])
    second = add(secretariat, process, title="  Keep   the record open ", text="The record.\r\n")

    assert (first.number, second.number) == (1, 2)
    assert second.title == "Keep the record open"
    assert second.text == "The record."
    assert list(first.sections.all()) == [scope]
    assert list(first.statements.all()) == [statement]
    assert first.created_by == secretariat
    added = entries(process, "recommendation.added")
    assert [e.payload["number"] for e in added] == [1, 2]
    assert added[0].payload == {
        "recommendation_id": first.pk,
        "number": 1,
        "title": "Publish drafts in six languages",
        "text": "Every draft, in all six.",
        "sections": [{"draft": "principles", "version": 1, "anchor": "scope"}],
        "statements": [statement.pk],
    }


@pytest.mark.parametrize("who", ["participant", "chair", "anonymous"])
def test_only_the_secretariat_lists_recommendations(who, process, participant, chair):
    from django.contrib.auth.models import AnonymousUser

    actor = {"participant": participant, "chair": chair, "anonymous": AnonymousUser()}[who]
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        add(actor, process)
    assert not Recommendation.objects.exists()


def test_a_closed_process_takes_no_recommendation(secretariat, process):
    Process.objects.filter(pk=process.pk).update(closed_at=timezone.now())
    process.refresh_from_db()
    with pytest.raises(PermissionDenied, match="closed"):
        add(secretariat, process)


def test_sections_of_another_process_are_refused(secretariat, process):
    elsewhere = make_version(ProcessFactory(), anchors=("scope",))
    with pytest.raises(ValidationError) as refused:
        add(secretariat, process, sections=list(elsewhere.sections.all()))
    assert "this process's drafts" in refused.value.message_dict["sections"][0]
    assert not Recommendation.objects.exists()


def test_sections_of_an_unpublished_version_are_refused(secretariat, process, version):
    unpublished = make_version(process, number=2, draft=version.draft, anchors=("new",))
    DraftVersion.objects.filter(pk=unpublished.pk).update(published_at=None)
    with pytest.raises(ValidationError) as refused:
        add(secretariat, process, sections=[Section.objects.get(anchor="new")])
    assert "sections" in refused.value.message_dict


def test_statements_must_be_accepted_statements_of_this_process(secretariat, process):
    pending = make_statement(process, "Pending one.", status=StatementStatus.PENDING)
    foreign = make_statement(ProcessFactory(), "Elsewhere.")
    for statement in (pending, foreign):
        with pytest.raises(ValidationError) as refused:
            add(secretariat, process, statements=[statement])
        assert "accepted statements of this process" in refused.value.message_dict["statements"][0]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "Give the recommendation a title."),
        ({"text": " \n "}, "text", "Write the text of the recommendation."),
        ({"title": "x" * 201}, "title", "Keep the title under 200 characters."),
        ({"text": "x" * 20_001}, "text", "Keep it under 20000 characters (this has 20001)."),
        ({"title": "Bad\x00title"}, "title", "The text contains a NUL character (U+0000)."),
        ({"text": "Bad\x00text"}, "text", "The text contains a NUL character (U+0000)."),
    ],
)
def test_bad_text_is_refused_naming_the_field(secretariat, process, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        add(secretariat, process, **fields)
    assert refused.value.message_dict[field] == [message]
    assert not RecordEntry.objects.filter(kind="recommendation.added").exists()


def test_an_edit_keeps_the_earlier_text_as_a_revision(secretariat, process, recommendation):
    original = (recommendation.title, recommendation.text)

    edited = edit_recommendation(
        actor=secretariat,
        recommendation=recommendation,
        title="Publish every draft in the six UN languages",
        text="Including Arabic, right to left.",
        sections=[],
    )

    assert (edited.title, edited.text) == (
        "Publish every draft in the six UN languages",
        "Including Arabic, right to left.",
    )
    assert list(edited.sections.all()) == []
    revision = RecommendationRevision.objects.get(recommendation=recommendation)
    assert (revision.title, revision.text) == original
    assert revision.edited_by == secretariat
    (entry,) = entries(process, "recommendation.edited")
    assert entry.payload["text"] == "Including Arabic, right to left."
    assert entry.payload["sections"] == []


def test_an_edit_that_leaves_sections_alone_keeps_them(secretariat, recommendation):
    edit_recommendation(
        actor=secretariat, recommendation=recommendation, title="New title", text="New text."
    )
    assert recommendation.sections.count() == 2


def test_only_the_secretariat_edits(participant, chair, recommendation):
    for actor in (participant, chair):
        with pytest.raises(PermissionDenied):
            edit_recommendation(
                actor=actor, recommendation=recommendation, title="Mine", text="Mine."
            )
    recommendation.refresh_from_db()
    assert recommendation.title != "Mine"


def test_no_edit_while_a_designation_is_under_way_or_final(secretariat, chair, proposal):
    recommendation = proposal.recommendation
    with pytest.raises(ValidationError, match="under way"):
        edit_recommendation(
            actor=secretariat, recommendation=recommendation, title="Changed", text="Changed."
        )
    finalise_designation(
        actor=chair, proposal=proposal, level="consensus", rationale="", now=after(proposal)
    )
    with pytest.raises(ValidationError, match="final designation"):
        edit_recommendation(
            actor=secretariat, recommendation=recommendation, title="Changed", text="Changed."
        )
    assert not RecommendationRevision.objects.exists()


def test_no_edit_once_a_decision_was_declared(secretariat, chair, recommendation):
    Decision.objects.create(
        recommendation=recommendation,
        rule_set="simple-majority",
        passed=True,
        reason="1 in favour, 0 against.",
        declared_by=chair,
        declared_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="decision"):
        edit_recommendation(
            actor=secretariat, recommendation=recommendation, title="Changed", text="Changed."
        )


def test_the_admin_shows_outcomes_read_only(client, recommendation, proposal):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    for model in ("recommendation", "designation", "objection", "minorityview", "decision"):
        assert client.get(f"/admin/outcomes/{model}/").status_code == 200
    page = client.get(f"/admin/outcomes/recommendation/{recommendation.pk}/change/")
    assert page.status_code == 200
    assert recommendation.title in page.content.decode()
    assert client.get("/admin/outcomes/recommendation/add/").status_code == 403
    assert client.post(f"/admin/outcomes/designation/{proposal.pk}/delete/").status_code == 403
