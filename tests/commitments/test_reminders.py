"""Reminders: seven days before the due date and once when overdue, each sent once, by e-mail
(the locmem backend of the test settings) to the owner and the organisation's representatives;
the command and the task queued when a commitment is made."""

from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import task_backends

from polyvox.commitments.models import Commitment
from polyvox.commitments.services.making import make_commitment
from polyvox.commitments.services.reminders import Reminders, send_reminders
from polyvox.commitments.tasks import send_commitment_reminders_task
from polyvox.notifications.models import Notification
from tests.commitments.conftest import NOW, commit, days, report

pytestmark = pytest.mark.django_db


def at(n: int) -> datetime:
    return NOW + timedelta(days=n)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def run(now: datetime) -> Reminders:
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(now)

    return run


def test_a_reminder_seven_days_before_then_one_when_overdue_each_once(
    participant, process, remind, mailoutbox
):
    commitment = commit(participant, process, due=30)

    assert remind(at(22)) == Reminders(due_soon=0, overdue=0)  # 8 days before
    assert remind(at(23)) == Reminders(due_soon=1, overdue=0)  # 7 days before
    assert remind(at(24)) == Reminders(due_soon=0, overdue=0)
    assert remind(at(30)) == Reminders(due_soon=0, overdue=0)  # due today: not yet overdue
    assert remind(at(31)) == Reminders(due_soon=0, overdue=1)
    assert remind(at(40)) == Reminders(due_soon=0, overdue=0)

    assert [m.to for m in mailoutbox] == [[participant.email], [participant.email]]
    assert "is due on" in mailoutbox[0].subject
    assert "is overdue" in mailoutbox[1].subject
    assert commitment.get_absolute_url() in mailoutbox[1].body
    commitment.refresh_from_db()
    assert (commitment.reminded_at, commitment.overdue_notified_at) == (at(23), at(31))


def test_representatives_of_the_organisation_are_reminded_too(
    representative, colleague, organisation_commitment, remind, mailoutbox
):
    remind(at(55))

    assert sorted(m.to[0] for m in mailoutbox) == sorted([representative.email, colleague.email])
    assert Notification.objects.filter(recipient=colleague).count() == 1


def test_done_or_dropped_commitments_are_not_reminded(participant, process, remind, mailoutbox):
    done = commit(participant, process, "Done early", due=5)
    report(participant, done, status="done")
    dropped = commit(participant, process, "Dropped", due=5)
    report(participant, dropped, status="dropped", reason="No budget.")

    assert remind(at(3)) == Reminders(due_soon=0, overdue=0)
    assert remind(at(10)) == Reminders(due_soon=0, overdue=0)
    assert mailoutbox == []


def test_a_commitment_found_late_gets_only_the_overdue_notice(
    participant, process, remind, mailoutbox
):
    commit(participant, process, due=3)

    assert remind(at(20)) == Reminders(due_soon=0, overdue=1)
    assert len(mailoutbox) == 1


def due_today(actor, process, title="Due today"):  # type: ignore[no-untyped-def]
    """A commitment due today by the real clock (the command and the task read it)."""
    now = datetime.now(UTC)
    return make_commitment(actor=actor, process=process, title=title, due_on=now.date(), now=now)


def test_the_command_sends_what_is_due_once(participant, process, mailoutbox):
    due_today(participant, process)
    first, second = StringIO(), StringIO()

    call_command("send_commitment_reminders", stdout=first)
    call_command("send_commitment_reminders", stdout=second)

    assert first.getvalue() == "Sent 1 due-date reminder(s) and 0 overdue notice(s).\n"
    assert second.getvalue() == "Sent 0 due-date reminder(s) and 0 overdue notice(s).\n"


def test_making_a_commitment_queues_the_reminders_at_their_time(
    participant, process, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        commitment = commit(participant, process, due=30)

    queued = task_backends["default"].results
    midnight = datetime.combine(days(30), time(0), tzinfo=UTC)
    assert [(r.task.run_after, r.args) for r in queued] == [
        (midnight - timedelta(days=7), [commitment.pk]),
        (midnight + timedelta(days=1), [commitment.pk]),
    ]


def test_the_task_sends_only_its_commitments_reminders(participant, process, mailoutbox):
    soon = due_today(participant, process, "Soon")
    due_today(participant, process, "Also soon")

    assert send_commitment_reminders_task.enqueue(soon.pk).return_value == 1
    assert send_commitment_reminders_task.enqueue(soon.pk).return_value == 0
    assert Commitment.objects.filter(reminded_at__isnull=True).count() == 1
