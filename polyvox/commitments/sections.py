"""What commitments adds to the pages of apps below it, registered in `ready()`: the process page
(counts and links), an organisation's page (its commitments across processes, merged duplicates
included), a recommendation's page (the commitments that carry it out), and the outcome document
(commitments by recommendation, on the page, in the PDF and in its JSON)."""

from datetime import UTC, date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from polyvox.commitments.models import Commitment
from polyvox.commitments.permissions import can_commit
from polyvox.commitments.selectors import (
    commitment_data,
    commitments_of,
    organisation_commitments,
    process_counts,
    recommendation_commitments,
    state_counts,
)
from polyvox.contributions.pages import ReportData
from polyvox.core.sections import PageSection
from polyvox.organisations.models import Organisation
from polyvox.organisations.pages import ORGANISATION_PAGE
from polyvox.organisations.selectors import organisation_family_ids
from polyvox.outcomes.models import Recommendation
from polyvox.outcomes.pages import OUTCOME_DATA, OUTCOME_DOCUMENT, RECOMMENDATION_PAGE
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE

ON_ORGANISATION_PAGE = 50
ON_RECOMMENDATION_PAGE = 20


def _today() -> date:
    return timezone.now().astimezone(UTC).date()


def process_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    counts = process_counts(process, _today())
    return {
        "process": process,
        "counts": counts,
        "total": sum(c.count for c in counts),
        "can_commit": can_commit(request.user, process),
    }


def organisation_section(*, request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    today = _today()
    ids = organisation_family_ids(organisation)
    rows = organisation_commitments(ids, today)
    counts = state_counts(Commitment.objects.filter(organisation_id__in=ids), today)
    return {
        "organisation": organisation,
        "counts": counts,
        "total": sum(c.count for c in counts),
        "rows": list(rows[:ON_ORGANISATION_PAGE]),
    }


def recommendation_section(
    *, request: HttpRequest, recommendation: Recommendation, process: Process
) -> dict[str, Any]:
    rows = recommendation_commitments(recommendation, _today())
    return {
        "process": process,
        "recommendation": recommendation,
        "total": rows.count(),
        "rows": list(rows[:ON_RECOMMENDATION_PAGE]),
        "can_commit": can_commit(request.user, process),
    }


def _by_recommendation(
    process: Process,
) -> tuple[list[tuple[Recommendation, list[Commitment]]], list[Commitment]]:
    """Each recommendation with the commitments that carry it out (one may carry out several),
    and the commitments linked to none."""
    grouped: dict[Recommendation, list[Commitment]] = {}
    unlinked: list[Commitment] = []
    for commitment in commitments_of(process, today=_today()):
        linked = commitment.recommendations.all()  # prefetched
        if not linked:
            unlinked.append(commitment)
        for recommendation in linked:
            grouped.setdefault(recommendation, []).append(commitment)
    return sorted(grouped.items(), key=lambda item: item[0].number), unlinked


def outcome_document_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    groups, unlinked = _by_recommendation(process)
    return {
        "process": process,
        "counts": process_counts(process, _today()),
        "groups": groups,
        "unlinked": unlinked,
    }


def outcome_data(*, process: Process) -> list[dict[str, Any]]:
    """Every commitment of the process, JSON-ready and public, soonest due first."""
    return [commitment_data(c) for c in commitments_of(process, today=_today())]


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("commitments", 80, "commitments/_process_section.html", process_section)
    )
    ORGANISATION_PAGE.register(
        PageSection(
            "commitments", 60, "commitments/_organisation_section.html", organisation_section
        )
    )
    RECOMMENDATION_PAGE.register(
        PageSection(
            "commitments", 50, "commitments/_recommendation_section.html", recommendation_section
        )
    )
    OUTCOME_DOCUMENT.register(
        PageSection(
            "commitments", 50, "commitments/_outcome_document.html", outcome_document_section
        )
    )
    OUTCOME_DATA.register(ReportData("commitments", 50, outcome_data))
