"""The parity check: how far a language version keeps up with the original version (pure).

Sections are matched by anchor (``anchors.py``). Against one original version, each of its
sections is, in a given language:

* ``current``: translated from the text the original section has now;
* ``stale``: translated, but from an older text of the section (the original changed since:
  its SHA-256, as in ``hashing.py``, differs from the one the translation was made from);
* ``missing``: not translated at all.

A language is complete when every section is current. Sections the translation still has but the
original no longer has are left out: nobody reads them against this version.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from polyvox.drafts.anchors import SectionLike
from polyvox.drafts.hashing import section_content, text_sha256

Status = Literal["current", "stale", "missing"]
STATUSES: tuple[Status, ...] = ("current", "stale", "missing")


class TranslatedLike(SectionLike, Protocol):
    """A translated section: a ``drafts.TranslatedSection`` row or anything shaped like it."""

    @property
    def source_number(self) -> int: ...
    @property
    def source_sha256(self) -> str: ...


@dataclass(frozen=True)
class SectionParity:
    """One section of the original and, where there is one, its translation."""

    anchor: str
    level: int
    status: Status
    original: str  # the original section's content (heading words, or block Markdown)
    translated: str = ""  # the translation's content, "" when missing
    source_number: int | None = None  # the original version the translation was made from

    @property
    def is_heading(self) -> bool:
        return self.level > 0


@dataclass(frozen=True)
class LanguageParity:
    """Where a language stands against one original version."""

    language: str
    version: int  # the original version checked against
    translated_version: int | None  # the version the language's translation was published for
    published_at: datetime | None
    sections: tuple[SectionParity, ...]

    def count(self, status: Status) -> int:
        return sum(1 for section in self.sections if section.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    @property
    def complete(self) -> bool:
        return all(section.status == "current" for section in self.sections)

    @property
    def stale(self) -> list[str]:
        return [s.anchor for s in self.sections if s.status == "stale"]

    @property
    def missing(self) -> list[str]:
        return [s.anchor for s in self.sections if s.status == "missing"]


def section_status(original: SectionLike, translated: TranslatedLike | None) -> Status:
    """``missing`` without a translation; ``stale`` when it was made from another text."""
    if translated is None or not section_content(translated).strip():
        return "missing"
    if translated.source_sha256 != text_sha256(section_content(original)):
        return "stale"
    return "current"


def language_parity(
    *,
    language: str,
    version: int,
    original: Sequence[SectionLike],
    translated: Mapping[str, TranslatedLike],
    translated_version: int | None = None,
    published_at: datetime | None = None,
) -> LanguageParity:
    """The parity of one language: `translated` maps anchors to translated sections."""
    sections = []
    for section in original:
        found = translated.get(section.anchor)
        status = section_status(section, found)
        sections.append(
            SectionParity(
                anchor=section.anchor,
                level=section.level,
                status=status,
                original=section_content(section),
                translated=section_content(found) if found and status != "missing" else "",
                source_number=found.source_number if found and status != "missing" else None,
            )
        )
    return LanguageParity(language, version, translated_version, published_at, tuple(sections))


def translation_markdown(sections: Sequence[SectionLike]) -> str:
    """The Markdown of a translation assembled from its sections: ``#`` headings, blocks as typed."""
    parts = [
        f"{'#' * section.level} {section.heading}" if section.level > 0 else section.text
        for section in sections
    ]
    return "\n\n".join(parts) + "\n"
