"""SHA-256 digests of a version's text, put on the record so anyone can prove what was published.

Each digest is the lowercase hex SHA-256 of the UTF-8 bytes of the text exactly as stored: the
version's `source_markdown`, and each section's content (its heading for a heading, its text for a
paragraph or list). docs/record.md says how to check them.
"""

import hashlib
from collections.abc import Iterable
from typing import TypedDict

from polyvox.drafts.anchors import SectionLike


class SectionDigest(TypedDict):
    anchor: str
    sha256: str


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def section_content(section: SectionLike) -> str:
    """What a reader sees of a section: a heading's words, or a block's text."""
    return section.heading if section.level > 0 else section.text


def section_digests(sections: Iterable[SectionLike]) -> list[SectionDigest]:
    """One `{anchor, sha256}` per section, in the order given (the version's order)."""
    return [
        {"anchor": section.anchor, "sha256": text_sha256(section_content(section))}
        for section in sections
    ]
