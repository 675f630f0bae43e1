"""Who may do what in a process. Pure and fast; phases decide actions, roles decide management."""

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Membership, ParticipationPolicy, Phase, Process, Role
from polyvox.processes.phase_types import Action, phase_type


def can_create_process(actor: Actor | None) -> bool:
    return is_signed_in(actor) and bool(getattr(actor, "is_staff", False))


def is_secretariat(actor: Actor | None, process: Process) -> bool:
    if not is_signed_in(actor):
        return False
    if getattr(actor, "is_superuser", False):
        return True
    return Membership.objects.filter(
        process=process, user_id=actor.pk, role=Role.SECRETARIAT
    ).exists()


def can_manage_process(actor: Actor | None, process: Process) -> bool:
    return is_secretariat(actor, process)


def can_take_part(actor: Actor | None, process: Process) -> bool:
    """Signed in, and invited where the process is invitation-only."""
    if not is_signed_in(actor):
        return False
    if process.participation_policy == ParticipationPolicy.OPEN:
        return True
    return Membership.objects.filter(process=process, user_id=actor.pk).exists()


def phase_allows(phase: Phase | None, action: Action) -> bool:
    return phase is not None and action in phase_type(phase.kind).allowed_actions
