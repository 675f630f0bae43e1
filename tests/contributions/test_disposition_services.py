"""Dispositions: the secretariat's answers, linked changes, duplicates and answer revisions."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.contributions.models import Disposition, DispositionRevision, Outcome
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.record.models import RecordEntry
from tests.factories import make_version, submit_comment


def test_the_secretariat_records_a_disposition_linked_to_a_change_in_the_next_version(
    open_phase, participant, secretariat, section, django_capture_on_commit_callbacks
):
    contribution = submit_comment(participant, section)
    v2 = make_version(section.version.draft.process, number=2, draft=section.version.draft)
    changed = v2.sections.get(anchor="scope")

    with django_capture_on_commit_callbacks(execute=True):
        disposition = record_disposition(
            actor=secretariat,
            contribution=contribution,
            outcome=Outcome.PARTLY_INCORPORATED,
            reason="Spectrum is now mentioned.",
            changed_sections=[changed],
        )

    assert list(disposition.changed_sections.all()) == [changed]
    entry = RecordEntry.objects.get(kind="disposition.recorded")
    assert entry.payload == {
        "tracking_number": contribution.tracking_number,
        "outcome": "partly_incorporated",
        "reason": "Spectrum is now mentioned.",
        "duplicate_of": None,
        "changed_sections": [{"version": 2, "section": "scope"}],
        "revision": 1,
    }
    assert (
        mail.outbox[-1].subject == f"Your contribution {contribution.tracking_number} was answered"
    )


def test_a_disposition_without_a_reason_is_rejected_and_nothing_is_recorded(
    open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)

    with pytest.raises(ValidationError) as error:
        record_disposition(
            actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason=" "
        )

    assert list(error.value.message_dict) == ["reason"]
    assert Disposition.objects.count() == 0
    assert RecordEntry.objects.filter(kind="disposition.recorded").count() == 0


def test_an_incorporated_input_may_go_without_a_reason(
    open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)

    disposition = record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.INCORPORATED, reason=""
    )

    assert (disposition.outcome, disposition.reason) == ("incorporated", "")


def test_only_the_secretariat_records_dispositions(
    open_phase, participant, other_participant, section
):
    contribution = submit_comment(participant, section)

    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        record_disposition(
            actor=other_participant, contribution=contribution, outcome=Outcome.NOTED, reason="x"
        )

    assert Disposition.objects.count() == 0


def test_changed_sections_from_the_same_or_an_earlier_version_are_rejected(
    open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)

    with pytest.raises(ValidationError) as error:
        record_disposition(
            actor=secretariat,
            contribution=contribution,
            outcome=Outcome.INCORPORATED,
            reason="",
            changed_sections=[section],
        )

    assert list(error.value.message_dict) == ["changed_sections"]
    assert Disposition.objects.count() == 0


def test_changed_sections_of_another_draft_are_rejected(
    open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    other_draft = make_version(section.version.draft.process, number=2).draft
    from polyvox.drafts.models import Draft

    elsewhere = make_version(
        section.version.draft.process,
        number=2,
        draft=Draft.objects.create(process=other_draft.process, slug="annex", title="Annex"),
    )

    with pytest.raises(ValidationError, match="later version of the same draft"):
        record_disposition(
            actor=secretariat,
            contribution=contribution,
            outcome=Outcome.INCORPORATED,
            reason="",
            changed_sections=[elsewhere.sections.first()],
        )

    assert Disposition.objects.count() == 0


def test_a_duplicate_must_name_another_contribution_of_the_same_process(
    open_phase, participant, other_participant, secretariat, section
):
    first = submit_comment(participant, section)
    second = submit_comment(other_participant, section)

    with pytest.raises(ValidationError) as error:
        record_disposition(
            actor=secretariat, contribution=second, outcome=Outcome.DUPLICATE, reason="Same"
        )
    disposition = record_disposition(
        actor=secretariat,
        contribution=second,
        outcome=Outcome.DUPLICATE,
        reason="Same point.",
        duplicate_of=first,
    )

    assert list(error.value.message_dict) == ["duplicate_of"]
    assert disposition.duplicate_of == first


def test_answering_again_keeps_the_previous_answer_as_a_revision(
    open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Later."
    )

    record_disposition(
        actor=secretariat,
        contribution=contribution,
        outcome=Outcome.NOT_INCORPORATED,
        reason="Out of our mandate.",
    )

    disposition = Disposition.objects.get()
    assert (disposition.outcome, disposition.reason) == ("not_incorporated", "Out of our mandate.")
    assert list(DispositionRevision.objects.values_list("outcome", "reason")) == [
        ("noted", "Later.")
    ]
    assert RecordEntry.objects.filter(kind="disposition.recorded").last().payload["revision"] == 2
