"""Who may propose, vote on, moderate and promote statements: phases decide when, roles decide who."""

from datetime import datetime

from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.selectors import has_statement_of_interest
from polyvox.processes.models import ParticipationPolicy, Process
from polyvox.processes.permissions import can_take_part, is_secretariat
from polyvox.processes.phase_types import Action
from polyvox.processes.selectors import Window, action_window


def _participation(actor: Actor | None, process: Process, action: Action, now: datetime) -> Window:
    """Allowed, or refused with the reason a participant needs to read."""
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
            False, False, None, _("This process asks you to declare your interests first.")
        )
    return action_window(process, action, now)


def can_propose_statement(actor: Actor | None, process: Process, now: datetime) -> Window:
    """The secretariat may always seed statements; participants only in a deliberation phase."""
    if is_secretariat(actor, process):
        return Window(True, False, None)
    return _participation(actor, process, Action.PROPOSE_STATEMENT, now)


def can_vote(actor: Actor | None, process: Process, now: datetime) -> Window:
    """Votes are taken while a phase that allows voting is open (never late)."""
    return _participation(actor, process, Action.VOTE, now)


def can_moderate_statements(actor: Actor | None, process: Process) -> bool:
    return is_secretariat(actor, process)


def can_promote_contribution(actor: Actor | None, process: Process) -> bool:
    """Turning a thread insight into a statement is the secretariat's editorial call."""
    return is_secretariat(actor, process)
