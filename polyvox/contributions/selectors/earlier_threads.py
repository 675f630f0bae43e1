"""Reads for "the conversation follows the text": threads left on a section in earlier versions.

A section keeps its anchor from version to version (`drafts.anchors`), so the inputs on § scope
of version 1 are about the text that § scope of version 2 continues. A reader of version 2 sees
them, marked with their version, instead of an empty section.
"""

from collections import defaultdict
from dataclasses import dataclass

from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.selectors.threads import ThreadNode, _threads, with_answers
from polyvox.core.permissions import Actor
from polyvox.drafts.models import DraftVersion, Section


@dataclass(frozen=True)
class EarlierThreads:
    """The public threads on one section of one earlier version."""

    section: Section
    threads: tuple[ThreadNode, ...]

    @property
    def version_number(self) -> int:
        return self.section.version.number

    @property
    def inputs(self) -> int:
        return len(self.threads)

    @property
    def answered(self) -> int:
        return sum(
            1
            for node in self.threads
            if getattr(node.contribution, "disposition", None) is not None
        )


def earlier_threads_by_anchor(
    *, viewer: Actor | None, version: DraftVersion
) -> dict[str, list[EarlierThreads]]:
    """Anchor → the public threads on that anchor in the draft's earlier published versions,
    newest version first. One query (plus `with_answers`' fixed prefetch) for the whole page."""
    if version.number <= 1:
        return {}
    public = list(
        with_answers(
            Contribution.objects.public().filter(
                section__version__draft_id=version.draft_id,
                section__version__number__lt=version.number,
                section__in=Section.objects.published(),
            )
        )
    )
    replies = [c for c in public if c.kind == ContributionKind.REPLY]
    roots = [c for c in public if c.kind != ContributionKind.REPLY]
    by_section: dict[int, list[ThreadNode]] = defaultdict(list)
    sections: dict[int, Section] = {}
    for node in _threads(roots, replies):
        section = node.contribution.section
        if section is not None:
            sections[section.pk] = section
            by_section[section.pk].append(node)
    by_anchor: dict[str, list[EarlierThreads]] = defaultdict(list)
    ordered = sorted(sections.values(), key=lambda s: -s.version.number)
    for section in ordered:
        by_anchor[section.anchor].append(EarlierThreads(section, tuple(by_section[section.pk])))
    return dict(by_anchor)
