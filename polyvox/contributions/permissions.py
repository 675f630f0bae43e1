"""Who may edit, answer and see contributions; who may post one is `participation_window`."""

from datetime import datetime

from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Process
from polyvox.processes.permissions import (
    action_window,
    has_capability,
)
from polyvox.processes.phase_types import Action
from polyvox.processes.roles import Capability

ACTION_FOR_KIND: dict[str, Action] = {
    ContributionKind.COMMENT: Action.COMMENT,
    ContributionKind.GENERAL: Action.GENERAL_COMMENT,
    ContributionKind.OMISSION: Action.OMISSION,
    ContributionKind.SUBMISSION: Action.SUBMISSION,
    ContributionKind.REPLY: Action.REPLY,
}


def can_dispose(actor: Actor | None, process: Process) -> bool:
    """Answering inputs (São Paulo Guidelines, step 8): secretariat and rapporteurs."""
    return has_capability(actor, process, Capability.ANSWER_INPUTS)


def can_moderate(actor: Actor | None, process: Process) -> bool:
    """Hiding (and restoring) inputs under the published policy: secretariat and moderators."""
    return has_capability(actor, process, Capability.MODERATE)


def can_edit_contribution(actor: Actor | None, contribution: Contribution, now: datetime) -> bool:
    """Its author, while the phase that took it is still open (late inputs cannot be reworked)."""
    if not is_signed_in(actor) or contribution.author_id != actor.pk or contribution.hidden_at:
        return False
    window = action_window(contribution.process, ACTION_FOR_KIND[contribution.kind], now)
    return window.allowed and not window.late


def can_see_hidden(actor: Actor | None, contribution: Contribution) -> bool:
    """Hidden inputs stay readable to their author and to the staff who work the inputs."""
    if not is_signed_in(actor):
        return False
    return contribution.author_id == actor.pk or can_see_workbench(actor, contribution.process)


def can_see_workbench(actor: Actor | None, process: Process) -> bool:
    """The workbench, its assignments and internal notes: staff roles (processes.roles)."""
    return has_capability(actor, process, Capability.SEE_WORKBENCH)


def can_review_answers(actor: Actor | None, process: Process) -> bool:
    """Reviewing another member's proposed answer (`Process.answers_need_review`)."""
    return has_capability(actor, process, Capability.REVIEW_ANSWERS)
