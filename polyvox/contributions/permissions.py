"""Who may edit, answer and see contributions; who may post one is `participation_window`."""

from datetime import datetime

from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Process
from polyvox.processes.permissions import (
    action_window,
    is_secretariat,
)
from polyvox.processes.phase_types import Action

ACTION_FOR_KIND: dict[str, Action] = {
    ContributionKind.COMMENT: Action.COMMENT,
    ContributionKind.GENERAL: Action.GENERAL_COMMENT,
    ContributionKind.OMISSION: Action.OMISSION,
    ContributionKind.SUBMISSION: Action.SUBMISSION,
    ContributionKind.REPLY: Action.REPLY,
}


def can_dispose(actor: Actor | None, process: Process) -> bool:
    """Answering inputs is the secretariat's duty (São Paulo Guidelines, step 8)."""
    return is_secretariat(actor, process)


def can_edit_contribution(actor: Actor | None, contribution: Contribution, now: datetime) -> bool:
    """Its author, while the phase that took it is still open (late inputs cannot be reworked)."""
    if not is_signed_in(actor) or contribution.author_id != actor.pk or contribution.hidden_at:
        return False
    window = action_window(contribution.process, ACTION_FOR_KIND[contribution.kind], now)
    return window.allowed and not window.late


def can_see_hidden(actor: Actor | None, contribution: Contribution) -> bool:
    """Hidden inputs stay readable to their author and to the secretariat that hid them."""
    if not is_signed_in(actor):
        return False
    return contribution.author_id == actor.pk or is_secretariat(actor, contribution.process)
