"""What indicators adds to the pages of apps below it, registered in `ready()`: on the process
page, the links to the indicators and to the process-quality report.

The section stays cheap (no figures are computed for the process page): the figures are
computed when their own page is opened."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from polyvox.core.sections import PageSection
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.record.event_names import EventKind, register_event_kind


def _report(payload: Mapping[str, Any]) -> tuple[str, dict[str, Any], str]:
    """The record entry `indicators.final` links to the final process-quality report."""
    return "indicators:report", {}, ""


def process_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    return {"process": process}


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("indicators", 85, "indicators/_process_section.html", process_section)
    )
    register_event_kind(
        "indicators.final",
        EventKind(_("Final indicators and process-quality report published"), _report),
    )
