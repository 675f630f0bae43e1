"""Sections of a Markdown draft and their stable anchors, carried over between versions (pure).

A *section* is one top-level block of the Markdown source: an ATX or setext heading (level 1 to 6,
its text in ``heading``) or a paragraph, list, block quote, table or code block (level 0, its
Markdown source in ``text``; a whole list or quote stays one section). Thematic breaks are not
sections.

Anchor scheme (documented in one place, here):

* a heading's anchor is its text slugified to ASCII (``"2. Scope"`` → ``"2-scope"``); when that is
  empty (Arabic, Chinese…) it is ``"s-"`` plus the first 8 hex digits of the SHA-256 of the text;
* a block's anchor is its enclosing heading's anchor plus ``-p1``, ``-p2``… (``p1``, ``p2``… before
  the first heading);
* a clash within the version, or with any anchor the draft ever used, gets ``-2``, ``-3``…
  (headings) or the next free ``-pN`` (blocks), so an anchor never names different content.

Anchors are ASCII slugs of at most 80 characters, valid as HTML ids and in URLs.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

from markdown_it import MarkdownIt

# Edited sections keep their anchor when their words are at least this similar (difflib ratio).
SIMILARITY_THRESHOLD = 0.6
MAX_ANCHOR_LENGTH = 80
_SLUG_LENGTH = 60  # leaves room for "-pNN" and "-N" suffixes within MAX_ANCHOR_LENGTH

_parser = MarkdownIt("commonmark").enable("table")
_BLOCK_OPENERS = {
    "paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open", "table_open",
}  # fmt: skip
_LEAF_BLOCKS = {"fence", "code_block", "html_block"}


# Scripts written without spaces (CJK, kana, Thai) are compared character by character.
_NO_SPACE_CHARS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"\s+|[{_NO_SPACE_CHARS}]|[^\s{_NO_SPACE_CHARS}]+")


def word_tokens(text: str) -> list[str]:
    """Words, whitespace runs and single CJK/Thai characters; joining them gives `text` back."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class ParsedSection:
    """A heading (level 1 to 6, ``heading`` set) or a block (level 0, ``text`` set)."""

    level: int
    heading: str = ""
    text: str = ""

    @property
    def is_heading(self) -> bool:
        return self.level > 0

    @property
    def content(self) -> str:
        return self.heading if self.is_heading else self.text


class SectionLike(Protocol):
    """Anything shaped like a stored section: a ``drafts.Section`` row or an ``AnchoredSection``."""

    @property
    def anchor(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def heading(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class AnchoredSection:
    anchor: str
    level: int
    heading: str = ""
    text: str = ""


def parse_sections(markdown: str) -> list[ParsedSection]:
    """Split Markdown into sections, in document order."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tokens = _parser.parse("\n".join(lines))
    sections: list[ParsedSection] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0:
            index += 1
            continue
        if token.type == "heading_open":
            inline = tokens[index + 1]
            heading = " ".join(inline.content.split())
            if heading:
                sections.append(ParsedSection(level=int(token.tag[1]), heading=heading))
        elif (token.type in _BLOCK_OPENERS or token.type in _LEAF_BLOCKS) and token.map:
            start, end = token.map
            text = "\n".join(lines[start:end]).strip("\n")
            if text.strip():
                sections.append(ParsedSection(level=0, text=text))
        index += 1
    return sections


def slugify_anchor(text: str) -> str:
    """ASCII slug of a heading; ``s-<hash>`` when nothing ASCII is left (e.g. Arabic, Chinese)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:_SLUG_LENGTH].strip("-")
    if slug:
        return slug
    return "s-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _words(text: str) -> list[str]:
    """Lower-case words without punctuation: "Simple," and "simple" are the same word."""
    words = (re.sub(r"[^\w]", "", token) for token in word_tokens(text.lower()))
    return [word for word in words if word]


def _similar(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, _words(a), _words(b), autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    if matcher.quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def _match(previous: Sequence[SectionLike], new: Sequence[ParsedSection]) -> dict[int, int]:
    """new index → previous index: identical content first (in order), then the most similar,
    then blocks rewritten under a kept heading."""
    matched: dict[int, int] = {}
    taken: set[int] = set()
    by_content: dict[tuple[bool, str], list[int]] = {}
    for p_index, old in enumerate(previous):
        key = (old.level > 0, old.heading if old.level > 0 else old.text)
        by_content.setdefault(key, []).append(p_index)
    for n_index, section in enumerate(new):
        candidates = by_content.get((section.is_heading, section.content), [])
        if candidates:
            p_index = candidates.pop(0)
            matched[n_index] = p_index
            taken.add(p_index)
    scored: list[tuple[float, int, int]] = []
    for n_index, section in enumerate(new):
        if n_index in matched:
            continue
        for p_index, old in enumerate(previous):
            if p_index in taken or (old.level > 0) != section.is_heading:
                continue
            ratio = _similar(old.heading if old.level > 0 else old.text, section.content)
            if ratio >= SIMILARITY_THRESHOLD:
                scored.append((-ratio, n_index, p_index))
    for _neg_ratio, n_index, p_index in sorted(scored):  # greedy: most similar pairs first
        if n_index not in matched and p_index not in taken:
            matched[n_index] = p_index
            taken.add(p_index)
    _match_under_same_heading(previous, new, matched, taken)
    return matched


def _parents(levels: Sequence[int]) -> list[int]:
    """For each section, the index of the heading it sits under (-1 before the first heading)."""
    parents, current = [], -1
    for index, level in enumerate(levels):
        parents.append(current)
        if level > 0:
            current = index
    return parents


def _match_under_same_heading(
    previous: Sequence[SectionLike],
    new: Sequence[ParsedSection],
    matched: dict[int, int],
    taken: set[int],
) -> None:
    """Rewritten blocks under a kept heading keep their anchors, when as many remain as were left.

    One paragraph of "Licensing" rewritten from scratch is still "the licensing paragraph"."""
    old_parents = _parents([s.level for s in previous])
    new_parents = _parents([s.level for s in new])
    heading_pairs = {n: p for n, p in matched.items() if new[n].is_heading}
    heading_pairs[-1] = -1
    for n_heading, p_heading in heading_pairs.items():
        old_left = [
            i for i, s in enumerate(previous)
            if old_parents[i] == p_heading and s.level == 0 and i not in taken
        ]  # fmt: skip
        new_left = [
            i for i, s in enumerate(new)
            if new_parents[i] == n_heading and not s.is_heading and i not in matched
        ]  # fmt: skip
        if old_left and len(old_left) == len(new_left):
            for n_index, p_index in zip(new_left, old_left, strict=True):
                matched[n_index] = p_index
                taken.add(p_index)


def carry_over_anchors(
    previous_sections: Sequence[SectionLike],
    new_sections: Sequence[ParsedSection],
    *,
    used_anchors: Iterable[str] = (),
) -> list[AnchoredSection]:
    """Anchor the sections of version N+1, keeping version N's anchors for kept and edited sections.

    `used_anchors` are all anchors the draft has ever used: new sections never take one of them.
    """
    matched = _match(previous_sections, new_sections)
    carried = {n: previous_sections[p].anchor for n, p in matched.items()}
    taken = set(used_anchors) | {old.anchor for old in previous_sections} | set(carried.values())
    result: list[AnchoredSection] = []
    heading_anchor = ""
    for n_index, section in enumerate(new_sections):
        anchor = carried.get(n_index)
        if anchor is None:
            anchor = _fresh_anchor(section, heading_anchor, taken)
            taken.add(anchor)
        if section.is_heading:
            heading_anchor = anchor
        result.append(AnchoredSection(anchor, section.level, section.heading, section.text))
    return result


def assign_anchors(sections: Sequence[ParsedSection]) -> list[AnchoredSection]:
    """Anchors for a first version."""
    return carry_over_anchors([], sections)


def _fresh_anchor(section: ParsedSection, heading_anchor: str, taken: set[str]) -> str:
    if section.is_heading:
        base = slugify_anchor(section.heading)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate
    prefix = f"{heading_anchor}-p" if heading_anchor else "p"
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"
