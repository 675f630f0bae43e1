"""Writes for templates: create a process from one, save a process as a new one.

A template's phases are scheduled back to back through `scheduling.schedule_phase`, which refuses
a phase shorter than its minimum unless a reason is given; the reason goes on the record and the
process page.
"""

import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Process, ProcessTemplate
from polyvox.processes.permissions import has_capability
from polyvox.processes.process_templates import PhaseSpec, built_in_template
from polyvox.processes.roles import Capability
from polyvox.processes.selectors import process_template
from polyvox.processes.services.creating import create_process
from polyvox.processes.services.scheduling import schedule_phase


class PhaseOverride(TypedDict, total=False):
    """A change to one template phase: a length in days, or dates; and why it is short."""

    days: int
    starts_at: datetime
    ends_at: datetime
    short_schedule_reason: str


def opening_moment(opens: date | datetime) -> datetime:
    """A date opens at midnight UTC; a naive datetime is read as UTC."""
    if not isinstance(opens, datetime):
        opens = datetime.combine(opens, time.min)
    if timezone.is_naive(opens):
        opens = timezone.make_aware(opens, UTC)
    return opens


def _phase_dates(
    index: int, spec: PhaseSpec, starts_at: datetime, override: PhaseOverride
) -> tuple[datetime, datetime]:
    key = f"phase_{index}_days"
    starts_at = override.get("starts_at") or starts_at
    if "ends_at" in override:
        return starts_at, override["ends_at"]
    days = override.get("days", spec.default_days)
    if not isinstance(days, int) or days < 1:
        raise ValidationError({key: _("A phase lasts at least one day.")})
    return starts_at, starts_at + timedelta(days=days)


@transaction.atomic
def create_process_from_template(
    *,
    actor: User,
    template_name: str,
    slug: str,
    title: str,
    opens: date | datetime,
    mandate: str = "",
    phase_overrides: list[PhaseOverride | None] | None = None,
    languages: list[str] | None = None,
) -> Process:
    """Create a process with the template's policies and text, its phases back to back from
    `opens`, each `default_days` long unless overridden (a reason is needed below the minimum)."""
    spec = process_template(template_name)
    if spec is None:
        raise ValidationError({"template_name": _("No template called “%s”.") % template_name})
    overrides = list(phase_overrides or [])
    if len(overrides) > len(spec.phases):
        raise ValidationError(
            {"phase_overrides": _("This template has only %d phases.") % len(spec.phases)}
        )
    process = create_process(
        actor=actor,
        slug=slug,
        title=title,
        mandate=mandate or str(spec.description),
        languages=languages,
        decision_mode=spec.decision_mode,
        identity_policy=spec.identity_policy,
        participation_policy=spec.participation_policy,
        how_it_works=str(spec.how_it_works),
        template_name=spec.name,
    )
    starts_at = opening_moment(opens)
    for index, phase in enumerate(spec.phases, start=1):
        override = (overrides[index - 1] if index <= len(overrides) else None) or PhaseOverride()
        phase_starts, phase_ends = _phase_dates(index, phase, starts_at, override)
        try:
            schedule_phase(
                actor=actor,
                process=process,
                kind=phase.kind,
                title=str(phase.title),
                starts_at=phase_starts,
                ends_at=phase_ends,
                min_days=phase.min_days,
                short_schedule_reason=override.get("short_schedule_reason", ""),
            )
        except ValidationError as error:
            # Name the phase: the form shows one row per phase.
            raise ValidationError(
                {f"phase_{index}_days": [f"{phase.title}: {m}" for m in error.messages]}
            ) from error
        starts_at = phase_ends
    return process


def _days(phase_starts: datetime, phase_ends: datetime) -> int:
    return max(1, math.ceil((phase_ends - phase_starts) / timedelta(days=1)))


@transaction.atomic
def save_as_template(*, actor: User, process: Process, name: str, title: str) -> ProcessTemplate:
    """Keep this process's design (phases with their lengths and minimums, policies, how it
    works) as a template others can start from."""
    require(
        has_capability(actor, process, Capability.MANAGE_PROCESS),
        _("Only the secretariat can save this process as a template."),
    )
    name = name.strip()
    if not name or slugify(name) != name:
        raise ValidationError(
            {"name": _("Use lowercase letters, digits and hyphens only, e.g. “my-consultation”.")}
        )
    if built_in_template(name) is not None or ProcessTemplate.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A template with this name exists already.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the template a title.")})
    phases: list[dict[str, Any]] = [
        {
            "kind": phase.kind,
            "title": phase.title,
            "min_days": phase.min_days,
            "default_days": _days(phase.starts_at, phase.ends_at),
        }
        for phase in process.phases.order_by("starts_at", "id")
    ]
    if not phases:
        raise ValidationError({"name": _("This process has no phases to save yet.")})
    template = ProcessTemplate(
        name=name,
        title=title.strip(),
        description=_("Saved from the process “%s”.") % process.title,
        how_it_works=process.how_it_works,
        decision_mode=process.decision_mode,
        identity_policy=process.identity_policy,
        participation_policy=process.participation_policy,
        phases=phases,
        source_process=process,
        created_by=actor,
    )
    template.full_clean()
    template.save()
    return template
