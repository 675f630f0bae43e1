"""Template tags that let other apps' pages show contributions without knowing how they are read."""

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils import timezone

from polyvox.contributions.models import Outcome
from polyvox.contributions.permissions import ACTION_FOR_KIND, can_contribute
from polyvox.contributions.selectors.threads import (
    ThreadNode,
    contributions_for_section,
    threads_by_section,
)
from polyvox.drafts.models import DraftVersion, Section
from polyvox.participants.models import StakeholderGroup
from polyvox.processes.models import Process
from polyvox.processes.permissions import Window

register = template.Library()


@register.simple_tag(takes_context=True)
def section_threads(context: dict[str, Any], section: Section) -> list[ThreadNode]:
    """The public threads on `section`, for the viewer in the template context.

    A version page shows every section: the threads of the whole version are read once per
    request and handed out section by section."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if request is None:
        return contributions_for_section(viewer=viewer, section=section)
    memo: dict[int, dict[int, list[ThreadNode]]] = request.__dict__.setdefault(
        "_section_threads", {}
    )
    if section.version_id not in memo:
        memo[section.version_id] = threads_by_section(viewer=viewer, version=section.version)
    return memo[section.version_id].get(section.pk, [])


@register.simple_tag(takes_context=True)
def contribution_window(context: dict[str, Any], process: Process, kind: str) -> Window:
    """Whether the viewer may post this kind of contribution now, and why not."""
    request = context.get("request")
    return can_contribute(
        getattr(request, "user", None), process, ACTION_FOR_KIND[kind], timezone.now()
    )


@register.simple_tag
def process_versions(process: Process) -> list[DraftVersion]:
    """Every published version of every draft in the process (for feedback report links)."""
    return list(
        DraftVersion.objects.filter(draft__process=process)
        .select_related("draft")
        .order_by("draft__created_at", "number")
    )


@register.filter
def stakeholder_group_label(value: str) -> str:
    """The translated label of a stored stakeholder group value."""
    return str(dict(StakeholderGroup.choices).get(value, value))


@register.filter
def outcome_label(value: str) -> str:
    return str(dict(Outcome.choices).get(value, value))


@register.simple_tag
def section_url(section: Section) -> str:
    """Link to a section on its version page, or "" while the drafts pages are not mounted."""
    try:
        return section.get_absolute_url()
    except NoReverseMatch:
        return ""
