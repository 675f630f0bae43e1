"""Who may list recommendations, designate consensus, object, record positions and declare
decisions: decided here, on the server.

Windows are checked in UTC: objections until the proposal's `objections_close_at`; positions
while a decision phase is open (`Action.POSITION`) and the recommendation is not yet decided.
A closed process takes no more writes.
"""

from datetime import datetime

from polyvox.core.permissions import Actor
from polyvox.outcomes.models import Designation, Recommendation, Stage
from polyvox.processes.models import Process
from polyvox.processes.permissions import (
    action_window,
    can_take_part,
    has_capability,
    is_secretariat,
)
from polyvox.processes.phase_types import Action
from polyvox.processes.roles import Capability


def process_is_open(process: Process) -> bool:
    return process.closed_at is None


def can_manage_recommendations(actor: Actor | None, process: Process) -> bool:
    """The secretariat lists and edits recommendations and sets the rule set, while it is open."""
    return process_is_open(process) and is_secretariat(actor, process)


def can_designate(actor: Actor | None, process: Process) -> bool:
    """The chair proposes, confirms and revises designations (docs/roles.md)."""
    return process_is_open(process) and has_capability(actor, process, Capability.DESIGNATE)


def can_declare_decisions(actor: Actor | None, process: Process) -> bool:
    return process_is_open(process) and has_capability(actor, process, Capability.DECLARE_DECISIONS)


def objections_are_open(designation: Designation, now: datetime) -> bool:
    """A proposal not yet made final, before its objection deadline, in an open process."""
    return (
        designation.stage == Stage.PROPOSED
        and designation.objections_close_at is not None
        and now < designation.objections_close_at
        and not hasattr(designation, "final")
        and process_is_open(designation.recommendation.process)
    )


def can_object(actor: Actor | None, designation: Designation, now: datetime) -> bool:
    """Anyone taking part in the process, while objections are open."""
    process = designation.recommendation.process
    return objections_are_open(designation, now) and can_take_part(actor, process)


def can_record_position(actor: Actor | None, recommendation: Recommendation, now: datetime) -> bool:
    """Anyone taking part, while a decision phase is open and no decision has been declared."""
    process = recommendation.process
    return (
        process_is_open(process)
        and not hasattr(recommendation, "decision")
        and can_take_part(actor, process)
        and action_window(process, Action.POSITION, now).allowed
    )
