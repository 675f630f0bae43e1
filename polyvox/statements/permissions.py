"""Who may propose, vote on, moderate and promote statements: phases decide when, roles decide who."""

from datetime import datetime

from polyvox.core.permissions import Actor
from polyvox.processes.models import Process
from polyvox.processes.permissions import (
    Window,
    has_capability,
    is_secretariat,
    participation_window,
)
from polyvox.processes.phase_types import Action
from polyvox.processes.roles import Capability


def can_propose_statement(actor: Actor | None, process: Process, now: datetime) -> Window:
    """The secretariat may always seed statements; participants only in a deliberation phase."""
    if is_secretariat(actor, process):
        return Window(True, False, None)
    return participation_window(actor, process, Action.PROPOSE_STATEMENT, now)


def can_vote(actor: Actor | None, process: Process, now: datetime) -> Window:
    """Votes are taken while a phase that allows voting is open (never late)."""
    return participation_window(actor, process, Action.VOTE, now)


def can_moderate_statements(actor: Actor | None, process: Process) -> bool:
    """Accepting or rejecting proposed statements: moderators and the secretariat."""
    return has_capability(actor, process, Capability.MODERATE)


def can_promote_contribution(actor: Actor | None, process: Process) -> bool:
    """Turning a thread insight into a statement is the secretariat's editorial call."""
    return is_secretariat(actor, process)
