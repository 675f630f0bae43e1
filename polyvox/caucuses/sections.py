"""What caucuses adds to the pages of apps below it, registered in `ready()`."""

from typing import Any

from django.http import HttpRequest

from polyvox.caucuses.permissions import can_start_caucus
from polyvox.caucuses.selectors import caucuses_of
from polyvox.core.sections import PageSection
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE

CAUCUSES_ON_PROCESS_PAGE = 10


def process_caucuses_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: its caucuses (public names and member counts) and a way to start one."""
    listed = list(caucuses_of(process)[: CAUCUSES_ON_PROCESS_PAGE + 1])
    return {
        "process": process,
        "caucuses": listed[:CAUCUSES_ON_PROCESS_PAGE],
        "more": len(listed) > CAUCUSES_ON_PROCESS_PAGE,
        "can_start": can_start_caucus(request.user, process),
    }


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("caucuses", 50, "caucuses/_process_caucuses.html", process_caucuses_section)
    )
