"""What outcomes adds to the pages of apps below it, registered in `ready()`.

On the process page: how many recommendations, how far their designations and decisions are, the
final designations by level, and the links to the recommendations and the outcome document.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from polyvox.core.sections import PageSection
from polyvox.outcomes.models import Position
from polyvox.outcomes.permissions import can_manage_recommendations
from polyvox.outcomes.selectors.recommendations import outcome_counts
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.processes.participation import register_participant_source


def process_section(*, request: HttpRequest, process: Process) -> dict[str, Any] | None:
    """Counted in the database; nothing shown while a process has no recommendation and the
    viewer cannot add one."""
    can_manage = can_manage_recommendations(request.user, process)
    counts = outcome_counts(process)
    if not counts["count"] and not can_manage:
        return None
    return {
        "process": process,
        **counts,
        "can_manage": can_manage,
    }


def position_holders(process: Process) -> QuerySet[Position, Any]:
    """Ids of everyone who recorded a position on a recommendation of `process`: they take part
    in it (and so hear of new draft versions and decisions, like voters)."""
    return Position.objects.filter(recommendation__process=process).values("author_id")


def register() -> None:
    register_participant_source("positions", position_holders)
    PROCESS_PAGE.register(
        PageSection("outcomes", 60, "outcomes/_process_section.html", process_section)
    )
