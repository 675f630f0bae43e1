"""Reads of the workbench: a filtered, sorted page of inputs, their notes and pending answers.

A process may hold 100,000 inputs, so a page reads only its 50 rows (the excerpt is cut in the
database), the count is one plain COUNT, and the campaign column is one query per page
(bench/workbench.py measures every variant on PostgreSQL).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from polyvox.contributions.input_groups import InputGroup, input_groups_of
from polyvox.contributions.models import (
    Contribution,
    ContributionKind,
    Disposition,
    InternalNote,
    ProposedAnswer,
)
from polyvox.contributions.permissions import can_review_answers, can_see_workbench
from polyvox.contributions.search import search_contributions
from polyvox.core.permissions import Actor, require
from polyvox.drafts.models import Section
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process
from polyvox.processes.roles import Capability, roles_with

PAGE_SIZE = 50
EXCERPT_CHARS = 200
# A search for a common word matches most of 100,000 inputs; counting them all would read every
# match, so a search counts up to this many (the page says "more than") and pages within them.
SEARCH_COUNT_CAP = 10_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator whose count stops at SEARCH_COUNT_CAP + 1: `capped` says it stopped."""

    @cached_property
    def count(self) -> int:
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return rows.order_by()[: SEARCH_COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_CAP


class AnswerState:
    ANSWERED = "answered"
    PROPOSED = "proposed"
    UNANSWERED = "unanswered"


# Sort keys → ORDER BY; every order ends on the primary key so pages never overlap.
SORTS: dict[str, tuple[str, ...]] = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "section": ("section__anchor", "created_at", "id"),
    "kind": ("kind", "created_at", "id"),
}


@dataclass(frozen=True)
class WorkbenchFilters:
    """What the secretariat asked for; every field optional (the defaults list every input)."""

    query: str = ""
    section_anchor: str | None = None
    kind: str | None = None
    stakeholder_group: str | None = None
    organisation: str = ""
    answer_state: str | None = None
    assignee: str | None = None  # "mine", "none", or a member's id as text
    unanswered_days: int | None = None
    sort: str = "oldest"


@dataclass(frozen=True)
class WorkbenchRow:
    """One line of the workbench; `excerpt` holds at most EXCERPT_CHARS characters."""

    contribution: Contribution
    excerpt: str
    truncated: bool
    state: str
    age_days: int
    group: InputGroup | None


@dataclass(frozen=True)
class WorkbenchPage:
    page: Page[Any]
    rows: list[WorkbenchRow] = field(default_factory=list)


def _answered() -> Exists:
    # EXISTS, not a LEFT JOIN … IS NULL: PostgreSQL plans it as an anti-join with a sound
    # estimate; the join form was estimated at 1 row of 45,000 and planned as a nested loop
    # that took minutes (bench/RESULTS.md, workbench).
    return Exists(Disposition.objects.filter(contribution=OuterRef("pk")))


def _pending() -> Exists:
    return Exists(
        ProposedAnswer.objects.filter(
            contribution=OuterRef("pk"), state=ProposedAnswer.State.PENDING
        )
    )


def workbench_contributions(
    *,
    viewer: Actor | None,
    process: Process,
    filters: WorkbenchFilters | None = None,
    now: datetime | None = None,
) -> QuerySet[Contribution]:
    """The inputs of `process` matching `filters`, sorted; replies only when asked for by kind."""
    require(can_see_workbench(viewer, process), _("Only the secretariat sees the workbench."))
    f = filters or WorkbenchFilters()
    queryset: QuerySet[Contribution] = Contribution.objects.filter(process=process)
    queryset = (
        queryset.filter(kind=f.kind) if f.kind else queryset.exclude(kind=ContributionKind.REPLY)
    )
    if f.section_anchor:
        queryset = queryset.filter(section__anchor=f.section_anchor)
    if f.stakeholder_group:
        queryset = queryset.filter(stakeholder_group=f.stakeholder_group)
    if f.organisation.strip():
        queryset = queryset.filter(organisation__icontains=f.organisation.strip())
    queryset = _by_state(queryset, f.answer_state)
    queryset = _by_assignee(queryset, f.assignee, viewer)
    if f.unanswered_days is not None:
        cutoff = (now or timezone.now()) - timedelta(days=f.unanswered_days)
        queryset = queryset.filter(created_at__lt=cutoff)
        if f.answer_state not in (AnswerState.UNANSWERED, AnswerState.PROPOSED):
            queryset = queryset.filter(~_answered())
    keys = SORTS.get(f.sort, SORTS["oldest"])
    order: tuple[OrderBy | str, ...] = keys
    if f.query.strip():
        queryset = search_contributions(queryset, f.query.strip())
        # Sort on a value no index holds: otherwise, for a short page of a rare word, PostgreSQL
        # walks the date index and computes every text's vector looking for it (14 s at 100k)
        # instead of asking the full-text index.
        order = tuple(_unindexed(key) for key in keys)
    return queryset.order_by(*order)


def _unindexed(key: str) -> OrderBy | str:
    if key.lstrip("-") != "created_at":
        return key
    shifted = ExpressionWrapper(F("created_at") + Value(timedelta(0)), output_field=DateTimeField())
    return OrderBy(shifted, descending=key.startswith("-"))


def _by_state(queryset: QuerySet[Contribution], state: str | None) -> QuerySet[Contribution]:
    if state == AnswerState.ANSWERED:
        return queryset.filter(_answered())
    if state == AnswerState.PROPOSED:
        return queryset.filter(_pending(), ~_answered())
    if state == AnswerState.UNANSWERED:
        return queryset.filter(~_pending(), ~_answered())
    return queryset


def _by_assignee(
    queryset: QuerySet[Contribution], assignee: str | None, viewer: Actor | None
) -> QuerySet[Contribution]:
    if assignee == "mine":
        return queryset.filter(assignment__assignee_id=getattr(viewer, "pk", None))
    if assignee == "none":
        return queryset.filter(assignment__isnull=True)
    if assignee and assignee.isdigit():
        return queryset.filter(assignment__assignee_id=int(assignee))
    return queryset


def workbench_page(
    *,
    viewer: Actor | None,
    process: Process,
    filters: WorkbenchFilters | None = None,
    page_number: str | int | None = None,
    now: datetime | None = None,
) -> WorkbenchPage:
    """One page of the workbench: a COUNT, the page's ids, its rows, and their campaigns.

    The page is chosen on ids alone (a "deferred join"): with OFFSET, PostgreSQL computes every
    selected column of every skipped row, so the excerpt (a read of the text) and the answer
    state are computed for the 50 rows shown, not for the 50,000 before a deep page."""
    now = now or timezone.now()
    queryset = workbench_contributions(viewer=viewer, process=process, filters=filters, now=now)
    ids = queryset.values_list("pk", flat=True)
    searching = bool(filters and filters.query.strip())
    paginator = CappedPaginator(ids, PAGE_SIZE) if searching else Paginator(ids, PAGE_SIZE)
    page = paginator.get_page(page_number)
    wanted = list(page.object_list)
    # Only the columns a row shows: the body stays in the database, its excerpt comes out.
    rows = (
        Contribution.objects.filter(pk__in=wanted)
        .defer("body", "hidden_reason", "attachment", "attachment_name", "attachment_type")
        .select_related(
            "section", "disposition", "assignment__assignee", "on_behalf_of", "author__profile"
        )
        .annotate(excerpt=Substr("body", 1, EXCERPT_CHARS + 1), pending=_pending())
        if wanted
        else Contribution.objects.none()
    )
    by_pk = {row.pk: row for row in rows}
    contributions = [by_pk[pk] for pk in wanted if pk in by_pk]
    groups = input_groups_of([c.pk for c in contributions])
    result = []
    for contribution in contributions:
        text: str = getattr(contribution, "excerpt", "")
        answered = getattr(contribution, "disposition", None) is not None
        state = (
            AnswerState.ANSWERED
            if answered
            else AnswerState.PROPOSED
            if getattr(contribution, "pending", False)
            else AnswerState.UNANSWERED
        )
        result.append(
            WorkbenchRow(
                contribution=contribution,
                excerpt=text[:EXCERPT_CHARS],
                truncated=len(text) > EXCERPT_CHARS,
                state=state,
                age_days=max((now - contribution.created_at).days, 0),
                group=groups.get(contribution.pk),
            )
        )
    return WorkbenchPage(page=page, rows=result)


def workbench_members(*, process: Process) -> QuerySet[User]:
    """Who holds SEE_WORKBENCH in `process`: the people inputs can be assigned to."""
    members = Membership.objects.filter(
        process=process, role__in=roles_with(Capability.SEE_WORKBENCH)
    ).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("username")


def section_anchors(*, process: Process) -> list[str]:
    """The anchors of the process's draft sections, for the section filter (no input is read)."""
    anchors = Section.objects.filter(version__draft__process=process).values_list(
        "anchor", flat=True
    )
    return sorted(set(anchors))


def internal_notes(*, viewer: Actor | None, contribution: Contribution) -> list[InternalNote]:
    """The workbench's notes on an input; nobody outside the workbench reads them."""
    require(
        can_see_workbench(viewer, contribution.process),
        _("Only workbench members read internal notes."),
    )
    return list(contribution.internal_notes.select_related("author"))


def proposed_answers_awaiting_review(
    *, viewer: Actor | None, process: Process
) -> QuerySet[ProposedAnswer]:
    """Answers proposed by one member, waiting for a second member's review, oldest first."""
    require(can_review_answers(viewer, process), _("Only reviewers see proposed answers."))
    return (
        ProposedAnswer.objects.filter(
            contribution__process=process, state=ProposedAnswer.State.PENDING
        )
        .select_related("contribution", "proposed_by", "duplicate_of")
        .prefetch_related("changed_sections__version")
        .order_by("proposed_at", "id")
    )


def proposed_answer(*, viewer: Actor | None, process: Process, proposal_id: int) -> ProposedAnswer:
    """One proposed answer of `process`, for a reviewer (403 first, so ids reveal nothing)."""
    require(can_review_answers(viewer, process), _("Only reviewers see proposed answers."))
    proposed = (
        ProposedAnswer.objects.filter(pk=proposal_id, contribution__process=process)
        .select_related("contribution__process", "proposed_by")
        .first()
    )
    if proposed is None:
        raise Http404(_("No such proposed answer."))
    return proposed
