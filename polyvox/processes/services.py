"""Writes for processes: create, schedule phases, appoint the secretariat, invite participants."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import (
    DecisionMode,
    IdentityPolicy,
    Membership,
    ParticipationPolicy,
    Phase,
    Process,
    Role,
)
from polyvox.processes.permissions import can_create_process, is_secretariat
from polyvox.processes.phase_types import PhaseKind
from polyvox.processes.publishing import publish

UN_LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


@transaction.atomic
def create_process(
    *,
    actor: User,
    slug: str,
    title: str,
    mandate: str,
    languages: list[str] | None = None,
    decision_mode: str = DecisionMode.ADVISORY,
    identity_policy: str = IdentityPolicy.REAL_NAMES,
    participation_policy: str = ParticipationPolicy.OPEN,
    requires_statement_of_interest: bool = False,
    accepts_late_inputs: bool = False,
) -> Process:
    """Create a process; its creator becomes its first secretariat member."""
    require(can_create_process(actor), _("Only staff members can create processes."))
    languages = list(languages or ["en"])
    unknown = [code for code in languages if code not in UN_LANGUAGES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language codes: %s") % ", ".join(unknown)})
    process = Process(
        slug=slug,
        title=title.strip(),
        mandate=mandate.strip(),
        languages=languages,
        decision_mode=decision_mode,
        identity_policy=identity_policy,
        participation_policy=participation_policy,
        requires_statement_of_interest=requires_statement_of_interest,
        accepts_late_inputs=accepts_late_inputs,
        created_by=actor,
    )
    process.full_clean()
    process.save()
    Membership.objects.create(process=process, user=actor, role=Role.SECRETARIAT)
    publish(
        process=process,
        kind="process.created",
        payload={
            "slug": process.slug,
            "title": process.title,
            "mandate": process.mandate,
            "languages": process.languages,
            "decision_mode": process.decision_mode,
            "identity_policy": process.identity_policy,
            "participation_policy": process.participation_policy,
        },
    )
    return process


@transaction.atomic
def add_member(*, actor: User, process: Process, user: User, role: str) -> Membership:
    """Appoint a secretariat member, or invite a participant to an invitation-only process."""
    require(is_secretariat(actor, process), _("Only the secretariat manages this process."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership, _created = Membership.objects.get_or_create(process=process, user=user, role=role)
    return membership


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
) -> Phase:
    """Add a dated phase. Phases of one process may not overlap: one phase is current at a time."""
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
    phase = Phase(
        process=process,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    phase.full_clean()
    phase.save()
    publish(process=process, kind="phase.scheduled", payload=phase_payload(phase))
    record_phase_openings(process=process, now=timezone.now())
    return phase


def phase_payload(phase: Phase) -> dict[str, object]:
    return {
        "phase_id": phase.pk,
        "kind": phase.kind,
        "title": phase.title,
        "starts_at": phase.starts_at.isoformat(),
        "ends_at": phase.ends_at.isoformat(),
    }


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
