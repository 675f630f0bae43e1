"""Reminders before deadlines: three days and one day before a phase that takes inputs closes,
once each, to everyone following or taking part; a deadline moved later is reminded again."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from polyvox.notifications.models import Circulation, DeadlineReminder, Follow
from polyvox.notifications.reminders import send_deadline_reminders
from tests.factories import PhaseFactory, UserFactory


def _phase(process, *, ends_in: timedelta, kind: str = "draft_comment"):
    now = timezone.now()
    return PhaseFactory(
        process=process,
        kind=kind,
        title="Comments",
        starts_at=now - timedelta(days=10),
        ends_at=now + ends_in,
    )


def test_three_days_then_one_day_before_the_deadline_each_reminder_goes_once(
    process, django_capture_on_commit_callbacks
):
    Follow.objects.create(
        process=process, user=UserFactory(username="f"), confirmed_at=timezone.now()
    )
    phase = _phase(process, ends_in=timedelta(days=5))
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(now=now) == 0  # five days left: too early
        assert send_deadline_reminders(now=phase.ends_at - timedelta(hours=71)) == 1
        assert send_deadline_reminders(now=phase.ends_at - timedelta(hours=60)) == 0
        assert send_deadline_reminders(now=phase.ends_at - timedelta(hours=23)) == 1
        assert send_deadline_reminders(now=phase.ends_at - timedelta(hours=2)) == 0

    assert [m.subject for m in mail.outbox] == [
        f"“Comments” closes in 3 days: {process.title}",
        f"“Comments” closes in 23 hours: {process.title}",
    ]
    assert mail.outbox[0].to == ["f@example.org"]
    assert sorted(DeadlineReminder.objects.values_list("hours_before", flat=True)) == [24, 72]


def test_a_late_run_sends_only_the_nearest_reminder(process):
    phase = _phase(process, ends_in=timedelta(hours=20))

    assert send_deadline_reminders(now=timezone.now()) == 1
    assert send_deadline_reminders(now=timezone.now()) == 0

    assert list(DeadlineReminder.objects.values_list("hours_before", flat=True)) == [24]
    assert Circulation.objects.get(kind="reminder").subject.startswith(
        "“Comments” closes in 20 hours"
    )
    assert phase.pk


def test_a_deadline_moved_later_is_reminded_again(process):
    phase = _phase(process, ends_in=timedelta(hours=20))
    send_deadline_reminders(now=timezone.now())

    phase.ends_at += timedelta(days=2)
    phase.save()

    assert send_deadline_reminders(now=timezone.now()) == 1
    assert Circulation.objects.filter(kind="reminder").count() == 2


def test_no_reminder_for_a_phase_without_inputs_or_a_closed_process(process):
    _phase(process, ends_in=timedelta(hours=20), kind="information")
    assert send_deadline_reminders(now=timezone.now()) == 0

    other = PhaseFactory(ends_at=timezone.now() + timedelta(hours=20))
    other.process.closed_at = timezone.now()
    other.process.save()
    assert send_deadline_reminders(now=timezone.now()) == 0


def test_the_commands_run_reminders_and_digests(process, capsys):
    _phase(process, ends_in=timedelta(hours=20))

    call_command("send_reminders")
    call_command("send_digests")

    out = capsys.readouterr().out
    assert "1 reminder(s) circulated." in out
    assert "0 digest(s) queued for sending." in out
