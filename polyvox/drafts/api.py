"""JSON API for drafts: published drafts and versions with their sections, their language versions
and the parity check (public data only); translators publish a language version."""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.drafts.models import Draft, DraftVersion, VersionTranslation
from polyvox.drafts.parity import LanguageParity
from polyvox.drafts.selectors import (
    access_draft,
    current_translations,
    draft_parity,
    draft_version_with_sections,
    drafts_for,
    latest_version,
    original_language,
    parity_for,
)
from polyvox.drafts.translating import publish_translation
from polyvox.participants.http import signed_in_user
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


# Language versions and the parity check ----------------------------------------------------------


class LanguageParityOut(Schema):
    language: str
    translated_version: int | None = Field(
        description="The original version the language's translation was published for; "
        "null when there is none"
    )
    published_at: datetime | None
    complete: bool = Field(description="Every section translated from its current text")
    current: int
    stale: int = Field(description="Sections translated from an older text of the original")
    missing: int
    stale_sections: list[str]
    missing_sections: list[str]
    url: str | None


class ParityOut(Schema):
    draft: str
    version: int
    original_language: str
    languages: list[LanguageParityOut]


class TranslatedSectionOut(Schema):
    anchor: str
    order: int
    level: int
    status: str = Field(description="current, stale (the original changed since) or missing")
    heading: str
    text: str
    source_version: int | None = Field(
        description="The version of the original the translation was made from"
    )


class TranslationOut(Schema):
    draft: str
    version: int
    language: str
    title: str
    translated_version: int
    published_at: datetime
    note: str
    url: str
    sections: list[TranslatedSectionOut]


class TranslationIn(Schema):
    sections: dict[str, str] = Field(
        description="Anchor of each section of the latest version → its translation (Markdown; "
        "headings one line); anchors left out stay untranslated"
    )
    confirmed: list[str] = Field(
        default=[],
        description="Stale sections whose translation, unchanged, still matches the original",
    )
    title: str = ""
    note: str = ""


def _language_out(version: DraftVersion, parity: LanguageParity) -> LanguageParityOut:
    counts = parity.counts
    return LanguageParityOut(
        language=parity.language,
        translated_version=parity.translated_version,
        published_at=parity.published_at,
        complete=parity.complete,
        current=counts["current"],
        stale=counts["stale"],
        missing=counts["missing"],
        stale_sections=parity.stale,
        missing_sections=parity.missing,
        url=f"{version.get_absolute_url()}?lang={parity.language}"
        if parity.translated_version
        else None,
    )


def _parity_out(version: DraftVersion) -> ParityOut:
    _published_at(version)
    return ParityOut(
        draft=version.draft.slug,
        version=version.number,
        original_language=original_language(version.draft),
        languages=[_language_out(version, parity) for parity in draft_parity(version)],
    )


def _translation_out(version: DraftVersion, translation: VersionTranslation) -> TranslationOut:
    sections = list(version.sections.all())
    parity = parity_for(version, translation.language, sections=sections, translation=translation)
    rows = [
        TranslatedSectionOut(
            anchor=entry.anchor,
            order=section.order,
            level=entry.level,
            status=entry.status,
            heading=entry.translated if entry.is_heading else "",
            text="" if entry.is_heading else entry.translated,
            source_version=entry.source_number,
        )
        for section, entry in zip(sections, parity.sections, strict=True)
    ]
    return TranslationOut(
        draft=version.draft.slug,
        version=version.number,
        language=translation.language,
        title=translation.title,
        translated_version=translation.version.number,
        published_at=translation.published_at,
        note=translation.note,
        url=f"{version.get_absolute_url()}?lang={translation.language}",
        sections=rows,
    )


@router.get(
    "/processes/{slug}/drafts/{draft}/parity",
    response=ParityOut,
    summary="The parity check of every language against the draft's latest published version: "
    "sections up to date, stale (the original changed since) or missing",
)
def read_parity(request: HttpRequest, slug: str, draft: str) -> ParityOut:
    process = access_process(viewer=request.user, slug=slug)
    found = access_draft(viewer=request.user, process=process, draft_slug=draft)
    latest = latest_version(found)
    if latest is None:
        raise Http404(_("No version of this draft is published yet."))
    return _parity_out(latest)


@router.get(
    "/processes/{slug}/drafts/{draft}/versions/{number}/parity",
    response=ParityOut,
    summary="The parity check of every language against one published version of a draft",
)
def read_version_parity(request: HttpRequest, slug: str, draft: str, number: int) -> ParityOut:
    process = access_process(viewer=request.user, slug=slug)
    version = draft_version_with_sections(
        viewer=request.user, process=process, draft_slug=draft, number=number
    )
    return _parity_out(version)


@router.get(
    "/processes/{slug}/drafts/{draft}/versions/{number}/translations/{language}",
    response=TranslationOut,
    summary="Read a version in another language: each section of the original with its "
    "translation and status (the newest translation made for this version or an earlier one)",
)
def read_translation(
    request: HttpRequest, slug: str, draft: str, number: int, language: str
) -> TranslationOut:
    process = access_process(viewer=request.user, slug=slug)
    version = draft_version_with_sections(
        viewer=request.user, process=process, draft_slug=draft, number=number
    )
    _published_at(version)
    translation = current_translations(version).get(language)
    if translation is None:
        raise Http404(_("This version has no translation in this language."))
    return _translation_out(version, translation)


@router.post(
    "/processes/{slug}/drafts/{draft}/translations/{language}",
    response={201: TranslationOut},
    auth=api_auth,
    summary="Publish the draft's latest version in a language (translators and the secretariat; "
    "same rules as the web form)",
)
def create_translation(
    request: HttpRequest, slug: str, draft: str, language: str, data: TranslationIn
) -> Status[TranslationOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = access_draft(viewer=actor, process=process, draft_slug=draft)
    latest = latest_version(found)
    if latest is None:
        raise Http404(_("No version of this draft is published yet."))
    version = draft_version_with_sections(
        viewer=actor, process=process, draft_slug=draft, number=latest.number
    )
    translation = publish_translation(
        actor=actor,
        version=version,
        language=language,
        sections=data.sections,
        confirmed=data.confirmed,
        title=data.title,
        note=data.note,
    )
    return Status(201, _translation_out(version, translation))
