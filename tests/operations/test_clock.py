"""The worker's clock sends deadline reminders every hour and the digests once a day at their
hour, so they go out without cron; both are idempotent, so running one again sends nothing twice."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from polyvox.notifications.models import Follow
from polyvox.operations.clock import Clock, tick
from tests.factories import PhaseFactory, UserFactory

MORNING = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)


def test_reminders_run_at_once_then_every_hour():
    clock = Clock(digest_hour=7)
    assert clock.due(MORNING)[0]

    clock.last_reminders = MORNING
    assert not clock.due(MORNING + timedelta(minutes=59))[0]
    assert clock.due(MORNING + timedelta(minutes=60))[0]


def test_the_digest_runs_once_a_day_from_its_hour():
    clock = Clock(digest_hour=7)
    assert not clock.due(MORNING)[1]  # 06:30: not yet
    seven = MORNING.replace(hour=7, minute=0)
    assert clock.due(seven)[1]

    clock.last_digest_day = seven.date()
    assert not clock.due(seven.replace(hour=23))[1]
    assert clock.due(seven + timedelta(days=1))[1]


@pytest.mark.django_db
def test_a_tick_sends_a_due_reminder_once(process, django_capture_on_commit_callbacks):
    Follow.objects.create(
        process=process, user=UserFactory(username="f"), confirmed_at=timezone.now()
    )
    now = timezone.now()
    PhaseFactory(
        process=process, kind="draft_comment", title="Comments",
        starts_at=now - timedelta(days=10), ends_at=now + timedelta(hours=20),
    )  # fmt: skip
    clock = Clock(digest_hour=now.hour)

    with django_capture_on_commit_callbacks(execute=True):
        assert tick(clock, now)[0] == 1
        # The worker restarted: a fresh clock runs everything again, and nothing goes twice.
        assert tick(Clock(digest_hour=now.hour), now + timedelta(minutes=5)) == (0, 0)

    assert [m.subject for m in mail.outbox] == [f"“Comments” closes in 20 hours: {process.title}"]
