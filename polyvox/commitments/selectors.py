"""Reads of commitments: public lists, counts and the feed, aggregated in the database.

Everything about a commitment is public (it is made in public to be followed up in public), so
these selectors need no viewer. "Overdue" is never stored: it is derived from `today` (a UTC
date) in the query. A commitment shows one state: overdue when past its due date without being
done or dropped, otherwise its status; the counts and filters partition commitments that way.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polyvox.commitments.models import (
    FINISHED,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contestation,
)
from polyvox.core.queries import correlated_count
from polyvox.organisations.models import Organisation
from polyvox.organisations.selectors import organisation_family_ids
from polyvox.outcomes.models import Decision, Recommendation
from polyvox.processes.models import Process

OVERDUE = "overdue"
# The states a commitment is shown in, in the order of the accountability page.
STATES: list[tuple[str, Any]] = [
    (CommitmentStatus.PLANNED.value, CommitmentStatus.PLANNED.label),
    (CommitmentStatus.IN_PROGRESS.value, CommitmentStatus.IN_PROGRESS.label),
    (OVERDUE, gettext_lazy("Overdue")),
    (CommitmentStatus.DONE.value, CommitmentStatus.DONE.label),
    (CommitmentStatus.DROPPED.value, CommitmentStatus.DROPPED.label),
]
STATE_KEYS = [key for key, _label in STATES]


def overdue_condition(today: date) -> Q:
    return Q(due_on__lt=today) & ~Q(status__in=FINISHED)


def _state_filter(state: str, today: date) -> Q:
    if state == OVERDUE:
        return overdue_condition(today)
    return Q(status=state) & ~overdue_condition(today)


def _update_count() -> Coalesce:
    return correlated_count(CommitmentUpdate.objects.all(), "commitment")


def _last_update_at() -> Subquery:
    latest = (
        CommitmentUpdate.objects.filter(commitment=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return Subquery(latest, output_field=DateTimeField())


def annotated(rows: QuerySet[Commitment], today: date) -> QuerySet[Commitment]:
    """With `overdue` (bool), `state` (status, or "overdue"), `update_count`, `last_update_at`,
    its organisation and process, and its recommendations (number order) prefetched."""
    late = overdue_condition(today)
    return (
        rows.select_related("organisation", "process", "decision__recommendation")
        .annotate(
            overdue=Case(
                When(late, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            state=Case(
                When(late, then=Value(OVERDUE)), default=F("status"), output_field=CharField()
            ),
            update_count=_update_count(),
            last_update_at=_last_update_at(),
        )
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("process").order_by("number"),
            )
        )
    )


def commitments_of(
    process: Process,
    *,
    today: date,
    state: str | None = None,
    organisation: Organisation | None = None,
    recommendation: Recommendation | None = None,
) -> QuerySet[Commitment]:
    """The commitments of `process`, soonest due first; `state` one of `STATE_KEYS` (overdue
    included); `organisation` counts its merged duplicates too; `recommendation`: those linked to
    it. The caller paginates."""
    rows = Commitment.objects.filter(process=process)
    if recommendation is not None:
        rows = rows.filter(recommendations=recommendation)
    if state:
        rows = rows.filter(_state_filter(state, today))
    if organisation is not None:
        rows = rows.filter(organisation_id__in=organisation_family_ids(organisation))
    return annotated(rows, today).order_by("due_on", "id")


@dataclass(frozen=True)
class StateCount:
    key: str
    label: str
    count: int


def state_counts(rows: QuerySet[Commitment], today: date) -> list[StateCount]:
    """How many of `rows` are in each state (overdue apart), in one aggregate query."""
    totals = rows.order_by().aggregate(
        **{key: Count("id", filter=_state_filter(key, today)) for key in STATE_KEYS}
    )
    return [StateCount(key, str(label), totals[key]) for key, label in STATES]


def process_counts(process: Process, today: date) -> list[StateCount]:
    return state_counts(Commitment.objects.filter(process=process), today)


def organisations_committed(process: Process) -> QuerySet[Organisation]:
    """The organisations that made commitments in `process`, by name (for the filter)."""
    return Organisation.objects.filter(commitments__process=process).distinct().order_by("name")


def commitment_in(process: Process, commitment_id: int, today: date) -> Commitment:
    """One commitment of `process`, annotated like the list, or 404."""
    found = annotated(Commitment.objects.filter(process=process, pk=commitment_id), today).first()
    if found is None:
        raise Http404(_("No such commitment in this process."))
    return found


def updates_of(commitment: Commitment) -> QuerySet[CommitmentUpdate]:
    """Its updates as a timeline, newest first, each with its contestations (oldest first).
    The caller paginates."""
    return (
        CommitmentUpdate.objects.filter(commitment=commitment)
        .prefetch_related(
            Prefetch(
                "contestations",
                queryset=Contestation.objects.select_related("answered_by__profile").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-created_at", "-id")
    )


def update_of(commitment: Commitment, update_id: int) -> CommitmentUpdate:
    update = CommitmentUpdate.objects.filter(commitment=commitment, pk=update_id).first()
    if update is None:
        raise Http404(_("No such update on this commitment."))
    update.commitment = commitment
    return update


def contestation_of(commitment: Commitment, contestation_id: int) -> Contestation:
    contestation = (
        Contestation.objects.filter(update__commitment=commitment, pk=contestation_id)
        .select_related("update", "author")
        .first()
    )
    if contestation is None:
        raise Http404(_("No such contestation on this commitment."))
    contestation.update.commitment = commitment
    return contestation


def recommendations_to_link(process: Process) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(process=process).order_by("number")


def decisions_to_link(process: Process) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(recommendation__process=process)
        .select_related("recommendation")
        .order_by("recommendation__number")
    )


def recommendation_commitments(recommendation: Recommendation, today: date) -> QuerySet[Commitment]:
    """The commitments linked to `recommendation`, soonest due first."""
    return annotated(Commitment.objects.filter(recommendations=recommendation), today).order_by(
        "due_on", "id"
    )


def organisation_commitments(organisation_ids: list[int], today: date) -> QuerySet[Commitment]:
    """Commitments made for these organisations (a merged one passes its duplicates' ids),
    across processes, soonest due first."""
    return annotated(
        Commitment.objects.filter(organisation_id__in=organisation_ids), today
    ).order_by("due_on", "id")


# The JSON Feed: new commitments and updates, newest first. ------------------------------------


@dataclass(frozen=True)
class FeedItem:
    kind: str  # "commitment" (made) or "update"
    at: datetime
    commitment: Commitment
    update: CommitmentUpdate | None


def feed_items(process: Process, *, offset: int, limit: int) -> list[FeedItem]:
    """One page of the process's feed: commitments made and updates posted, newest first.

    One UNION query orders both kinds in the database and cuts the page; then one query each
    reads the rows of that page."""
    made = (
        Commitment.objects.filter(process=process)
        .order_by()
        .annotate(kind=Value("commitment", output_field=CharField()), at=F("created_at"))
        .values_list("kind", "id", "at")
    )
    updated = (
        CommitmentUpdate.objects.filter(commitment__process=process)
        .order_by()
        .annotate(kind=Value("update", output_field=CharField()), at=F("created_at"))
        .values_list("kind", "id", "at")
    )
    page = list(made.union(updated, all=True).order_by("-at", "-id")[offset : offset + limit])
    commitment_ids = {pk for kind, pk, _at in page if kind == "commitment"}
    update_ids = {pk for kind, pk, _at in page if kind == "update"}
    updates = {
        u.pk: u
        for u in CommitmentUpdate.objects.filter(pk__in=update_ids).select_related(
            "commitment__organisation", "commitment__process"
        )
    }
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(pk__in=commitment_ids).select_related(
            "organisation", "process"
        )
    }
    items = []
    for kind, pk, at in page:
        if kind == "update":
            update = updates[pk]
            items.append(FeedItem(kind, at, update.commitment, update))
        else:
            items.append(FeedItem(kind, at, commitments[pk], None))
    return items


# Public, JSON-ready shapes (the outcome document's data, the feed, the API). -------------------


def organisation_data(commitment: Commitment) -> dict[str, str] | None:
    organisation = commitment.organisation
    return None if organisation is None else {"name": organisation.name, "slug": organisation.slug}


def commitment_data(commitment: Commitment) -> dict[str, Any]:
    """A commitment from `annotated()`: what, who, by when, its state, its links."""
    decision = commitment.decision
    return {
        "id": commitment.pk,
        "title": commitment.title,
        "description": commitment.description,
        "owner": commitment.owner_name,
        "organisation": organisation_data(commitment),
        "due_on": commitment.due_on.isoformat(),
        "status": commitment.status,
        "overdue": commitment.overdue,  # type: ignore[attr-defined]
        "state": commitment.state,  # type: ignore[attr-defined]
        "recommendations": [r.number for r in commitment.recommendations.all()],
        "decision": None if decision is None else decision.recommendation.number,
        "updates": commitment.update_count,  # type: ignore[attr-defined]
        "made_at": commitment.created_at.isoformat(),
        "url": commitment.get_absolute_url(),
    }
