"""Reads for closing a process: how many inputs are answered, and the first unanswered ones.

Counts run in the database and the list is one page, so a process with 100,000 inputs costs the
same few queries as one with ten."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.selectors.threads import with_answers
from polyvox.core.permissions import Actor
from polyvox.drafts.models import DraftVersion
from polyvox.drafts.selectors import latest_version
from polyvox.processes.models import Process

PAGE_SIZE = 25


@dataclass(frozen=True)
class InputCounts:
    answered: int
    unanswered: int


@dataclass(frozen=True)
class UnansweredPage:
    inputs: list[Contribution]
    page: int
    pages: int
    counts: InputCounts


def answerable_inputs(process: Process) -> QuerySet[Contribution]:
    """The inputs that need an answer: public (not hidden), and not replies in a thread."""
    return (
        Contribution.objects.public().filter(process=process).exclude(kind=ContributionKind.REPLY)
    )


def input_counts(process: Process) -> InputCounts:
    """Answered and unanswered inputs, counted in one query."""
    counts = answerable_inputs(process).aggregate(
        answered=Count("pk", filter=Q(disposition__isnull=False)),
        unanswered=Count("pk", filter=Q(disposition__isnull=True)),
    )
    return InputCounts(answered=counts["answered"], unanswered=counts["unanswered"])


def unanswered_inputs(
    *, viewer: Actor | None, process: Process, page: int = 1, page_size: int = PAGE_SIZE
) -> UnansweredPage:
    """One page of the inputs still unanswered, oldest first (they have waited longest).

    Public inputs only, so the page holds nothing a visitor could not read elsewhere."""
    counts = input_counts(process)
    pages = max(1, -(-counts.unanswered // page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    rows = with_answers(
        answerable_inputs(process).filter(disposition__isnull=True).order_by("created_at", "pk")
    )[start : start + page_size]
    return UnansweredPage(list(rows), page, pages, counts)


def final_versions(process: Process) -> list[DraftVersion]:
    """The latest published version of each draft: the texts a closed process ends with."""
    versions = []
    for draft in process.drafts.order_by("created_at", "pk"):
        version = latest_version(draft)
        if version is not None:
            versions.append(version)
    return versions
