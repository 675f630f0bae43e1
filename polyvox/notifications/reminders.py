"""Reminders before deadlines: three days and one day before a phase that takes inputs, votes or
positions closes, everyone following or taking part in its process is reminded.

`polyvox send_reminders` (cron, hourly) or its task runs `send_deadline_reminders`; each reminder
is stored (`DeadlineReminder`, one per phase, deadline and lead time), so a repeated run sends
nothing twice and a deadline moved later is reminded again. A run that comes late sends only the
nearest reminder still ahead (never "three days left" with one day to go).
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polyvox.notifications.circulation import circulate
from polyvox.notifications.models import DeadlineReminder, NotificationKind
from polyvox.processes.models import Phase
from polyvox.processes.phase_types import PHASE_TYPES
from polyvox.processes.selectors import localized_phase, localized_process

# Lead times in hours, longest first.
LEAD_TIMES = (72, 24)


def _taking_part_kinds() -> list[str]:
    return [kind for kind, spec in PHASE_TYPES.items() if spec.allowed_actions]


def send_deadline_reminders(*, now: datetime) -> int:
    """Remind of every deadline due at `now`; returns how many reminders were circulated."""
    horizon = now + timedelta(hours=max(LEAD_TIMES))
    phases = (
        Phase.objects.filter(
            kind__in=_taking_part_kinds(),
            starts_at__lte=now,
            ends_at__gt=now,
            ends_at__lte=horizon,
            process__closed_at__isnull=True,
        )
        .select_related("process")
        .order_by("ends_at", "pk")
    )
    sent = 0
    for phase in phases.iterator(chunk_size=200):
        lead = min(h for h in LEAD_TIMES if phase.ends_at - now <= timedelta(hours=h))
        sent += _remind(phase, lead, now)
    return sent


@transaction.atomic
def _remind(phase: Phase, hours_before: int, now: datetime) -> int:
    # A reminder already sent for this deadline at this lead time, or a nearer one: nothing.
    already = DeadlineReminder.objects.filter(
        phase=phase, ends_at=phase.ends_at, hours_before__lte=hours_before
    ).exists()
    if already:
        return 0
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                phase=phase, ends_at=phase.ends_at, hours_before=hours_before, sent_at=now
            )
    except IntegrityError:  # another run sent it a moment ago
        return 0
    process = phase.process
    left = phase.ends_at - now
    hours = max(1, round(left.total_seconds() / 3600))

    # Composed in every language by the worker's clock (no request): each person reads it in
    # their own, with the process and phase titles as translated.
    def compose(language: str) -> tuple[str, str]:
        title = localized_process(process, language).title
        phase_title = localized_phase(phase, language).title
        when = (
            ngettext("in %(count)d day", "in %(count)d days", round(hours / 24))
            % {"count": round(hours / 24)}
            if hours >= 36
            else ngettext("in %(count)d hour", "in %(count)d hours", hours) % {"count": hours}
        )
        subject = _("“%(phase)s” closes %(when)s: %(process)s") % {
            "phase": phase_title,
            "when": when,
            "process": title,
        }
        body = _(
            "The phase “%(phase)s” of “%(process)s” closes on %(deadline)s UTC (%(when)s). "
            "What is sent after the deadline may be refused or marked late."
        ) % {
            "phase": phase_title,
            "process": title,
            "deadline": phase.ends_at.strftime("%Y-%m-%d %H:%M"),
            "when": when,
        }
        return subject, body

    circulate(
        process=process,
        kind=NotificationKind.REMINDER,
        compose=compose,
        url=process.get_absolute_url(),
    )
    return 1
