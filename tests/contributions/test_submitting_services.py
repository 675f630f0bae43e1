"""Submitting contributions and replies: tracking numbers, the record, receipts, every refusal."""

import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.notifications.models import Notification
from polyvox.processes.models import ParticipationPolicy
from polyvox.processes.phase_types import PhaseKind
from polyvox.record.models import RecordEntry
from tests.factories import (
    PhaseFactory,
    close_phase,
    declare_interests,
    invite,
    make_version,
    submit_comment,
)


def test_a_comment_on_a_section_is_accepted_with_a_tracking_number_and_a_snapshot_byline(
    open_phase, participant, section
):
    contribution = submit_comment(
        participant, section, body="  Community networks\r\nneed spectrum.  "
    )

    assert contribution.tracking_number == (
        f"PVX-{section.version.draft.process.pk}-{contribution.pk:05d}"
    )
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


def test_tracking_numbers_increase_within_a_process(
    open_phase, participant, other_participant, section
):
    first = submit_comment(participant, section)
    second = submit_comment(other_participant, section)

    numbers = [int(c.tracking_number.rsplit("-", 1)[1]) for c in (first, second)]
    assert numbers == sorted(set(numbers))


def test_a_submission_appends_a_public_record_entry_with_a_digest_of_the_text(
    open_phase, participant, section
):
    contribution = submit_comment(participant, section, body="Spectrum for all.")

    entry = RecordEntry.objects.filter(kind="contribution.submitted").get()
    assert entry.payload == {
        "tracking_number": contribution.tracking_number,
        "kind": "comment",
        "draft": "principles",
        "version": 1,
        "section": "scope",
        "parent": None,
        "stakeholder_group": "civil_society",
        "organisation": "",
        "is_late": False,
        "body_sha256": hashlib.sha256(b"Spectrum for all.").hexdigest(),
    }
    assert "amina@example.org" not in str(entry.payload)
    assert "Amina" not in str(entry.payload)  # the record is never rewritten: no name in it


def test_the_author_is_emailed_a_receipt_with_the_tracking_number(
    open_phase, participant, section, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit_comment(participant, section)

    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert contribution.tracking_number in mail.outbox[0].subject
    assert contribution.tracking_number in mail.outbox[0].body
    assert Notification.objects.get(recipient=participant).url == contribution.get_absolute_url()


def test_after_the_deadline_a_contribution_is_refused_with_the_deadline_and_nothing_is_saved(
    open_phase, participant, section
):
    close_phase(open_phase)

    with pytest.raises(PermissionDenied, match="The deadline for this has passed"):
        submit_comment(participant, section)

    assert Contribution.objects.count() == 0
    assert RecordEntry.objects.filter(kind="contribution.submitted").count() == 0


def test_after_the_deadline_a_process_that_accepts_late_inputs_takes_it_marked_late(
    open_phase, participant, section
):
    close_phase(open_phase)
    open_phase.process.accepts_late_inputs = True
    open_phase.process.save()

    contribution = submit_comment(participant, section)

    assert contribution.is_late is True
    assert RecordEntry.objects.get(kind="contribution.submitted").payload["is_late"] is True


def test_a_phase_that_does_not_take_comments_refuses_them(process, participant, section):
    PhaseFactory(process=process, kind=PhaseKind.INFORMATION)

    with pytest.raises(PermissionDenied, match="does not accept this"):
        submit_comment(participant, section)

    assert Contribution.objects.count() == 0


def test_an_invited_only_process_refuses_people_not_invited(open_phase, participant, section):
    process = open_phase.process
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()

    with pytest.raises(PermissionDenied, match="invited participants only"):
        submit_comment(participant, section)

    assert Contribution.objects.count() == 0


def test_an_invited_participant_may_contribute_to_an_invited_only_process(
    open_phase, participant, section
):
    process = open_phase.process
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()
    invite(process, participant)

    contribution = submit_comment(participant, section)

    assert contribution.author == participant


def test_a_statement_of_interest_is_required_where_the_process_asks_for_one(
    open_phase, participant, section
):
    open_phase.process.requires_statement_of_interest = True
    open_phase.process.save()

    with pytest.raises(PermissionDenied, match="declare your interests"):
        submit_comment(participant, section)

    assert Contribution.objects.count() == 0


def test_a_declared_statement_of_interest_lets_the_participant_contribute(
    open_phase, participant, section
):
    open_phase.process.requires_statement_of_interest = True
    open_phase.process.save()
    declare_interests(participant)

    assert submit_comment(participant, section).author == participant


def test_a_comment_without_a_section_is_rejected(open_phase, participant, process):
    with pytest.raises(ValidationError) as error:
        submit_contribution(author=participant, process=process, kind="comment", body="Hello")

    assert error.value.message_dict == {"section": ["Choose the section you are commenting on."]}
    assert Contribution.objects.count() == 0


def test_an_empty_text_is_rejected(open_phase, participant, section):
    with pytest.raises(ValidationError) as error:
        submit_comment(participant, section, body=" \n\n  ")

    assert error.value.message_dict == {"body": ["Write something before sending."]}
    assert Contribution.objects.count() == 0


def test_a_text_over_the_limit_is_rejected(open_phase, participant, section):
    with pytest.raises(ValidationError, match="under 20000 characters"):
        submit_comment(participant, section, body="x" * 20_001)

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
    root = submit_comment(participant, section)
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
    root = submit_comment(participant, section)
    elsewhere = PhaseFactory().process

    with pytest.raises(ValidationError, match="visible contribution here"):
        submit_contribution(
            author=participant, process=elsewhere, kind="reply", body="Hi", parent=root
        )

    assert Contribution.objects.count() == 1


def test_anonymous_visitors_cannot_contribute(open_phase, section):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Log in"):
        submit_comment(AnonymousUser(), section)

    assert Contribution.objects.count() == 0


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
