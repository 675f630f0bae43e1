"""The worker's clock: deadline reminders every hour and the daily digest at its hour, so they
go out with `polyvox worker` alone (no cron needed; the commands stay for catching up).

Both jobs are idempotent (a reminder is sent once per phase and kind, a digest lists only what no
digest listed), so a restarted worker that runs one again sends nothing twice. What runs when is
decided by `Clock.due`, a pure function of the time, so it is tested without waiting."""

import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger("polyvox.operations.clock")

REMINDER_EVERY = timedelta(hours=1)
TICK_SECONDS = 60.0


@dataclass
class Clock:
    """When each job last ran in this worker."""

    digest_hour: int = 7  # UTC hour of the daily digest (`POLYVOX_DIGEST_HOUR_UTC`)
    last_reminders: datetime | None = None
    last_digest_day: date | None = None

    def due(self, now: datetime) -> tuple[bool, bool]:
        """(reminders due, digest due) at `now` (UTC)."""
        reminders = self.last_reminders is None or now - self.last_reminders >= REMINDER_EVERY
        digest = now.hour >= self.digest_hour and self.last_digest_day != now.date()
        return reminders, digest


def tick(clock: Clock, now: datetime) -> tuple[int, int]:
    """Run what is due at `now`; returns (reminders circulated, digests queued)."""
    from polyvox.notifications.digests import send_daily_digests
    from polyvox.notifications.reminders import send_deadline_reminders

    reminders_due, digest_due = clock.due(now)
    reminders = digests = 0
    if reminders_due:
        reminders = send_deadline_reminders(now=now)
        clock.last_reminders = now
    if digest_due:
        digests = send_daily_digests(now=now)
        clock.last_digest_day = now.date()
    return reminders, digests


def run_clock(stop: threading.Event, interval: float = TICK_SECONDS) -> None:
    """The clock's loop, in its own thread; a failing job is logged and tried at the next tick."""
    clock = Clock(digest_hour=settings.POLYVOX_DIGEST_HOUR_UTC)
    logger.info(
        "Clock started: reminders hourly, the daily digest at %02d:00 UTC.", clock.digest_hour
    )
    try:
        while not stop.is_set():
            try:
                tick(clock, timezone.now())
            except Exception:  # never dies while the worker runs
                logger.exception("A reminder or digest run failed; retrying at the next tick.")
                connections.close_all()
            stop.wait(interval)
    finally:
        connections.close_all()
