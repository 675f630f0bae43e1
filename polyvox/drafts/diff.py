"""Section-level diff between two versions of a draft, with a word-level diff inside changes (pure).

Sections are identified across versions by their anchor (see ``anchors.py``):

* ``added``: the anchor is only in the newer version; ``removed``: only in the older one;
* ``changed``: same anchor, different text or heading level (``moved`` may also be set);
* ``moved``: same anchor and text, but a different place relative to the other kept sections;
* ``unchanged``: everything else.

Word-level runs are ``(op, text)`` pairs with op in ``equal``/``insert``/``delete``; the text is
plain user text, escaped by the template like any other.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from polyvox.drafts.anchors import SectionLike, word_tokens

Status = Literal["added", "removed", "changed", "moved", "unchanged"]
Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class SectionDiff:
    anchor: str
    status: Status
    level: int
    old_content: str = ""
    new_content: str = ""
    moved: bool = False
    runs: tuple[tuple[Op, str], ...] = field(default=())

    @property
    def is_heading(self) -> bool:
        return self.level > 0


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """Runs that turn `old` into `new`; changes separated only by spaces read as one change."""
    a, b = word_tokens(old), word_tokens(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    groups: list[tuple[str, list[str], list[str]]] = []  # ("equal" | "change", old, new)
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < position < len(opcodes) - 1
        if tag == "equal" and not (between_changes and "".join(a[i1:i2]).isspace()):
            groups.append(("equal", a[i1:i2], b[j1:j2]))
        elif groups and groups[-1][0] == "change":
            groups[-1][1].extend(a[i1:i2])
            groups[-1][2].extend(b[j1:j2])
        else:
            groups.append(("change", list(a[i1:i2]), list(b[j1:j2])))
    runs: list[tuple[Op, str]] = []
    for kind, old_tokens, new_tokens in groups:
        if kind == "equal":
            runs.append(("equal", "".join(old_tokens)))
            continue
        if old_tokens:
            runs.append(("delete", "".join(old_tokens)))
        if new_tokens:
            runs.append(("insert", "".join(new_tokens)))
    return runs


def _content(section: SectionLike) -> str:
    return section.heading if section.level > 0 else section.text


def diff_sections(older: Sequence[SectionLike], newer: Sequence[SectionLike]) -> list[SectionDiff]:
    """Every section of both versions, in the newer order; removed ones after their old neighbour."""
    old_by_anchor = {s.anchor: (i, s) for i, s in enumerate(older)}
    new_anchors = {s.anchor for s in newer}
    kept_old_order = [s.anchor for s in older if s.anchor in new_anchors]
    kept_new_order = [s.anchor for s in newer if s.anchor in old_by_anchor]
    in_place: set[str] = set()
    matcher = SequenceMatcher(None, kept_old_order, kept_new_order, autojunk=False)
    for block in matcher.get_matching_blocks():
        in_place.update(kept_old_order[block.a : block.a + block.size])

    # Removed sections follow the nearest kept section before them in the older version.
    removed_after: dict[str, list[SectionDiff]] = {}
    last_kept = ""
    for section in older:
        if section.anchor in new_anchors:
            last_kept = section.anchor
            continue
        entry = SectionDiff(section.anchor, "removed", section.level, old_content=_content(section))
        removed_after.setdefault(last_kept, []).append(entry)

    result = list(removed_after.get("", []))
    for section in newer:
        new_content = _content(section)
        if section.anchor not in old_by_anchor:
            result.append(
                SectionDiff(section.anchor, "added", section.level, new_content=new_content)
            )
            continue
        old = old_by_anchor[section.anchor][1]
        old_content = _content(old)
        moved = section.anchor not in in_place
        if old_content != new_content or old.level != section.level:
            status: Status = "changed"
            runs = tuple(word_diff(old_content, new_content))
        else:
            status = "moved" if moved else "unchanged"
            runs = ()
        result.append(
            SectionDiff(
                section.anchor, status, section.level, old_content, new_content, moved, runs
            )
        )
        result.extend(removed_after.get(section.anchor, []))
    return result


def summarise(entries: Sequence[SectionDiff]) -> dict[str, int]:
    """Counts per status, every status present (zero when none)."""
    counts = dict.fromkeys(("added", "removed", "changed", "moved", "unchanged"), 0)
    for entry in entries:
        counts[entry.status] += 1
    return counts
