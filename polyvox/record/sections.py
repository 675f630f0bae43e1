"""What the record adds to the pages of apps below it (the process page), registered in `ready()`."""

from typing import Any

from django.http import HttpRequest

from polyvox.core.sections import PageSection
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE


def process_record_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: the link to the process's public record (its signed log)."""
    return {"process": process}


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("record", 90, "record/_process_record.html", process_record_section)
    )
