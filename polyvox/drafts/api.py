"""JSON API for drafts: published drafts and versions with their sections (public data only)."""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.drafts.models import Draft, DraftVersion
from polyvox.drafts.selectors import draft_version_with_sections, drafts_for
from polyvox.processes.selectors import access_process

router = Router()


class VersionSummaryOut(Schema):
    number: int
    published_at: datetime
    note: str
    section_count: int
    url: str


class DraftOut(Schema):
    slug: str
    title: str
    versions: list[VersionSummaryOut]


class SectionOut(Schema):
    anchor: str
    order: int
    level: int
    heading: str
    text: str


class VersionOut(Schema):
    draft: str
    title: str
    number: int
    published_at: datetime
    note: str
    url: str
    sections: list[SectionOut]


def _published_at(version: DraftVersion) -> datetime:
    """The API shows published versions only; a pending one is "not found", as for the public."""
    if version.published_at is None:
        raise Http404(_("No such draft version."))
    return version.published_at


def _summary(version: DraftVersion) -> VersionSummaryOut:
    return VersionSummaryOut(
        number=version.number,
        published_at=_published_at(version),
        note=version.note,
        section_count=getattr(version, "section_count", None) or version.sections.count(),
        url=version.get_absolute_url(),
    )


def _draft_out(draft: Draft) -> DraftOut:
    versions = [_summary(version) for version in draft.versions.all()]
    return DraftOut(slug=draft.slug, title=draft.title, versions=versions)


@router.get(
    "/processes/{slug}/drafts",
    response=list[DraftOut],
    openapi_extra=PAGED,
    summary="List the drafts of a process with their published versions, a page at a time "
    "(Link rel=next, X-Total-Count)",
)
def list_drafts(
    request: HttpRequest, response: HttpResponse, slug: str, paging: Query[PageIn]
) -> list[DraftOut]:
    process = access_process(viewer=request.user, slug=slug)
    drafts = drafts_for(viewer=request.user, process=process)
    return [_draft_out(draft) for draft in page_of(request, response, drafts, paging)]


@router.get(
    "/processes/{slug}/drafts/{draft}/versions/{number}",
    response=VersionOut,
    summary="Read one version of a draft with its sections and their stable anchors",
)
def read_version(request: HttpRequest, slug: str, draft: str, number: int) -> VersionOut:
    process = access_process(viewer=request.user, slug=slug)
    version = draft_version_with_sections(
        viewer=request.user, process=process, draft_slug=draft, number=number
    )
    published_at = _published_at(version)
    sections = [
        SectionOut(anchor=s.anchor, order=s.order, level=s.level, heading=s.heading, text=s.text)
        for s in version.sections.all()
    ]
    return VersionOut(
        draft=version.draft.slug,
        title=version.draft.title,
        number=version.number,
        published_at=published_at,
        note=version.note,
        url=version.get_absolute_url(),
        sections=sections,
    )
