"""Editing a process and rescheduling its phases: reasons, limits, record, notifications, tasks."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends

from polyvox.notifications.models import Notification
from polyvox.processes.models import Phase, PhaseChange, Process
from polyvox.processes.services.editing import edit_process
from polyvox.processes.services.scheduling import (
    close_phase_early,
    remove_phase,
    reschedule_phase,
    schedule_phase,
)
from polyvox.processes.tasks import record_phase_events_task
from polyvox.record.models import RecordEntry
from tests.factories import PhaseFactory, invite


def kinds(process: Process) -> list[str]:
    return list(RecordEntry.objects.filter(process=process).values_list("kind", flat=True))


def last_payload(process: Process, kind: str) -> dict[str, object]:
    return RecordEntry.objects.filter(process=process, kind=kind).order_by("-id").first().payload


def upcoming_phase(process: Process, *, in_days: int = 10, days: int = 14, **kwargs) -> Phase:
    start = timezone.now() + timedelta(days=in_days)
    return PhaseFactory(
        process=process, starts_at=start, ends_at=start + timedelta(days=days), **kwargs
    )


# Editing the process -------------------------------------------------------------------------


def test_editing_a_process_records_each_public_change_before_and_after(process, secretariat):
    old_title = process.title

    edit_process(
        actor=secretariat,
        process=process,
        title="Community networks",
        mandate=process.mandate,
        languages=["en", "fr"],
        accepts_late_inputs=True,
    )

    process.refresh_from_db()
    assert (process.title, process.languages, process.accepts_late_inputs) == (
        "Community networks",
        ["en", "fr"],
        True,
    )
    assert last_payload(process, "process.edited") == {
        "changes": {
            "title": {"before": old_title, "after": "Community networks"},
            "languages": {"before": ["en"], "after": ["en", "fr"]},
            "accepts_late_inputs": {"before": False, "after": True},
        }
    }


def test_an_edit_that_changes_nothing_puts_nothing_on_the_record(process, secretariat):
    edit_process(actor=secretariat, process=process, title=process.title, languages=["en"])

    assert "process.edited" not in kinds(process)


def test_the_review_setting_changes_without_a_public_event(process, secretariat):
    edit_process(actor=secretariat, process=process, answers_need_review=True)

    process.refresh_from_db()
    assert process.answers_need_review is True
    assert "process.edited" not in kinds(process)


def test_a_participant_cannot_edit_a_process(process, participant):
    with pytest.raises(PermissionDenied):
        edit_process(actor=participant, process=process, title="Hijacked")

    process.refresh_from_db()
    assert process.title != "Hijacked"


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"languages": ["en", "klingon"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"decision_mode": "lottery"}, "decision_mode"),
        ({"title": "   "}, "title"),
    ],
)
def test_invalid_edits_are_refused_and_change_nothing(process, secretariat, fields, error_field):
    before = Process.objects.values().get(pk=process.pk)

    with pytest.raises(ValidationError) as error:
        edit_process(actor=secretariat, process=process, **fields)

    assert error_field in error.value.message_dict
    assert Process.objects.values().get(pk=process.pk) == before
    assert "process.edited" not in kinds(process)


# Rescheduling ------------------------------------------------------------------------------------


def test_extending_an_open_phase_records_old_and_new_dates_with_the_reason(
    process, secretariat, open_phase
):
    old_start, old_end = open_phase.starts_at, open_phase.ends_at

    reschedule_phase(
        actor=secretariat,
        phase=open_phase,
        starts_at=old_start,
        ends_at=old_end + timedelta(days=7),
        reason="Many organisations asked for more time.",
    )

    change = PhaseChange.objects.get(kind=PhaseChange.Kind.RESCHEDULED)
    assert (change.old_ends_at, change.new_ends_at, change.reason) == (
        old_end,
        old_end + timedelta(days=7),
        "Many organisations asked for more time.",
    )
    payload = last_payload(process, "phase.rescheduled")
    assert payload["old_ends_at"] == old_end.isoformat()
    assert payload["ends_at"] == (old_end + timedelta(days=7)).isoformat()
    assert payload["reason"] == "Many organisations asked for more time."


def test_every_reschedule_needs_a_reason(process, secretariat, open_phase):
    old_end = open_phase.ends_at

    with pytest.raises(ValidationError) as error:
        reschedule_phase(
            actor=secretariat,
            phase=open_phase,
            starts_at=open_phase.starts_at,
            ends_at=old_end + timedelta(days=7),
            reason="  ",
        )

    assert "reason" in error.value.message_dict
    open_phase.refresh_from_db()
    assert open_phase.ends_at == old_end
    assert "phase.rescheduled" not in kinds(process)


def test_a_participant_cannot_reschedule(process, participant, open_phase):
    old_end = open_phase.ends_at

    with pytest.raises(PermissionDenied):
        reschedule_phase(
            actor=participant,
            phase=open_phase,
            starts_at=open_phase.starts_at,
            ends_at=old_end + timedelta(days=1),
            reason="Mine.",
        )

    open_phase.refresh_from_db()
    assert open_phase.ends_at == old_end


def test_a_started_phase_keeps_its_start(process, secretariat, open_phase):
    old_start = open_phase.starts_at

    with pytest.raises(ValidationError) as error:
        reschedule_phase(
            actor=secretariat,
            phase=open_phase,
            starts_at=old_start + timedelta(hours=2),
            ends_at=open_phase.ends_at,
            reason="Later start.",
        )

    assert "starts_at" in error.value.message_dict
    open_phase.refresh_from_db()
    assert open_phase.starts_at == old_start


def test_an_upcoming_phase_moves_but_not_onto_another_phase(process, secretariat, open_phase):
    later = upcoming_phase(process, in_days=10, days=14)
    old_start = later.starts_at

    with pytest.raises(ValidationError) as error:
        reschedule_phase(
            actor=secretariat,
            phase=later,
            starts_at=open_phase.ends_at - timedelta(days=1),
            ends_at=later.ends_at,
            reason="Start sooner.",
        )

    assert "starts_at" in error.value.message_dict
    later.refresh_from_db()
    assert later.starts_at == old_start

    reschedule_phase(
        actor=secretariat,
        phase=later,
        starts_at=open_phase.ends_at,
        ends_at=later.ends_at,
        reason="Start as soon as comments close.",
    )
    later.refresh_from_db()
    assert later.starts_at == open_phase.ends_at


def test_a_deadline_cannot_be_moved_into_the_past(process, secretariat, open_phase):
    with pytest.raises(ValidationError) as error:
        reschedule_phase(
            actor=secretariat,
            phase=open_phase,
            starts_at=open_phase.starts_at,
            ends_at=timezone.now() - timedelta(minutes=30),
            reason="Oops.",
        )

    assert "ends_at" in error.value.message_dict


def test_a_reschedule_below_the_template_minimum_needs_a_published_reason(process, secretariat):
    phase = upcoming_phase(process, days=40, min_days=40)

    with pytest.raises(ValidationError) as error:
        reschedule_phase(
            actor=secretariat,
            phase=phase,
            starts_at=phase.starts_at,
            ends_at=phase.starts_at + timedelta(days=20),
            reason="The minister needs the report sooner.",
        )
    assert "ends_at" in error.value.message_dict

    reschedule_phase(
        actor=secretariat,
        phase=phase,
        starts_at=phase.starts_at,
        ends_at=phase.starts_at + timedelta(days=20),
        reason="The minister needs the report sooner.",
        short_schedule_reason="A narrow technical amendment, consulted on before.",
    )

    phase.refresh_from_db()
    assert phase.short_schedule_reason == "A narrow technical amendment, consulted on before."
    assert last_payload(process, "phase.rescheduled")["short_schedule_reason"] == (
        "A narrow technical amendment, consulted on before."
    )


def test_moving_a_deadline_earlier_notifies_the_participants_but_not_the_actor(
    process, secretariat, open_phase, participant, django_capture_on_commit_callbacks
):
    invite(process, participant)
    # Its opening was recorded (and circulated) at its time, as the task does.
    open_phase.opening_recorded_at = open_phase.starts_at
    open_phase.save()

    with django_capture_on_commit_callbacks(execute=True):
        reschedule_phase(
            actor=secretariat,
            phase=open_phase,
            starts_at=open_phase.starts_at,
            ends_at=open_phase.ends_at - timedelta(days=2),
            reason="The ministerial meeting was brought forward.",
        )

    notification = Notification.objects.get()
    assert notification.recipient == participant
    assert "The ministerial meeting was brought forward." in notification.body
    assert [message.to for message in mail.outbox] == [[participant.email]]


def test_extending_a_deadline_notifies_nobody(process, secretariat, open_phase, participant):
    invite(process, participant)

    reschedule_phase(
        actor=secretariat,
        phase=open_phase,
        starts_at=open_phase.starts_at,
        ends_at=open_phase.ends_at + timedelta(days=2),
        reason="More time.",
    )

    assert Notification.objects.count() == 0


def test_extending_a_closed_phase_reopens_it_and_its_new_closing_is_recorded(process, secretariat):
    now = timezone.now()
    phase = PhaseFactory(
        process=process, starts_at=now - timedelta(days=8), ends_at=now - timedelta(days=1)
    )
    record_phase_events_task.enqueue(process.pk)
    assert kinds(process) == ["phase.opened", "phase.closed"]

    reschedule_phase(
        actor=secretariat,
        phase=phase,
        starts_at=phase.starts_at,
        ends_at=now + timedelta(days=3),
        reason="Reopened for late regional inputs.",
    )

    phase.refresh_from_db()
    assert phase.status(timezone.now()) == "open"
    assert phase.closing_recorded_at is None
    assert kinds(process) == ["phase.opened", "phase.closed", "phase.rescheduled"]


# Closing early and removing ----------------------------------------------------------------------


def test_closing_early_ends_the_phase_now_records_it_and_notifies(
    process, secretariat, open_phase, participant
):
    invite(process, participant)

    close_phase_early(actor=secretariat, phase=open_phase, reason="The mandate was withdrawn.")

    open_phase.refresh_from_db()
    assert open_phase.status(timezone.now()) == "closed"
    assert kinds(process) == ["phase.rescheduled", "phase.opened", "phase.closed"]
    assert last_payload(process, "phase.rescheduled")["closed_early"] is True
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["amina"]


def test_closing_early_needs_a_reason_and_an_open_phase(process, secretariat, open_phase):
    later = upcoming_phase(process)

    with pytest.raises(ValidationError) as error:
        close_phase_early(actor=secretariat, phase=open_phase, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        close_phase_early(actor=secretariat, phase=later, reason="Not open yet.")

    assert PhaseChange.objects.count() == 0
    assert Notification.objects.count() == 0


def test_an_upcoming_phase_is_removed_with_its_reason_on_the_record(process, secretariat):
    phase = upcoming_phase(process, title="Second round")

    remove_phase(actor=secretariat, phase=phase, reason="One round is enough.")

    assert Phase.objects.count() == 0
    change = PhaseChange.objects.get()
    assert (change.kind, change.phase, change.phase_title, change.reason) == (
        PhaseChange.Kind.REMOVED,
        None,
        "Second round",
        "One round is enough.",
    )
    assert last_payload(process, "phase.removed")["reason"] == "One round is enough."


def test_a_started_phase_cannot_be_removed(process, secretariat, open_phase):
    with pytest.raises(ValidationError):
        remove_phase(actor=secretariat, phase=open_phase, reason="Changed our minds.")

    assert Phase.objects.filter(pk=open_phase.pk).exists()
    assert "phase.removed" not in kinds(process)


def test_a_participant_cannot_remove_a_phase(process, participant):
    phase = upcoming_phase(process)

    with pytest.raises(PermissionDenied):
        remove_phase(actor=participant, phase=phase, reason="No.")

    assert Phase.objects.filter(pk=phase.pk).exists()


# Openings and closings at their time ---------------------------------------------------------


def test_scheduling_records_an_added_change(process, secretariat):
    start = timezone.now() + timedelta(days=1)

    phase = schedule_phase(
        actor=secretariat,
        process=process,
        kind="draft_comment",
        title="Comments",
        starts_at=start,
        ends_at=start + timedelta(days=30),
    )

    assert PhaseChange.objects.get().kind == PhaseChange.Kind.ADDED
    assert PhaseChange.objects.get().phase == phase


def test_the_task_records_nothing_before_it_is_due_and_each_event_once_after(process, secretariat):
    phase = upcoming_phase(process)

    assert record_phase_events_task.enqueue(process.pk).return_value == 0
    assert kinds(process) == []

    # The phase's dates have passed (it ran for a week and ended yesterday).
    Phase.objects.filter(pk=phase.pk).update(
        starts_at=timezone.now() - timedelta(days=8), ends_at=timezone.now() - timedelta(days=1)
    )
    assert record_phase_events_task.enqueue(process.pk).return_value == 2
    assert record_phase_events_task.enqueue(process.pk).return_value == 0
    assert kinds(process) == ["phase.opened", "phase.closed"]


def test_scheduling_queues_the_task_for_the_phases_start_and_end(
    process, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    start = timezone.now() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_phase(
            actor=secretariat,
            process=process,
            kind="draft_comment",
            title="Comments",
            starts_at=start,
            ends_at=start + timedelta(days=30),
        )

    queued = task_backends["default"].results
    assert [(r.task.run_after, r.args) for r in queued] == [
        (start, [process.pk]),
        (start + timedelta(days=30), [process.pk]),
    ]


def test_the_cron_command_records_due_events_of_every_process(process, secretariat):
    now = timezone.now()
    PhaseFactory(
        process=process, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1)
    )
    other = PhaseFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))

    first, second = StringIO(), StringIO()
    call_command("record_phase_events", stdout=first)
    call_command("record_phase_events", stdout=second)

    assert (first.getvalue(), second.getvalue()) == (
        "Recorded 3 phase event(s).\n",
        "Recorded 0 phase event(s).\n",
    )

    assert kinds(process) == ["phase.opened", "phase.closed"]
    assert kinds(other.process) == ["phase.opened"]
