"""Writes for the schedule: phases and the record of their openings."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.phase_types import PhaseKind
from polyvox.processes.publishing import publish


@transaction.atomic
def schedule_phase(
    *,
    actor: User,
    process: Process,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    min_days: int | None = None,
    short_schedule_reason: str = "",
) -> Phase:
    """Add a dated phase. Phases of one process may not overlap: one phase is current at a time.

    A phase shorter than `min_days` (its template's minimum) needs a public reason."""
    require(is_secretariat(actor, process), _("Only the secretariat schedules phases."))
    if kind not in PhaseKind.values:
        raise ValidationError({"kind": _("Unknown phase kind.")})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Phase dates need a time zone."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A phase must end after it starts.")})
    overlapping = process.phases.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if overlapping is not None:
        raise ValidationError(
            {"starts_at": _("This overlaps the phase “%(title)s”.") % {"title": overlapping.title}}
        )
    short_schedule_reason = short_schedule_reason.strip()
    check_minimum_duration(starts_at, ends_at, min_days, short_schedule_reason)
    phase = Phase(
        process=process,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        min_days=min_days,
        short_schedule_reason=short_schedule_reason,
    )
    phase.full_clean()
    phase.save()
    publish(process=process, kind="phase.scheduled", payload=phase_payload(phase))
    record_phase_openings(process=process, now=timezone.now())
    return phase


def check_minimum_duration(
    starts_at: datetime, ends_at: datetime, min_days: int | None, reason: str
) -> None:
    """Refuse a phase shorter than its template's minimum unless a reason is given (published)."""
    if min_days is None or ends_at - starts_at >= timedelta(days=min_days):
        return
    if not reason:
        raise ValidationError(
            {
                "ends_at": _(
                    "This phase lasts less than the template's minimum of %(days)d days. "
                    "Lengthen it, or state why it must be shorter (the reason is published)."
                )
                % {"days": min_days}
            }
        )


def phase_payload(phase: Phase) -> dict[str, object]:
    payload: dict[str, object] = {
        "phase_id": phase.pk,
        "kind": phase.kind,
        "title": phase.title,
        "starts_at": phase.starts_at.isoformat(),
        "ends_at": phase.ends_at.isoformat(),
    }
    if phase.min_days is not None:
        payload["min_days"] = phase.min_days
    if phase.short_schedule_reason:
        payload["short_schedule_reason"] = phase.short_schedule_reason
    return payload


@transaction.atomic
def record_phase_openings(*, process: Process, now: datetime) -> list[Phase]:
    """Append "phase.opened" once for every phase whose start has passed; idempotent.

    Called by services that act on a process and by `polyvox record_phase_openings` (cron)."""
    opened = list(process.phases.filter(starts_at__lte=now, opening_recorded_at__isnull=True))
    for phase in opened:
        phase.opening_recorded_at = now
        phase.save(update_fields=["opening_recorded_at"])
        publish(process=process, kind="phase.opened", payload=phase_payload(phase))
    return opened
