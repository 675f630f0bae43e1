"""Contribution and disposition services: every rule, and nothing changed when a rule says no."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polyvox.contributions.models import (
    Contribution,
    ContributionRevision,
    Disposition,
    DispositionRevision,
    Outcome,
)
from polyvox.contributions.services import (
    edit_contribution,
    hide_contribution,
    record_disposition,
    submit_contribution,
)
from polyvox.notifications.models import Notification
from polyvox.participants.models import Profile
from polyvox.processes.models import Membership, ParticipationPolicy, Role
from polyvox.processes.phase_types import PhaseKind
from polyvox.record.models import RecordEntry
from tests.contributions.factories import declare_interests, make_version
from tests.contributions.test_attachments import MINIMAL_PDF
from tests.factories import PhaseFactory


def comment(author, section, body="Community networks need spectrum access.", **kwargs):
    return submit_contribution(
        author=author,
        process=section.version.draft.process,
        kind="comment",
        body=body,
        section=section,
        **kwargs,
    )


def close_phase(phase, *, days_ago=1):
    phase.starts_at = timezone.now() - timedelta(days=days_ago + 7)
    phase.ends_at = timezone.now() - timedelta(days=days_ago)
    phase.save()


# Submitting ------------------------------------------------------------------------------------


def test_a_comment_on_a_section_is_accepted_with_a_tracking_number_and_a_snapshot_byline(
    open_phase, participant, section
):
    contribution = comment(participant, section, body="  Community networks\r\nneed spectrum.  ")

    assert contribution.tracking_number == f"PVX-{section.version.draft.process.pk}-00001"
    assert contribution.body == "Community networks\nneed spectrum."
    assert (contribution.author_name, contribution.stakeholder_group, contribution.country) == (
        "Amina",
        "civil_society",
        "KE",
    )
    assert (contribution.draft_version, contribution.is_late) == (section.version, False)
    assert list(contribution.revisions.values_list("number", "body")) == [
        (1, "Community networks\nneed spectrum.")
    ]


def test_tracking_numbers_count_up_within_a_process(
    open_phase, participant, other_participant, section
):
    first = comment(participant, section)
    second = comment(other_participant, section)

    assert (first.tracking_number[-5:], second.tracking_number[-5:]) == ("00001", "00002")


def test_a_submission_appends_a_public_record_entry_with_a_digest_of_the_text(
    open_phase, participant, section
):
    contribution = comment(participant, section, body="Spectrum for all.")

    entry = RecordEntry.objects.filter(kind="contribution.submitted").get()
    assert entry.payload == {
        "tracking_number": contribution.tracking_number,
        "kind": "comment",
        "draft": "principles",
        "version": 1,
        "section": "scope",
        "parent": None,
        "author": "Amina",
        "stakeholder_group": "civil_society",
        "organisation": "",
        "is_late": False,
        "body_sha256": hashlib.sha256(b"Spectrum for all.").hexdigest(),
    }
    assert "amina@example.org" not in str(entry.payload)


def test_the_author_is_emailed_a_receipt_with_the_tracking_number(
    open_phase, participant, section, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = comment(participant, section)

    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert contribution.tracking_number in mail.outbox[0].subject
    assert contribution.tracking_number in mail.outbox[0].body
    assert Notification.objects.get(recipient=participant).url == contribution.get_absolute_url()


def test_after_the_deadline_a_contribution_is_refused_with_the_deadline_and_nothing_is_saved(
    open_phase, participant, section
):
    close_phase(open_phase)

    with pytest.raises(PermissionDenied, match="The deadline for this has passed"):
        comment(participant, section)

    assert Contribution.objects.count() == 0
    assert RecordEntry.objects.filter(kind="contribution.submitted").count() == 0


def test_after_the_deadline_a_process_that_accepts_late_inputs_takes_it_marked_late(
    open_phase, participant, section
):
    close_phase(open_phase)
    open_phase.process.accepts_late_inputs = True
    open_phase.process.save()

    contribution = comment(participant, section)

    assert contribution.is_late is True
    assert RecordEntry.objects.get(kind="contribution.submitted").payload["is_late"] is True


def test_a_phase_that_does_not_take_comments_refuses_them(process, participant, section):
    PhaseFactory(process=process, kind=PhaseKind.INFORMATION)

    with pytest.raises(PermissionDenied, match="does not accept this"):
        comment(participant, section)

    assert Contribution.objects.count() == 0


def test_an_invited_only_process_refuses_people_not_invited(open_phase, participant, section):
    process = open_phase.process
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()

    with pytest.raises(PermissionDenied, match="invited participants only"):
        comment(participant, section)

    assert Contribution.objects.count() == 0


def test_an_invited_participant_may_contribute_to_an_invited_only_process(
    open_phase, participant, section
):
    process = open_phase.process
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()
    Membership.objects.create(process=process, user=participant, role=Role.PARTICIPANT)

    contribution = comment(participant, section)

    assert contribution.author == participant


def test_a_statement_of_interest_is_required_where_the_process_asks_for_one(
    open_phase, participant, section
):
    open_phase.process.requires_statement_of_interest = True
    open_phase.process.save()

    with pytest.raises(PermissionDenied, match="declare your interests"):
        comment(participant, section)

    assert Contribution.objects.count() == 0


def test_a_declared_statement_of_interest_lets_the_participant_contribute(
    open_phase, participant, section
):
    open_phase.process.requires_statement_of_interest = True
    open_phase.process.save()
    declare_interests(participant)

    assert comment(participant, section).author == participant


def test_a_comment_without_a_section_is_rejected(open_phase, participant, process):
    with pytest.raises(ValidationError) as error:
        submit_contribution(author=participant, process=process, kind="comment", body="Hello")

    assert error.value.message_dict == {"section": ["Choose the section you are commenting on."]}
    assert Contribution.objects.count() == 0


def test_an_empty_text_is_rejected(open_phase, participant, section):
    with pytest.raises(ValidationError) as error:
        comment(participant, section, body=" \n\n  ")

    assert error.value.message_dict == {"body": ["Write something before sending."]}
    assert Contribution.objects.count() == 0


def test_a_text_over_the_limit_is_rejected(open_phase, participant, section):
    with pytest.raises(ValidationError, match="under 20000 characters"):
        comment(participant, section, body="x" * 20_001)

    assert Contribution.objects.count() == 0


def test_a_section_of_another_process_is_rejected(open_phase, participant, section):
    other = PhaseFactory().process
    foreign = make_version(other).sections.first()

    with pytest.raises(ValidationError, match="another process"):
        submit_contribution(
            author=participant,
            process=open_phase.process,
            kind="comment",
            body="Hi",
            section=foreign,
        )

    assert Contribution.objects.count() == 0


def test_an_omission_can_point_at_the_whole_draft_version(open_phase, participant, version):
    contribution = submit_contribution(
        author=participant,
        process=version.draft.process,
        kind="omission",
        body="Nothing on energy for rural sites.",
        draft_version=version,
    )

    assert (contribution.draft_version, contribution.section) == (version, None)


def test_an_omission_without_any_anchor_is_rejected(open_phase, participant, process):
    with pytest.raises(ValidationError, match="missing from"):
        submit_contribution(author=participant, process=process, kind="omission", body="Energy.")

    assert Contribution.objects.count() == 0


def test_replies_thread_to_any_depth_and_share_their_parents_anchor(
    open_phase, participant, other_participant, section
):
    root = comment(participant, section)
    reply = submit_contribution(
        author=other_participant, process=root.process, kind="reply", body="Agreed.", parent=root
    )

    answer = submit_contribution(
        author=participant, process=root.process, kind="reply", body="Thanks.", parent=reply
    )

    assert (answer.parent, answer.section, answer.draft_version) == (
        reply,
        section,
        section.version,
    )


def test_a_reply_to_a_contribution_of_another_process_is_rejected(open_phase, participant, section):
    root = comment(participant, section)
    elsewhere = PhaseFactory().process

    with pytest.raises(ValidationError, match="visible contribution here"):
        submit_contribution(
            author=participant, process=elsewhere, kind="reply", body="Hi", parent=root
        )

    assert Contribution.objects.count() == 1


def test_posting_on_behalf_of_an_organisation_needs_a_declared_organisation(
    open_phase, participant, section
):
    with pytest.raises(ValidationError) as error:
        comment(participant, section, on_behalf_of_organisation=True)

    assert list(error.value.message_dict) == ["on_behalf_of_organisation"]
    assert Contribution.objects.count() == 0


def test_posting_on_behalf_of_a_declared_organisation_is_shown_in_the_byline(
    open_phase, participant, section
):
    Profile.objects.filter(user=participant).update(
        organisation="Rhizomatica", speaks_for_organisation=True
    )

    contribution = comment(participant, section, on_behalf_of_organisation=True)

    assert (contribution.organisation, contribution.on_behalf_of_organisation) == (
        "Rhizomatica",
        True,
    )
    assert (
        RecordEntry.objects.get(kind="contribution.submitted").payload["organisation"]
        == "Rhizomatica"
    )


def test_a_submission_keeps_a_pdf_attachment_under_a_name_of_our_own(
    open_phase, participant, version
):
    upload = SimpleUploadedFile("position paper.pdf", MINIMAL_PDF)

    contribution = submit_contribution(
        author=participant,
        process=version.draft.process,
        kind="submission",
        body="Our position paper.",
        draft_version=version,
        attachment=upload,
    )

    assert contribution.attachment_name == "position paper.pdf"
    assert contribution.attachment_type == "application/pdf"
    assert contribution.attachment.name.endswith(f"{contribution.tracking_number}.pdf")
    with contribution.attachment.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_saved(
    open_phase, participant, version
):
    upload = SimpleUploadedFile("paper.pdf", b"MZ\x90\x00\x03\x00\x00\x00")

    with pytest.raises(ValidationError, match="not one of the accepted types"):
        submit_contribution(
            author=participant,
            process=version.draft.process,
            kind="submission",
            body="Paper.",
            attachment=upload,
        )

    assert Contribution.objects.count() == 0


def test_an_attachment_over_the_size_limit_is_refused(open_phase, participant, version, settings):
    settings.POLYVOX_MAX_ATTACHMENT_BYTES = 100
    upload = SimpleUploadedFile("paper.txt", b"a" * 101)

    with pytest.raises(ValidationError, match="too large"):
        submit_contribution(
            author=participant,
            process=version.draft.process,
            kind="submission",
            body="Paper.",
            attachment=upload,
        )

    assert Contribution.objects.count() == 0


def test_only_submissions_take_attachments(open_phase, participant, section):
    with pytest.raises(ValidationError, match="Only submissions"):
        comment(participant, section, attachment=SimpleUploadedFile("a.txt", b"hello"))

    assert Contribution.objects.count() == 0


def test_anonymous_visitors_cannot_contribute(open_phase, section):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Log in"):
        comment(AnonymousUser(), section)

    assert Contribution.objects.count() == 0


# Editing ---------------------------------------------------------------------------------------


def test_an_edit_keeps_every_revision_and_is_recorded(open_phase, participant, section):
    contribution = comment(participant, section, body="First text.")

    edit_contribution(author=participant, contribution=contribution, body="Second text.")
    edit_contribution(author=participant, contribution=contribution, body="Third text.")

    contribution.refresh_from_db()
    assert contribution.body == "Third text."
    assert list(contribution.revisions.values_list("number", "body")) == [
        (1, "First text."),
        (2, "Second text."),
        (3, "Third text."),
    ]
    assert RecordEntry.objects.filter(kind="contribution.edited").count() == 2


def test_someone_else_cannot_edit_a_contribution(
    open_phase, participant, other_participant, section
):
    contribution = comment(participant, section, body="First text.")

    with pytest.raises(PermissionDenied):
        edit_contribution(author=other_participant, contribution=contribution, body="Hijacked.")

    contribution.refresh_from_db()
    assert (contribution.body, ContributionRevision.objects.count()) == ("First text.", 1)


def test_a_contribution_cannot_be_edited_after_the_phase_closed(open_phase, participant, section):
    contribution = comment(participant, section, body="First text.")
    close_phase(open_phase)

    with pytest.raises(PermissionDenied, match="while the phase is open"):
        edit_contribution(author=participant, contribution=contribution, body="Later.")

    assert ContributionRevision.objects.count() == 1


# Dispositions ----------------------------------------------------------------------------------


def test_the_secretariat_records_a_disposition_linked_to_a_change_in_the_next_version(
    open_phase, participant, secretariat, section, django_capture_on_commit_callbacks
):
    contribution = comment(participant, section)
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
    contribution = comment(participant, section)

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
    contribution = comment(participant, section)

    disposition = record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.INCORPORATED, reason=""
    )

    assert (disposition.outcome, disposition.reason) == ("incorporated", "")


def test_only_the_secretariat_records_dispositions(
    open_phase, participant, other_participant, section
):
    contribution = comment(participant, section)

    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        record_disposition(
            actor=other_participant, contribution=contribution, outcome=Outcome.NOTED, reason="x"
        )

    assert Disposition.objects.count() == 0


def test_changed_sections_from_the_same_or_an_earlier_version_are_rejected(
    open_phase, participant, secretariat, section
):
    contribution = comment(participant, section)

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
    contribution = comment(participant, section)
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
    first = comment(participant, section)
    second = comment(other_participant, section)

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
    contribution = comment(participant, section)
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


# Moderation ------------------------------------------------------------------------------------


def test_hiding_keeps_the_contribution_and_records_the_reason(
    open_phase, participant, secretariat, section
):
    contribution = comment(participant, section)

    hide_contribution(actor=secretariat, contribution=contribution, reason="Personal attack.")

    contribution.refresh_from_db()
    assert (contribution.hidden_reason, Contribution.objects.public().count()) == (
        "Personal attack.",
        0,
    )
    assert RecordEntry.objects.get(kind="contribution.hidden").payload == {
        "tracking_number": contribution.tracking_number,
        "reason": "Personal attack.",
    }


def test_participants_cannot_hide_contributions(
    open_phase, participant, other_participant, section
):
    contribution = comment(participant, section)

    with pytest.raises(PermissionDenied):
        hide_contribution(actor=other_participant, contribution=contribution, reason="I disagree.")

    assert Contribution.objects.public().count() == 1


def test_a_submission_naming_no_draft_is_answered_in_the_current_versions_report(
    process, open_phase, participant
):
    make_version(process, number=1)
    current = make_version(process, number=2)

    contribution = submit_contribution(
        author=participant, process=process, kind="submission", body="Our position paper."
    )

    assert contribution.draft_version == current
    assert contribution.section is None
