"""What indicators adds to the pages of apps below it, registered in `ready()`: on the process
page, the links to the indicators and to the process-quality report.

The section stays cheap (no figures are computed for the process page): the figures are
computed when their own page is opened."""

from typing import Any

from django.http import HttpRequest

from polyvox.core.sections import PageSection
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE


def process_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    return {"process": process}


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("indicators", 85, "indicators/_process_section.html", process_section)
    )
