"""Who may do what in a process, and when: phases decide actions, roles decide management."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.selectors import has_statement_of_interest
from polyvox.processes.models import Membership, ParticipationPolicy, Phase, Process, Role
from polyvox.processes.participation import participation_refusal
from polyvox.processes.phase_types import Action, phase_type
from polyvox.processes.roles import Capability, roles_with


def can_create_process(actor: Actor | None) -> bool:
    return is_signed_in(actor) and bool(getattr(actor, "is_staff", False))


def has_capability(actor: Actor | None, process: Process, capability: Capability) -> bool:
    """Whether one of `actor`'s roles in `process` carries `capability` (`processes.roles`).

    A superuser holds every capability; everyone else only what their memberships give."""
    if not is_signed_in(actor):
        return False
    if getattr(actor, "is_superuser", False):
        return True
    return Membership.objects.filter(
        process=process, user_id=actor.pk, role__in=roles_with(capability)
    ).exists()


def is_secretariat(actor: Actor | None, process: Process) -> bool:
    """The process's secretariat (or a superuser) manages it: phases, members, invitations."""
    return has_capability(actor, process, Capability.MANAGE_PROCESS)


def can_close_process(actor: Actor | None, process: Process) -> bool:
    """Closing ends the process for good: the secretariat or its chair."""
    return has_capability(actor, process, Capability.CLOSE_PROCESS)


def can_publish_translations(actor: Actor | None, process: Process) -> bool:
    """Language versions of the process texts and of draft versions: translators, the
    secretariat."""
    return has_capability(actor, process, Capability.PUBLISH_TRANSLATIONS)


def can_take_part(actor: Actor | None, process: Process) -> bool:
    """Signed in with a confirmed e-mail address, not there only to observe, and invited where the
    process is invitation-only."""
    if not is_signed_in(actor) or getattr(actor, "email_verified_at", None) is None:
        return False
    if process.participation_policy == ParticipationPolicy.OPEN:
        roles = set(
            Membership.objects.filter(process=process, user_id=actor.pk).values_list(
                "role", flat=True
            )
        )
        return roles != {Role.OBSERVER}
    return has_capability(actor, process, Capability.TAKE_PART)


def phase_allows(phase: Phase | None, action: Action) -> bool:
    return phase is not None and action in phase_type(phase.kind).allowed_actions


# Votes and positions count only while their phase is open: never "late".
LIVE_ONLY = frozenset({Action.VOTE, Action.POSITION})


@dataclass(frozen=True)
class Window:
    """Whether `action` is possible now: allowed (maybe late), or refused with a reason."""

    allowed: bool
    late: bool
    phase: Phase | None
    reason: str = ""


def action_window(process: Process, action: Action, now: datetime) -> Window:
    """Decide on the server, in UTC, whether the phases let anyone do `action` at `now`."""
    if process.closed_at is not None:
        return Window(False, False, None, _("This process is closed."))
    phase = process.phases.filter(starts_at__lte=now, ends_at__gt=now).order_by("starts_at").first()
    if phase_allows(phase, action):
        return Window(True, False, phase)
    last = (
        process.phases.filter(ends_at__lte=now).order_by("-ends_at").first()
        if process.accepts_late_inputs
        else None
    )
    if last is not None and phase_allows(last, action) and action not in LIVE_ONLY:
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


def participation_window(
    actor: Actor | None, process: Process, action: Action, now: datetime
) -> Window:
    """Whether `actor` may do `action` now: signed in, admitted, interests declared, phase open.

    Refusals carry the reason a participant needs to read."""
    if not is_signed_in(actor):
        return Window(False, False, None, _("Log in to take part."))
    if getattr(actor, "email_verified_at", None) is None:
        return Window(False, False, None, _("Confirm your e-mail address to take part."))
    if not can_take_part(actor, process):
        reason = (
            _("This process is open to invited participants only.")
            if process.participation_policy == ParticipationPolicy.INVITED
            else _("You cannot take part in this process.")
        )
        return Window(False, False, None, reason)
    if process.requires_statement_of_interest and not has_statement_of_interest(actor):
        return Window(
            False,
            False,
            None,
            _("This process asks you to declare your interests before taking part."),
        )
    refusal = participation_refusal(actor, process, now)  # e.g. a moderation restriction
    if refusal:
        return Window(False, False, None, refusal)
    return action_window(process, action, now)


def can_see_participant_interests(
    viewer: Actor | None, user: AbstractBaseUser, process: Process
) -> bool:
    """A participant's statements of interest: the person themself or this process's secretariat."""
    if is_signed_in(viewer) and viewer.pk == user.pk:
        return True
    return is_secretariat(viewer, process)
