"""What the phases allow at a given moment (decided in UTC on the server), and who may take part."""

from datetime import timedelta

from django.utils import timezone

from polyvox.participants.services import declare_interests
from polyvox.processes.models import ParticipationPolicy
from polyvox.processes.permissions import action_window, participation_window
from polyvox.processes.phase_types import Action
from tests.factories import PhaseFactory


def test_an_open_draft_comment_phase_allows_section_comments(process, open_phase):
    window = action_window(process, Action.COMMENT, timezone.now())

    assert (window.allowed, window.late, window.phase) == (True, False, open_phase)


def test_after_the_deadline_inputs_are_refused_with_the_deadline_in_the_reason(process):
    ended = timezone.now() - timedelta(hours=2)
    PhaseFactory(process=process, starts_at=ended - timedelta(days=7), ends_at=ended)

    window = action_window(process, Action.COMMENT, timezone.now())

    assert window.allowed is False
    assert "deadline" in window.reason
    assert ended.strftime("%Y-%m-%d %H:%M") in window.reason


def test_after_the_deadline_late_inputs_are_accepted_where_the_process_allows(process):
    process.accepts_late_inputs = True
    process.save()
    ended = timezone.now() - timedelta(hours=2)
    PhaseFactory(process=process, starts_at=ended - timedelta(days=7), ends_at=ended)

    window = action_window(process, Action.COMMENT, timezone.now())

    assert (window.allowed, window.late) == (True, True)


def test_an_information_phase_accepts_no_inputs(process):
    PhaseFactory(process=process, kind="information")

    window = action_window(process, Action.GENERAL_COMMENT, timezone.now())

    assert window.allowed is False
    assert "does not accept" in window.reason


def test_the_deadline_is_exact_to_the_second(process):
    deadline = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    PhaseFactory(process=process, starts_at=deadline - timedelta(days=1), ends_at=deadline)

    before = action_window(process, Action.COMMENT, deadline - timedelta(seconds=1))
    at = action_window(process, Action.COMMENT, deadline)

    assert (before.allowed, at.allowed) == (True, False)


def test_a_visitor_who_is_not_signed_in_is_asked_to_log_in(process, open_phase):
    window = participation_window(None, process, Action.COMMENT, timezone.now())

    assert (window.allowed, window.reason) == (False, "Log in to take part.")


def test_an_invitation_only_process_refuses_someone_not_invited(process, open_phase, participant):
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()

    window = participation_window(participant, process, Action.COMMENT, timezone.now())

    assert (window.allowed, window.reason) == (
        False,
        "This process is open to invited participants only.",
    )


def test_a_process_that_asks_for_interests_admits_only_after_the_declaration(
    process, open_phase, participant
):
    process.requires_statement_of_interest = True
    process.save()

    before = participation_window(participant, process, Action.COMMENT, timezone.now())
    declare_interests(actor=participant, affiliations="Adviser to a regulator")
    after = participation_window(participant, process, Action.COMMENT, timezone.now())

    assert (before.allowed, before.reason, after.allowed) == (
        False,
        "This process asks you to declare your interests before taking part.",
        True,
    )
