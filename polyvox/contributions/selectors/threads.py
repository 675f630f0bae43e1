"""Reads of contributions: threads on sections, single inputs, public lists."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.permissions import can_dispose, can_see_hidden
from polyvox.core.permissions import Actor, require
from polyvox.drafts.models import DraftVersion, Section
from polyvox.processes.models import Process


@dataclass(frozen=True)
class ThreadNode:
    """A contribution and the replies to it, to any depth. A reply hidden by moderation is a
    `tombstone`: its contribution then holds only its address, date and reason code."""

    contribution: Contribution
    replies: tuple["ThreadNode", ...]
    tombstone: bool = False


def with_answers(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    # Everything the byline, section links and answer render, so a page of N inputs costs the
    # same few queries as a page of one (tests/invariants/test_query_counts.py).
    return queryset.select_related(
        "disposition__duplicate_of__process",
        "section__version__draft__process",
        "draft_version__draft",
        "on_behalf_of",
        "parent",
        "process",
    ).prefetch_related("disposition__changed_sections__version__draft__process")


def _tombstone(reply: Contribution) -> Contribution:
    """What a thread may show of a hidden reply: where it was, when and why — none of its text,
    author or attachment (an unsaved copy holding those fields only)."""
    return Contribution(
        pk=reply.pk,
        process=reply.process,
        kind=reply.kind,
        parent_id=reply.parent_id,
        section_id=reply.section_id,
        tracking_number=reply.tracking_number,
        hidden_at=reply.hidden_at,
        hidden_reason_code=reply.hidden_reason_code,
    )


def _threads(roots: list[Contribution], replies: list[Contribution]) -> list[ThreadNode]:
    children: dict[int | None, list[Contribution]] = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)

    def build(node: Contribution, depth: int) -> ThreadNode:
        # Depth cap: only guards against a corrupted cycle; real threads are far shallower.
        kids = children.get(node.pk, []) if depth < 100 else []
        below = tuple(build(kid, depth + 1) for kid in kids)
        if depth and node.hidden_at is not None:  # a hidden reply keeps its place, not its text
            return ThreadNode(_tombstone(node), below, tombstone=True)
        return ThreadNode(node, below)

    return [build(root, 0) for root in roots]


def contributions_for_section(*, viewer: Actor | None, section: Section) -> list[ThreadNode]:
    """Public threads on one section: each input with its replies."""
    public = with_answers(Contribution.objects.public().filter(section=section))
    roots = [c for c in public if c.kind != ContributionKind.REPLY]
    return _threads(roots, [c for c in public if c.kind == ContributionKind.REPLY])


def threads_by_section(
    *, viewer: Actor | None, version: DraftVersion
) -> dict[int, list[ThreadNode]]:
    """Public threads on every section of `version`, in one query: section id → threads; hidden
    replies as tombstones."""
    found = list(with_answers(Contribution.objects.filter(section__version=version)))
    replies = [c for c in found if c.kind == ContributionKind.REPLY]
    by_section: dict[int, list[ThreadNode]] = defaultdict(list)
    roots = [c for c in found if c.kind != ContributionKind.REPLY and c.hidden_at is None]
    for node in _threads(roots, replies):
        by_section[node.contribution.section_id or 0].append(node)
    return dict(by_section)


MAX_THREAD_REPLIES = 10_000  # a guard against a runaway thread on one page, not a product limit


def contribution_thread(*, viewer: Actor | None, contribution: Contribution) -> ThreadNode:
    """The contribution with every reply below it; hidden replies as tombstones.

    Reads one level of replies per query, so a thread costs its depth in queries, not a read of
    every reply in the process."""
    replies: list[Contribution] = []
    level = [contribution.pk]
    while level and len(replies) < MAX_THREAD_REPLIES:
        found = list(with_answers(Contribution.objects.filter(parent_id__in=level)))
        replies.extend(found)
        level = [reply.pk for reply in found]
    return _threads([contribution], replies)[0]


def access_contribution(
    *, viewer: Actor | None, process: Process, tracking_number: str
) -> Contribution:
    """One contribution by tracking number; hidden ones only for their author and the secretariat."""
    contribution = (
        with_answers(Contribution.objects.filter(process=process, tracking_number=tracking_number))
        .prefetch_related("revisions")
        .first()
    )
    if contribution is None or (
        contribution.hidden_at is not None and not can_see_hidden(viewer, contribution)
    ):
        raise Http404(_("No such contribution."))
    return contribution


def contribution_to_answer(
    *, viewer: Actor | None, process: Process, tracking_number: str
) -> Contribution:
    """A contribution as the secretariat sees it on the answer page (hidden ones included)."""
    require(
        can_dispose(viewer, process),
        _("Only the secretariat and rapporteurs answer contributions."),
    )
    return access_contribution(viewer=viewer, process=process, tracking_number=tracking_number)


def public_contributions(*, viewer: Actor | None, process: Process) -> QuerySet[Contribution]:
    """Every visible contribution of a process, with its answer, oldest first."""
    return with_answers(Contribution.objects.public().filter(process=process))
