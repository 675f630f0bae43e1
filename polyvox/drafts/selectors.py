"""Reads about drafts: published versions with their sections, and the changes between versions.

Published versions are public (like the process itself); drafts without a version yet are shown
to the secretariat only.
"""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor
from polyvox.drafts.diff import SectionDiff, diff_sections
from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat


def drafts_for(*, viewer: Actor | None, process: Process) -> QuerySet[Draft]:
    """Drafts of `process` that `viewer` may see, each with its versions (oldest first)."""
    drafts = Draft.objects.filter(process=process).prefetch_related(
        Prefetch(
            "versions",
            queryset=DraftVersion.objects.annotate(section_count=Count("sections")).order_by(
                "number"
            ),
        )
    )
    if not is_secretariat(viewer, process):
        drafts = drafts.filter(versions__isnull=False).distinct()
    return drafts.order_by("created_at", "id")


def access_draft(*, viewer: Actor | None, process: Process, draft_slug: str) -> Draft:
    """The draft, or 404 when it does not exist or is not visible to `viewer`."""
    draft = drafts_for(viewer=viewer, process=process).filter(slug=draft_slug).first()
    if draft is None:
        raise Http404(_("No such draft."))
    return draft


def draft_version_with_sections(
    *, viewer: Actor | None, process: Process, draft_slug: str, number: int
) -> DraftVersion:
    """One published version with its sections prefetched in order; 404 when missing."""
    version = (
        DraftVersion.objects.filter(draft__process=process, draft__slug=draft_slug, number=number)
        .select_related("draft__process")
        .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order")))
        .first()
    )
    if version is None:
        raise Http404(_("No such draft version."))
    return version


def latest_version(draft: Draft) -> DraftVersion | None:
    return draft.versions.order_by("-number").first()


def current_version(process: Process) -> DraftVersion | None:
    """The version most recently published in `process`: the text under consultation now.

    Inputs that name no draft (general submissions, API and bulk intake) are answered in that
    version's feedback report."""
    return (
        DraftVersion.objects.filter(draft__process=process).order_by("-published_at", "-pk").first()
    )


def published_versions(process: Process) -> list[DraftVersion]:
    """Every published version of every draft in `process`, draft by draft, oldest first."""
    return list(
        DraftVersion.objects.filter(draft__process=process)
        .select_related("draft")
        .order_by("draft__created_at", "number")
    )


def changes_between(older: DraftVersion, newer: DraftVersion) -> list[SectionDiff]:
    """Section-level diff from `older` to `newer` (any two versions of one draft)."""
    return diff_sections(_sections(older), _sections(newer))


def sections_changed_between(older: DraftVersion, newer: DraftVersion) -> list[Section]:
    """Sections of `newer` that were added or changed since `older`, in order.

    For the contributions app: the sections a disposition can link to as the change it caused."""
    changed = {
        entry.anchor
        for entry in changes_between(older, newer)
        if entry.status in ("added", "changed")
    }
    return [section for section in _sections(newer) if section.anchor in changed]


def _sections(version: DraftVersion) -> list[Section]:
    return sorted(version.sections.all(), key=lambda section: section.order)
