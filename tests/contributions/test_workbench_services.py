"""The workbench's writes: assignments, internal notes, proposed answers, review, bulk answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.contributions.models import (
    Assignment,
    Contribution,
    Disposition,
    InternalNote,
    ProposedAnswer,
)
from polyvox.contributions.services.workbench import (
    add_internal_note,
    answer_input,
    answer_selection,
    assign,
    propose_answer,
    review_answer,
    unassign,
)
from polyvox.processes.models import Membership, Role
from polyvox.record.models import RecordEntry
from tests.factories import UserFactory, make_version, submit_comment


def member(process, username, role):
    user = UserFactory(username=username)
    Membership.objects.create(process=process, user=user, role=role)
    return user


@pytest.fixture
def rapporteur(process):
    return member(process, "ravi", Role.RAPPORTEUR)


@pytest.fixture
def chair(process):
    return member(process, "chiara", Role.CHAIR)


@pytest.fixture
def inputs(open_phase, participant, section):
    return [submit_comment(participant, section, body=f"Point {n}.") for n in range(3)]


def selection(contributions):
    return Contribution.objects.filter(pk__in=[c.pk for c in contributions])


def test_assigning_puts_inputs_in_the_assignees_queue_and_replaces_an_earlier_one(
    secretariat, rapporteur, inputs
):
    assign(actor=secretariat, contributions=selection(inputs[:1]), assignee=secretariat)

    count = assign(actor=secretariat, contributions=selection(inputs), assignee=rapporteur)

    assert count == 3
    assert set(Assignment.objects.values_list("contribution_id", "assignee__username")) == {
        (c.pk, "ravi") for c in inputs
    }
    assert rapporteur.notifications.get().url.endswith("?assignee=mine")


def test_inputs_are_assigned_only_to_workbench_members(secretariat, participant, inputs):
    with pytest.raises(ValidationError) as error:
        assign(actor=secretariat, contributions=selection(inputs), assignee=participant)

    assert "assignee" in error.value.message_dict
    assert Assignment.objects.count() == 0


def test_participants_cannot_assign(participant, secretariat, inputs):
    with pytest.raises(PermissionDenied):
        assign(actor=participant, contributions=selection(inputs), assignee=secretariat)

    assert Assignment.objects.count() == 0


def test_unassigning_empties_the_queue(secretariat, inputs):
    assign(actor=secretariat, contributions=selection(inputs), assignee=secretariat)

    assert unassign(actor=secretariat, contributions=selection(inputs[:2])) == 2
    assert list(Assignment.objects.values_list("contribution_id", flat=True)) == [inputs[2].pk]


def test_an_internal_note_is_kept_and_never_put_on_the_record(secretariat, inputs):
    before = RecordEntry.objects.count()

    note = add_internal_note(actor=secretariat, contribution=inputs[0], body="  Ask legal.  ")

    assert (note.body, note.author) == ("Ask legal.", secretariat)
    assert RecordEntry.objects.count() == before


def test_an_empty_note_or_a_participants_note_is_refused(secretariat, participant, inputs):
    with pytest.raises(ValidationError):
        add_internal_note(actor=secretariat, contribution=inputs[0], body="   ")
    with pytest.raises(PermissionDenied):
        add_internal_note(actor=participant, contribution=inputs[0], body="Let me in.")

    assert InternalNote.objects.count() == 0


def test_with_review_on_a_rapporteurs_answer_waits_for_a_second_member(
    process, rapporteur, chair, inputs
):
    process.answers_need_review = True
    process.save()
    before = RecordEntry.objects.count()

    proposed = answer_input(
        actor=rapporteur, contribution=inputs[0], outcome="noted", reason="Considered."
    )

    assert isinstance(proposed, ProposedAnswer)
    assert proposed.state == ProposedAnswer.State.PENDING
    assert Disposition.objects.count() == 0
    assert RecordEntry.objects.count() == before
    assert chair.notifications.count() == 1

    review_answer(actor=chair, proposed=proposed, approve=True)

    disposition = Disposition.objects.get()
    assert (disposition.contribution, disposition.reason, disposition.decided_by) == (
        inputs[0],
        "Considered.",
        rapporteur,
    )
    proposed.refresh_from_db()
    assert (proposed.state, proposed.reviewed_by) == (ProposedAnswer.State.APPROVED, chair)
    assert RecordEntry.objects.filter(kind="disposition.recorded").count() == 1


def test_without_review_an_answer_is_published_at_once(process, rapporteur, inputs):
    disposition = answer_input(
        actor=rapporteur, contribution=inputs[0], outcome="noted", reason="Considered."
    )

    assert isinstance(disposition, Disposition)
    assert ProposedAnswer.objects.count() == 0


def test_the_proposer_cannot_review_their_own_answer(process, secretariat, inputs):
    proposed = propose_answer(
        actor=secretariat, contribution=inputs[0], outcome="noted", reason="Considered."
    )

    with pytest.raises(PermissionDenied):
        review_answer(actor=secretariat, proposed=proposed, approve=True)

    assert Disposition.objects.count() == 0


def test_a_rapporteur_cannot_review(process, secretariat, rapporteur, inputs):
    proposed = propose_answer(
        actor=secretariat, contribution=inputs[0], outcome="noted", reason="Considered."
    )

    with pytest.raises(PermissionDenied):
        review_answer(actor=rapporteur, proposed=proposed, approve=True)

    assert Disposition.objects.count() == 0


def test_a_returned_answer_needs_a_note_and_tells_the_proposer(process, rapporteur, chair, inputs):
    proposed = propose_answer(
        actor=rapporteur, contribution=inputs[0], outcome="noted", reason="Considered."
    )
    with pytest.raises(ValidationError):
        review_answer(actor=chair, proposed=proposed, approve=False, note="")

    review_answer(actor=chair, proposed=proposed, approve=False, note="Say which section.")

    proposed.refresh_from_db()
    assert (proposed.state, proposed.review_note) == (
        ProposedAnswer.State.RETURNED,
        "Say which section.",
    )
    assert rapporteur.notifications.get().body == "Say which section."
    assert Disposition.objects.count() == 0
    with pytest.raises(ValidationError):
        review_answer(actor=chair, proposed=proposed, approve=True)


def test_a_proposal_follows_the_publishing_rules(rapporteur, inputs):
    with pytest.raises(ValidationError) as error:
        propose_answer(actor=rapporteur, contribution=inputs[0], outcome="noted", reason="")

    assert "reason" in error.value.message_dict
    assert ProposedAnswer.objects.count() == 0


def test_one_answer_for_a_selection_answers_each_input_and_records_each(
    process, secretariat, participant, inputs
):
    v2 = make_version(process, number=2, draft=inputs[0].section.version.draft)
    changed = v2.sections.get(anchor="scope")

    count = answer_selection(
        actor=secretariat, contributions=selection(inputs[:2]), outcome="incorporated",
        reason="", changed_sections=[changed],
    )  # fmt: skip

    assert count == 2
    answered = Disposition.objects.order_by("contribution_id")
    assert [(d.contribution, d.outcome) for d in answered] == [
        (inputs[0], "incorporated"),
        (inputs[1], "incorporated"),
    ]
    assert [list(d.changed_sections.all()) for d in answered] == [[changed], [changed]]
    entries = RecordEntry.objects.filter(kind="disposition.recorded").order_by("id")
    assert [e.payload["tracking_number"] for e in entries] == [
        inputs[0].tracking_number,
        inputs[1].tracking_number,
    ]
    assert participant.notifications.filter(subject__contains="was answered").count() == 2


def test_a_selection_answer_with_review_on_becomes_proposals(process, rapporteur, inputs):
    process.answers_need_review = True
    process.save()

    answer_selection(
        actor=rapporteur, contributions=selection(inputs), outcome="noted", reason="Seen."
    )

    assert ProposedAnswer.objects.filter(state="pending").count() == 3
    assert Disposition.objects.count() == 0


def test_an_empty_or_foreign_selection_is_refused(secretariat, inputs):
    with pytest.raises(ValidationError):
        answer_selection(
            actor=secretariat, contributions=Contribution.objects.none(), outcome="noted",
            reason="Seen.",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        answer_selection(
            actor=secretariat, contributions=selection(inputs), outcome="duplicate", reason="x"
        )

    assert Disposition.objects.count() == 0
