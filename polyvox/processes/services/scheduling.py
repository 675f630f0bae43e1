"""Writes for the schedule: add, move, close early or remove phases, and record their events."""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Phase, PhaseChange, Process
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.phase_types import PhaseKind
from polyvox.processes.publishing import circulate_to_all, notify_people, publish
from polyvox.processes.selectors import localized_phase, localized_process, process_participants


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
    _require_open_process(process)
    if kind not in PhaseKind.values:
        raise ValidationError({"kind": _("Unknown phase kind.")})
    _check_dates(process, starts_at, ends_at, exclude=None)
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
    PhaseChange.objects.create(
        process=process,
        phase=phase,
        phase_title=phase.title,
        kind=PhaseChange.Kind.ADDED,
        new_starts_at=starts_at,
        new_ends_at=ends_at,
        reason=short_schedule_reason,
        changed_by=actor,
    )
    publish(process=process, kind="phase.scheduled", payload=phase_payload(phase))
    record_due_phase_events(process=process, now=timezone.now())
    _enqueue_phase_events(phase)
    return phase


@transaction.atomic
def reschedule_phase(
    *,
    actor: User,
    phase: Phase,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    short_schedule_reason: str = "",
) -> Phase:
    """Move a phase's dates or extend its deadline, with a public reason.

    Every phase is public once scheduled, so every change of its dates needs a reason. A phase
    that has started keeps its start; a date already passed cannot be moved (close early instead).
    Moving a deadline earlier notifies the participants, as the issue asks; an extension does not.
    """
    process = phase.process
    require(is_secretariat(actor, process), _("Only the secretariat reschedules phases."))
    _lock_and_refresh(phase)
    _require_open_process(process)
    reason = _require_reason(reason)
    now = timezone.now()
    old_starts_at, old_ends_at = phase.starts_at, phase.ends_at
    if (starts_at, ends_at) == (old_starts_at, old_ends_at):
        raise ValidationError(_("These are the phase's current dates: nothing to change."))
    _check_dates(process, starts_at, ends_at, exclude=phase)
    this_minute = now.replace(second=0, microsecond=0)
    if starts_at != old_starts_at and old_starts_at <= now:
        raise ValidationError({"starts_at": _("This phase has started: its start cannot move.")})
    if starts_at != old_starts_at and starts_at < this_minute:
        raise ValidationError({"starts_at": _("A phase cannot be moved to start in the past.")})
    if ends_at != old_ends_at and ends_at < this_minute:
        raise ValidationError(
            {
                "ends_at": _(
                    "A deadline cannot be moved into the past; close the phase early instead."
                )
            }
        )
    short = _short_schedule_reason(phase, starts_at, ends_at, short_schedule_reason)
    phase.starts_at, phase.ends_at, phase.short_schedule_reason = starts_at, ends_at, short
    if phase.closing_recorded_at is not None and ends_at > now:
        # A closed phase extended into the future is open again; its new closing is recorded anew.
        phase.closing_recorded_at = None
    phase.full_clean()
    phase.save()
    _record_reschedule(actor, phase, old_starts_at, old_ends_at, reason)
    if ends_at < old_ends_at:
        _notify_earlier_deadline(actor, phase, old_ends_at, reason)
    record_due_phase_events(process=process, now=now)
    _enqueue_phase_events(phase)
    return phase


@transaction.atomic
def close_phase_early(*, actor: User, phase: Phase, reason: str) -> Phase:
    """End an open phase now, with a public reason; participants are told."""
    process = phase.process
    require(is_secretariat(actor, process), _("Only the secretariat closes phases."))
    _lock_and_refresh(phase)
    _require_open_process(process)
    reason = _require_reason(reason)
    now = timezone.now()
    if phase.status(now) != "open" or phase.starts_at >= now:
        raise ValidationError(_("Only an open phase can be closed early."))
    old_ends_at = phase.ends_at
    phase.ends_at = now
    if phase.min_days is not None and now - phase.starts_at < timedelta(days=phase.min_days):
        # Shorter than the template's minimum now: the reason for closing is that reason.
        phase.short_schedule_reason = reason
    phase.full_clean()
    phase.save()
    _record_reschedule(actor, phase, phase.starts_at, old_ends_at, reason, closed_early=True)
    _notify_earlier_deadline(actor, phase, old_ends_at, reason)
    record_due_phase_events(process=process, now=now)
    return phase


@transaction.atomic
def remove_phase(*, actor: User, phase: Phase, reason: str) -> None:
    """Delete a phase that has not started, with a public reason; a started phase stays."""
    process = phase.process
    require(is_secretariat(actor, process), _("Only the secretariat removes phases."))
    _lock_and_refresh(phase)
    _require_open_process(process)
    reason = _require_reason(reason)
    if phase.starts_at <= timezone.now():
        raise ValidationError(
            _("This phase has started: it cannot be removed (close it early instead).")
        )
    PhaseChange.objects.create(
        process=process,
        phase=phase,
        phase_title=phase.title,
        kind=PhaseChange.Kind.REMOVED,
        old_starts_at=phase.starts_at,
        old_ends_at=phase.ends_at,
        reason=reason,
        changed_by=actor,
    )
    publish(
        process=process,
        kind="phase.removed",
        payload={
            "phase_id": phase.pk,
            "title": phase.title,
            "starts_at": phase.starts_at.isoformat(),
            "ends_at": phase.ends_at.isoformat(),
            "reason": reason,
        },
    )
    phase.delete()


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
def record_due_phase_events(*, process: Process, now: datetime) -> list[tuple[str, Phase]]:
    """Append "phase.opened" / "phase.closed" once for each start / end that has passed by `now`,
    in the order they happened; idempotent, so a stale or repeated run records nothing twice.

    Run by `record_phase_events_task` at each phase's start and end, by services that act on a
    process and by `polyvox record_phase_events` (cron)."""
    # One writer at a time per process (PostgreSQL row lock; SQLite serialises writers anyway),
    # so the task and the cron command cannot both record the same event.
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    openings = process.phases.filter(starts_at__lte=now, opening_recorded_at__isnull=True)
    closings = process.phases.filter(ends_at__lte=now, closing_recorded_at__isnull=True)
    due = [(phase.starts_at, 0, "phase.opened", phase) for phase in openings] + [
        (phase.ends_at, 1, "phase.closed", phase) for phase in closings
    ]
    due.sort(key=lambda event: (event[0], event[1], event[3].pk))
    for _at, _order, kind, phase in due:
        field = "opening_recorded_at" if kind == "phase.opened" else "closing_recorded_at"
        setattr(phase, field, now)
        phase.save(update_fields=[field])
        publish(process=process, kind=kind, payload=phase_payload(phase))
        if kind == "phase.opened" and phase.ends_at > now:
            _circulate_opening(phase)
    return [(kind, phase) for _at, _order, kind, phase in due]


def _circulate_opening(phase: Phase) -> None:
    """A phase opens: everyone following or taking part hears of it (not one already over when
    a late run records its opening), each in their language, with the process and phase texts
    translated where a translation exists."""
    process = phase.process

    def compose(language: str) -> tuple[str, str]:
        title = localized_process(process, language).title
        texts = localized_phase(phase, language)
        subject = _("%(process)s: “%(phase)s” is open") % {"process": title, "phase": texts.title}
        body = _("The phase “%(phase)s” of “%(process)s” is open until %(end)s UTC.") % {
            "phase": texts.title,
            "process": title,
            "end": phase.ends_at.strftime("%Y-%m-%d %H:%M"),
        }
        if texts.description:
            body += "\n\n" + texts.description
        return subject, body

    circulate_to_all(process=process, kind="phase", compose=compose, url=process.get_absolute_url())


def record_phase_openings(*, process: Process, now: datetime) -> list[Phase]:
    """The phases whose opening was recorded now (closings due are recorded too)."""
    return [
        phase
        for kind, phase in record_due_phase_events(process=process, now=now)
        if kind == "phase.opened"
    ]


def _lock_and_refresh(phase: Phase) -> None:
    """Serialise schedule writers per process and work on the phase as stored now (the task may
    have recorded its opening since the caller read it)."""
    Process.objects.select_for_update(no_key=True).filter(pk=phase.process_id).first()
    phase.refresh_from_db()
    phase.process.refresh_from_db()


def _require_open_process(process: Process) -> None:
    if process.closed_at is not None:
        raise ValidationError(_("This process is closed: its schedule can no longer change."))


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("State why the schedule changes: the reason is published.")}
        )
    return reason


def _check_dates(
    process: Process, starts_at: datetime, ends_at: datetime, *, exclude: Phase | None
) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Phase dates need a time zone."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A phase must end after it starts.")})
    others = process.phases.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    overlapping = others.first()
    if overlapping is not None:
        raise ValidationError(
            {"starts_at": _("This overlaps the phase “%(title)s”.") % {"title": overlapping.title}}
        )


def _short_schedule_reason(phase: Phase, starts_at: datetime, ends_at: datetime, given: str) -> str:
    """The published reason for a schedule below the minimum: the new one, else the one on file;
    none once the phase is long enough again."""
    reason = given.strip() or phase.short_schedule_reason
    check_minimum_duration(starts_at, ends_at, phase.min_days, reason)
    if phase.min_days is None or ends_at - starts_at >= timedelta(days=phase.min_days):
        return ""
    return reason


def _record_reschedule(
    actor: User,
    phase: Phase,
    old_starts_at: datetime,
    old_ends_at: datetime,
    reason: str,
    *,
    closed_early: bool = False,
) -> None:
    PhaseChange.objects.create(
        process=phase.process,
        phase=phase,
        phase_title=phase.title,
        kind=PhaseChange.Kind.RESCHEDULED,
        old_starts_at=old_starts_at,
        old_ends_at=old_ends_at,
        new_starts_at=phase.starts_at,
        new_ends_at=phase.ends_at,
        reason=reason,
        changed_by=actor,
    )
    payload = phase_payload(phase) | {
        "old_starts_at": old_starts_at.isoformat(),
        "old_ends_at": old_ends_at.isoformat(),
        "reason": reason,
    }
    if closed_early:
        payload["closed_early"] = True
    publish(process=phase.process, kind="phase.rescheduled", payload=payload)


def _notify_earlier_deadline(actor: User, phase: Phase, old_ends_at: datetime, reason: str) -> None:
    """Participants planned for the published deadline: tell them it moved earlier, and why
    (each in their language; the reason stays as the secretariat wrote it)."""
    process = phase.process

    def compose(language: str) -> tuple[str, str]:
        title = localized_process(process, language).title
        phase_title = localized_phase(phase, language).title
        subject = _("%(process)s: “%(phase)s” now ends earlier") % {
            "process": title,
            "phase": phase_title,
        }
        body = _(
            "The phase “%(phase)s” now ends at %(new)s UTC instead of %(old)s UTC.\n\n"
            "Reason: %(reason)s"
        ) % {
            "phase": phase_title,
            "new": phase.ends_at.strftime("%Y-%m-%d %H:%M"),
            "old": old_ends_at.strftime("%Y-%m-%d %H:%M"),
            "reason": reason,
        }
        return subject, body

    notify_people(
        recipients=process_participants(process).exclude(pk=actor.pk),
        compose=compose,
        url=process.get_absolute_url(),
    )


def _enqueue_phase_events(phase: Phase) -> None:
    """After commit, queue the task that records the phase's opening and closing at their time.

    A backend that cannot defer (the tests' immediate one) runs it now; it records only what is
    due, so an early or stale run (after a reschedule) records nothing wrong."""
    from polyvox.processes.tasks import record_phase_events_task

    def enqueue(process_id: int, moments: tuple[datetime, ...]) -> None:
        if not record_phase_events_task.get_backend().supports_defer:
            record_phase_events_task.enqueue(process_id)
            return
        for moment in moments:
            record_phase_events_task.using(run_after=moment).enqueue(process_id)

    now = timezone.now()
    moments = tuple(m for m in (phase.starts_at, phase.ends_at) if m > now)
    if moments:
        on_commit: Callable[[], None] = partial(enqueue, phase.process_id, moments)
        transaction.on_commit(on_commit)
