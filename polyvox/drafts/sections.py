"""What drafts adds to the pages of apps below it (the process page), registered in `ready()`."""

from typing import Any

from django.http import HttpRequest

from polyvox.core.sections import PageSection
from polyvox.drafts.permissions import can_publish_versions
from polyvox.drafts.selectors import drafts_for
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE


def process_drafts_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: the drafts the viewer may see, with their versions and diffs."""
    return {
        "process": process,
        "drafts": drafts_for(viewer=request.user, process=process),
        "may_publish": can_publish_versions(request.user, process),
    }


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("drafts", 10, "drafts/_process_drafts.html", process_drafts_section)
    )
