"""Writes for language versions of drafts: a translator publishes a version in another language.

A translation is given section by section, under the original's anchors, for the draft's latest
published version. Each publication is a new `VersionTranslation` (corrections keep what they
correct) and goes on the record as "translation.published" with the SHA-256 of its text and of
each section, like the original (docs/record.md); the translator's name does not.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace, refuse_unstorable
from polyvox.drafts.hashing import section_content, section_digests, text_sha256
from polyvox.drafts.models import DraftVersion, Section, TranslatedSection, VersionTranslation
from polyvox.drafts.parity import translation_markdown
from polyvox.drafts.selectors import (
    current_translations,
    latest_version,
    original_language,
    translation_languages,
)
from polyvox.participants.models import User
from polyvox.processes.permissions import can_publish_translations
from polyvox.record.services import append_entry

# As for the original (drafts.services): about 60 pages of text, headings of one line.
MAX_MARKDOWN_CHARS = 200_000
MAX_HEADING_CHARS = 300
MAX_NOTE_CHARS = 2_000
MAX_TITLE_CHARS = 200


@transaction.atomic
def publish_translation(
    *,
    actor: User,
    version: DraftVersion,
    language: str,
    sections: Mapping[str, str],
    confirmed: Iterable[str] = (),
    title: str = "",
    note: str = "",
) -> VersionTranslation:
    """Publish `version` in `language`: `sections` maps the original's anchors to their
    translation (a blank or absent anchor is left untranslated: "missing" in the parity check);
    `title` is the draft's title in `language` (blank: readers see the original title).

    A section whose text is the same as in the language's previous translation keeps the
    original text it was made from, so a section the original changed stays "stale" until the
    translator changes it or lists its anchor in `confirmed` ("still matches the original")."""
    process = version.draft.process
    require(
        can_publish_translations(actor, process),
        _("Only translators and the secretariat publish language versions."),
    )
    language = (language or "").strip().lower()
    if language == original_language(version.draft):
        raise ValidationError(
            {"language": _("This is the language of the original text; translate into another.")}
        )
    if language not in translation_languages(version.draft):
        raise ValidationError({"language": _("Choose one of the platform's languages.")})
    latest = latest_version(version.draft)
    if version.published_at is None or latest is None or latest.pk != version.pk:
        raise ValidationError(
            {"version": _("Only the latest published version of a draft can be translated.")}
        )
    original = list(Section.objects.filter(version=version).order_by("order"))
    unknown = sorted(set(sections) - {section.anchor for section in original})
    if unknown:
        raise ValidationError(
            {"sections": _("The original has no section %(anchors)s.")
             % {"anchors": ", ".join(unknown[:5])}}
        )  # fmt: skip
    title, note = " ".join(title.split()), normalize_whitespace(note)
    refuse_unstorable(title, "title")
    refuse_unstorable(note, "note")
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError({"title": _("The title is too long.")})
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": _("The note is too long.")})
    previous = current_translations(version).get(language)
    before = {s.anchor: s for s in previous.sections.all()} if previous else {}
    rows = _translated_sections(original, sections, before, set(confirmed), version.number)
    if not rows:
        raise ValidationError({"sections": _("Translate at least one section.")})
    markdown = translation_markdown(rows)
    if len(markdown) > MAX_MARKDOWN_CHARS:
        raise ValidationError(
            {"sections": _("The translation is too long (at most %(max)d characters).")
             % {"max": MAX_MARKDOWN_CHARS}}
        )  # fmt: skip
    unchanged = previous is not None and previous.title == title and _same(previous, rows)
    if unchanged and previous is not None and previous.version_id == version.pk:
        raise ValidationError({"sections": _("Nothing changed since the last publication.")})
    translation = VersionTranslation.objects.create(
        version=version,
        language=language,
        title=title,
        source_markdown=markdown,
        note=note,
        translated_by=actor,
        published_at=timezone.now(),
    )
    for row in rows:
        row.translation = translation
    TranslatedSection.objects.bulk_create(rows)
    source_hashes = {s.anchor: text_sha256(section_content(s)) for s in original}
    append_entry(
        process=process,
        kind="translation.published",
        payload={
            "draft": version.draft.slug,
            "version": version.number,
            "language": language,
            "title": title,
            "sections": len(rows),
            "of": len(original),
            "stale": sum(1 for r in rows if r.source_sha256 != source_hashes[r.anchor]),
            "note": note,
            "sha256": text_sha256(markdown),
            "section_hashes": list(section_digests(rows)),
        },
    )
    return translation


def _translated_sections(
    original: list[Section],
    given: Mapping[str, str],
    before: Mapping[str, TranslatedSection],
    confirmed: set[str],
    number: int,
) -> list[TranslatedSection]:
    """The rows of the new translation, in the original's order, each with the original text it
    was made from (see `publish_translation`)."""
    rows: list[TranslatedSection] = []
    for section in original:
        raw = given.get(section.anchor, "")
        if not isinstance(raw, str):
            raise ValidationError({"sections": _("Each section's translation must be text.")})
        content = _clean(raw, section)
        if not content:
            continue
        earlier = before.get(section.anchor)
        if (
            earlier is not None
            and section_content(earlier) == content
            and (section.anchor not in confirmed)
        ):
            source_number, source_sha256 = earlier.source_number, earlier.source_sha256
        else:
            source_number, source_sha256 = number, text_sha256(section_content(section))
        rows.append(
            TranslatedSection(
                anchor=section.anchor,
                order=section.order,
                level=section.level,
                heading=content if section.is_heading else "",
                text="" if section.is_heading else content,
                source_number=source_number,
                source_sha256=source_sha256,
            )
        )
    return rows


def _clean(raw: str, section: Section) -> str:
    """A heading is one line of at most 300 characters; a block keeps its Markdown."""
    refuse_unstorable(raw, "sections")
    if section.is_heading:
        heading = " ".join(raw.split())
        if len(heading) > MAX_HEADING_CHARS:
            raise ValidationError(
                {"sections": _("The heading of §%(anchor)s is longer than %(max)d characters.")
                 % {"anchor": section.anchor, "max": MAX_HEADING_CHARS}}
            )  # fmt: skip
        return heading
    return normalize_whitespace(raw)


def _same(previous: VersionTranslation, rows: list[TranslatedSection]) -> bool:
    def key(s: TranslatedSection) -> tuple[str, str, str]:
        return (s.anchor, section_content(s), s.source_sha256)

    return [key(s) for s in previous.sections.all()] == [key(s) for s in rows]
