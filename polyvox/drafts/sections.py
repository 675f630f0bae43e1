"""What drafts adds to the pages of apps below it (the process page, the record page's names of
events), registered in `ready()`."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from polyvox.core.sections import PageSection
from polyvox.drafts.permissions import can_publish_versions
from polyvox.drafts.selectors import drafts_for
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.record.event_names import EventKind, register_event_kind


def process_drafts_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: the drafts the viewer may see, with their versions and diffs."""
    return {
        "process": process,
        "drafts": drafts_for(viewer=request.user, process=process),
        "may_publish": can_publish_versions(request.user, process),
    }


def translated_version_link(payload: Mapping[str, Any]) -> tuple[str, dict[str, Any], str] | None:
    """The record page links a "translation.published" entry to the version it translates."""
    if not payload.get("draft") or not payload.get("version"):
        return None
    return "drafts:version", {"draft": payload["draft"], "number": payload["version"]}, ""


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("drafts", 10, "drafts/_process_drafts.html", process_drafts_section)
    )
    register_event_kind(
        "translation.published",
        EventKind(
            _("Draft version %(version)s published in %(language)s"),
            translated_version_link,
            (("version", "version"), ("language", "language")),
        ),
    )
