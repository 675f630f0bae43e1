"""What contributions adds to the pages of apps below it, registered in `ready()`."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.contributions.permissions import can_see_workbench
from polyvox.contributions.selectors.closing import final_versions
from polyvox.contributions.selectors.earlier_threads import earlier_threads_by_anchor
from polyvox.contributions.selectors.on_behalf import public_inputs_on_behalf
from polyvox.contributions.selectors.threads import threads_by_section
from polyvox.core.sections import PageSection
from polyvox.drafts.models import DraftVersion, Section
from polyvox.drafts.pages import SECTION_PANELS, VERSION_PAGE, SectionPanel
from polyvox.drafts.selectors import published_versions
from polyvox.organisations.models import Organisation
from polyvox.organisations.pages import ORGANISATION_PAGE
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.processes.participation import register_participant_source
from polyvox.processes.permissions import can_close_process, participation_window
from polyvox.processes.phase_types import Action


def contributors(process: Process) -> QuerySet[Contribution, Any]:
    """Ids of everyone who contributed to `process`: they take part in it."""
    return Contribution.objects.filter(process=process).values("author_id")


def process_contributions_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: the comments one may post now, every input, the feedback reports."""
    now = timezone.now()
    return {
        "process": process,
        "general": participation_window(request.user, process, Action.GENERAL_COMMENT, now),
        "omission": participation_window(request.user, process, Action.OMISSION, now),
        "versions": published_versions(process),
        "can_see_workbench": can_see_workbench(request.user, process),
    }


def version_feedback_section(
    *, request: HttpRequest, process: Process, version: DraftVersion
) -> dict[str, Any]:
    """On a version's page: the link to how each input on it was considered."""
    return {"process": process, "version": version}


def section_threads_panel(
    *, request: HttpRequest, process: Process, version: DraftVersion
) -> Callable[[Section], dict[str, Any]]:
    """In each section of a version's page: its public threads, those left on the same anchor in
    earlier versions (marked with their version), and the form to comment on it.

    The threads of the whole version, the earlier ones, and whether the viewer may comment, are
    read once per page and handed out section by section."""
    threads = threads_by_section(viewer=request.user, version=version)
    earlier = earlier_threads_by_anchor(viewer=request.user, version=version)
    window = participation_window(request.user, process, Action.COMMENT, timezone.now())
    return lambda section: {
        "section": section,
        "process": process,
        "version": version,
        "threads": threads.get(section.pk, []),
        "earlier": earlier.get(section.anchor, []),
        "window": window,
    }


def process_closing_section(*, request: HttpRequest, process: Process) -> dict[str, Any] | None:
    """On the process page: when it closed, why, and the final feedback reports; before that,
    the way to the closing page for those who may close it."""
    closed = process.closed_at is not None
    can_close = not closed and can_close_process(request.user, process)
    if not closed and not can_close:
        return None
    return {
        "process": process,
        "closed": closed,
        "can_close": can_close,
        "final_reports": final_versions(process) if closed else [],
    }


def organisation_inputs_section(
    *, request: HttpRequest, organisation: Organisation
) -> dict[str, Any]:
    """On an organisation's page: the latest public inputs made on its behalf (and on behalf of
    duplicates merged into it), how many there are, and each process's list of them."""
    return {
        "organisation": organisation,
        "inputs": public_inputs_on_behalf(viewer=request.user, organisation=organisation),
    }


def register() -> None:
    register_participant_source("contributors", contributors)
    PROCESS_PAGE.register(
        PageSection(
            "contributions", 20, "contributions/_process_links.html", process_contributions_section
        )
    )
    PROCESS_PAGE.register(
        PageSection("closing", 5, "contributions/_process_closing.html", process_closing_section)
    )
    VERSION_PAGE.register(
        PageSection("feedback", 10, "contributions/_version_links.html", version_feedback_section)
    )
    ORGANISATION_PAGE.register(
        PageSection(
            "contributions",
            10,
            "contributions/_organisation_inputs.html",
            organisation_inputs_section,
        )
    )
    SECTION_PANELS.register(
        SectionPanel(
            "contributions", 10, "contributions/_section_contributions.html", section_threads_panel
        )
    )
