"""Reads about drafts: published versions with their sections, and the changes between versions.

Published versions are public (like the process itself), and so are their language versions and
the parity check (how far each language keeps up with the original). A version saved but not yet published
(pending, perhaps scheduled), and a draft without a published version, are shown only to those
who may publish versions (`can_publish_versions`); everyone else gets a 404.
"""

from collections.abc import Sequence
from itertools import pairwise

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor
from polyvox.drafts.diff import SectionDiff, diff_sections, word_diff
from polyvox.drafts.models import (
    Draft,
    DraftVersion,
    Section,
    TranslatedSection,
    VersionTranslation,
)
from polyvox.drafts.parity import LanguageParity, language_parity
from polyvox.drafts.permissions import can_publish_versions
from polyvox.processes.models import Process


def drafts_for(*, viewer: Actor | None, process: Process) -> QuerySet[Draft]:
    """Drafts of `process` that `viewer` may see, each with its published versions (oldest first).

    For those who publish, each draft also carries `pending_versions` (its unpublished one)."""
    counted = DraftVersion.objects.annotate(section_count=Count("sections"))
    drafts = Draft.objects.filter(process=process).prefetch_related(
        Prefetch("versions", queryset=counted.published().order_by("number"))
    )
    if can_publish_versions(viewer, process):
        pending = counted.pending()
        drafts = drafts.prefetch_related(
            Prefetch("versions", queryset=pending, to_attr="pending_versions")
        )
    else:
        drafts = drafts.filter(versions__in=DraftVersion.objects.published()).distinct()
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
    """One version with its sections prefetched in order; 404 when missing or not visible.

    Unpublished versions are found only for those who may publish (for the preview)."""
    versions = DraftVersion.objects.filter(
        draft__process=process, draft__slug=draft_slug, number=number
    )
    if not can_publish_versions(viewer, process):
        versions = versions.published()
    version = (
        versions.select_related("draft__process")
        .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order")))
        .first()
    )
    if version is None:
        raise Http404(_("No such draft version."))
    return version


def latest_version(draft: Draft) -> DraftVersion | None:
    """The draft's newest published version: the text under consultation."""
    return DraftVersion.objects.published().filter(draft=draft).order_by("-number").first()


def pending_version(*, viewer: Actor | None, draft: Draft) -> DraftVersion | None:
    """The draft's saved, unpublished version (at most one), for those who may publish it."""
    if not can_publish_versions(viewer, draft.process):
        return None
    return DraftVersion.objects.pending().filter(draft=draft).first()


def versions_of(draft: Draft) -> list[DraftVersion]:
    """The draft's published versions, oldest first (for version navigation)."""
    return list(DraftVersion.objects.published().filter(draft=draft).order_by("number"))


def current_version(process: Process) -> DraftVersion | None:
    """The version most recently published in `process`: the text under consultation now.

    Inputs that name no draft (general submissions, API and bulk intake) are answered in that
    version's feedback report."""
    return (
        DraftVersion.objects.published()
        .filter(draft__process=process)
        .order_by("-published_at", "-pk")
        .first()
    )


def published_versions(process: Process) -> list[DraftVersion]:
    """Every published version of every draft in `process`, draft by draft, oldest first."""
    return list(
        DraftVersion.objects.published()
        .filter(draft__process=process)
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


def changed_sections_since(version: DraftVersion) -> list[Section]:
    """Sections that later published versions of the draft added or changed, version by version.

    Each later version is compared with the one before it (from `version` on), so a change is
    offered in the version that made it; newest version first, then in text order. Two queries
    however many versions: the versions, then all their sections."""
    versions = list(
        DraftVersion.objects.published()
        .filter(draft_id=version.draft_id, number__gte=version.number)
        .select_related("draft__process")
        .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order")))
        .order_by("number")
    )
    changed: list[Section] = []
    for older, newer in pairwise(versions):
        changed[:0] = sections_changed_between(older, newer)
    return changed


def _sections(version: DraftVersion) -> list[Section]:
    return sorted(version.sections.all(), key=lambda section: section.order)


# Language versions -------------------------------------------------------------------------------


def original_language(draft: Draft) -> str:
    """The language the draft is written in: its own, else the process's first, else the site's."""
    if draft.language:
        return draft.language
    languages = draft.process.languages or []
    return str(languages[0]) if languages else settings.LANGUAGE_CODE


def translation_languages(draft: Draft) -> list[str]:
    """Languages a version of `draft` may be translated into: the UN six but the original's."""
    source = original_language(draft)
    return [code for code, _label in settings.LANGUAGES if code != source]


def expected_languages(draft: Draft) -> list[str]:
    """The process's declared languages but the original's: the parity check always lists them,
    translated or not."""
    source = original_language(draft)
    allowed = set(translation_languages(draft))
    return [
        str(code) for code in draft.process.languages or [] if code != source and code in allowed
    ]


def current_translations(version: DraftVersion) -> dict[str, VersionTranslation]:
    """Language → the translation a reader of `version` gets: the newest one published for this
    version or, failing that, for the latest earlier version (its sections prefetched in order).

    Two queries whatever the number of languages and corrections: the ids, then the rows."""
    rows = (
        VersionTranslation.objects.filter(
            version__draft_id=version.draft_id, version__number__lte=version.number
        )
        .order_by("language", "-version__number", "-published_at", "-pk")
        .values_list("pk", "language")
    )
    newest: dict[str, int] = {}
    for pk, language in rows:
        newest.setdefault(language, pk)
    translations = (
        VersionTranslation.objects.filter(pk__in=newest.values())
        .select_related("version")
        .prefetch_related(
            Prefetch("sections", queryset=TranslatedSection.objects.order_by("order"))
        )
    )
    return {translation.language: translation for translation in translations}


def draft_parity(
    version: DraftVersion,
    *,
    sections: Sequence[Section] | None = None,
    translations: dict[str, VersionTranslation] | None = None,
) -> list[LanguageParity]:
    """The parity check of every language against `version` (`drafts.parity`): the process's
    languages first, in its order, then any other language someone translated into.

    `sections` (the version's, in order) and `translations` may be passed when already read."""
    original = list(sections) if sections is not None else _sections(version)
    found = translations if translations is not None else current_translations(version)
    expected = expected_languages(version.draft)
    source = original_language(version.draft)
    others = sorted(code for code in found if code not in expected and code != source)
    result = []
    for language in [*expected, *others]:
        translation = found.get(language)
        translated = {s.anchor: s for s in translation.sections.all()} if translation else {}
        result.append(
            language_parity(
                language=language,
                version=version.number,
                original=original,
                translated=translated,
                translated_version=translation.version.number if translation else None,
                published_at=translation.published_at if translation else None,
            )
        )
    return result


def translation_history(draft: Draft, language: str) -> QuerySet[VersionTranslation]:
    """Every publication of a language version of `draft`, newest first (corrections included)."""
    return (
        VersionTranslation.objects.filter(version__draft=draft, language=language)
        .select_related("version")
        .order_by("-published_at", "-pk")
    )


def parity_for(
    version: DraftVersion,
    language: str,
    *,
    sections: Sequence[Section],
    translation: VersionTranslation | None,
) -> LanguageParity:
    """The parity of one language against `version`, from what the caller has already read."""
    translated = {s.anchor: s for s in translation.sections.all()} if translation else {}
    return language_parity(
        language=language,
        version=version.number,
        original=sections,
        translated=translated,
        translated_version=translation.version.number if translation else None,
        published_at=translation.published_at if translation else None,
    )


def original_changes(
    version: DraftVersion, parity: LanguageParity
) -> dict[str, list[tuple[str, str]]]:
    """Anchor → how each stale section's original changed since the text its translation was made
    from (word-level runs, `drafts.diff.word_diff`), for the translator. One query."""
    stale = {s.anchor: s for s in parity.sections if s.status == "stale" and s.source_number}
    if not stale:
        return {}
    older = Section.objects.filter(
        version__draft_id=version.draft_id,
        version__number__in={s.source_number for s in stale.values()},
        anchor__in=stale.keys(),
    ).values_list("version__number", "anchor", "level", "heading", "text")
    changes: dict[str, list[tuple[str, str]]] = {}
    for number, anchor, level, heading, text in older:
        section = stale[anchor]
        if number == section.source_number:
            changes[anchor] = list(word_diff(heading if level else text, section.original))
    return changes
