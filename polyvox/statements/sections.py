"""What statements adds to the pages of apps below it, registered in `ready()`."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from polyvox.contributions.models import Contribution
from polyvox.contributions.pages import CONTRIBUTION_PAGE
from polyvox.core.sections import PageSection
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.processes.participation import register_participant_source
from polyvox.statements.models import Vote
from polyvox.statements.permissions import can_moderate_statements, can_promote_contribution


def voters(process: Process) -> QuerySet[Vote, Any]:
    """Ids of everyone who voted on a statement of `process`: they take part in it."""
    return Vote.objects.filter(statement__process=process).values("participant_id")


def promote_section(
    *, request: HttpRequest, contribution: Contribution, process: Process
) -> dict[str, Any] | None:
    """On a contribution's page, for the secretariat: promote an insight to a statement."""
    if not can_promote_contribution(request.user, process):
        return None
    return {"process": process, "contribution": contribution}


def process_statements_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: statements, voting and the opinion map; moderation for moderators."""
    return {"process": process, "can_moderate": can_moderate_statements(request.user, process)}


def register() -> None:
    register_participant_source("voters", voters)
    CONTRIBUTION_PAGE.register(
        PageSection("promote", 20, "statements/_promote_contribution.html", promote_section)
    )
    PROCESS_PAGE.register(
        PageSection("statements", 30, "statements/_process_links.html", process_statements_section)
    )
