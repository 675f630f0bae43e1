"""Reads about processes and phases; time is always passed in."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.models import User
from polyvox.participants.selectors import has_statement_of_interest
from polyvox.processes.models import ParticipationPolicy, Phase, Process
from polyvox.processes.permissions import can_take_part, phase_allows
from polyvox.processes.phase_types import Action


def processes_for(*, viewer: Actor | None) -> QuerySet[Process]:
    """Every process is public to read; participation rules apply to writing."""
    return Process.objects.order_by("-created_at")


def access_process(*, viewer: Actor | None, slug: str) -> Process:
    process = processes_for(viewer=viewer).filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    return process


def current_phase(process: Process, now: datetime) -> Phase | None:
    return process.phases.filter(starts_at__lte=now, ends_at__gt=now).order_by("starts_at").first()


@dataclass(frozen=True)
class Window:
    """Whether `action` is possible now: allowed (maybe late), or refused with a reason."""

    allowed: bool
    late: bool
    phase: Phase | None
    reason: str = ""


def action_window(process: Process, action: Action, now: datetime) -> Window:
    """Decide on the server, in UTC, whether the phases let anyone do `action` at `now`."""
    phase = current_phase(process, now)
    if phase_allows(phase, action):
        return Window(True, False, phase)
    last = (
        process.phases.filter(ends_at__lte=now).order_by("-ends_at").first()
        if process.accepts_late_inputs
        else None
    )
    if last is not None and phase_allows(last, action) and action != Action.VOTE:
        return Window(True, True, last)
    closed = [p for p in process.phases.filter(ends_at__lte=now) if phase_allows(p, action)]
    if closed:
        deadline = max(p.ends_at for p in closed)
        reason = _("The deadline for this has passed (it closed at %(deadline)s UTC).") % {
            "deadline": deadline.strftime("%Y-%m-%d %H:%M")
        }
    elif phase is None:
        reason = _("No phase of this process is open now.")
    else:
        reason = _("The current phase (%(phase)s) does not accept this.") % {"phase": phase.title}
    return Window(False, False, phase, reason)


def process_participants(process: Process) -> QuerySet[User]:
    """Everyone taking part: members (secretariat, invitees), contributors and voters."""
    return User.objects.filter(
        Q(memberships__process=process)
        | Q(contributions__process=process)
        | Q(statement_votes__statement__process=process),
        is_active=True,
    ).distinct()


def participation_window(
    actor: Actor | None, process: Process, action: Action, now: datetime
) -> Window:
    """Whether `actor` may do `action` now: signed in, admitted, interests declared, phase open.

    Refusals carry the reason a participant needs to read."""
    if not is_signed_in(actor):
        return Window(False, False, None, _("Log in to take part."))
    if not can_take_part(actor, process):
        reason = (
            _("This process is open to invited participants only.")
            if process.participation_policy == ParticipationPolicy.INVITED
            else _("You cannot take part in this process.")
        )
        return Window(False, False, None, reason)
    if process.requires_statement_of_interest and not has_statement_of_interest(actor):  # type: ignore[arg-type]
        return Window(
            False,
            False,
            None,
            _("This process asks you to declare your interests before taking part."),
        )
    return action_window(process, action, now)
