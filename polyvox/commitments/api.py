"""JSON API for commitments: public data only (bylines as published, never an account)."""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from polyvox.commitments.models import Commitment
from polyvox.commitments.selectors import (
    STATE_KEYS,
    commitment_data,
    commitment_in,
    commitments_of,
    updates_of,
)
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.organisations.selectors import organisation_named
from polyvox.processes.selectors import access_process

router = Router()


class CommitmentOrganisationOut(Schema):
    name: str
    slug: str


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    owner: str
    organisation: CommitmentOrganisationOut | None
    due_on: date
    status: str
    overdue: bool
    state: str
    recommendations: list[int]
    decision: int | None
    updates: int
    made_at: datetime
    url: str


class ContestationOut(Schema):
    id: int
    author: str
    reason: str
    created_at: datetime
    answer: str
    answered_by: str | None
    answered_at: datetime | None


class CommitmentUpdateOut(Schema):
    id: int
    author: str
    status: str
    text: str
    evidence: list[str]
    reason: str
    created_at: datetime
    contestations: list[ContestationOut]


class CommitmentDetailOut(CommitmentOut):
    updates_list: list[CommitmentUpdateOut]


def _today() -> date:
    return timezone.now().astimezone(UTC).date()


def _detail(commitment: Commitment) -> CommitmentDetailOut:
    updates = []
    for update in updates_of(commitment):
        contestations = [
            ContestationOut(
                id=c.pk,
                author=c.author_name,
                reason=c.reason,
                created_at=c.created_at,
                answer=c.answer,
                answered_by=c.answered_by.profile.display_name if c.answered_by else None,
                answered_at=c.answered_at,
            )
            for c in update.contestations.all()
        ]
        updates.append(
            CommitmentUpdateOut(
                id=update.pk,
                author=update.author_name,
                status=update.status,
                text=update.text,
                evidence=list(update.evidence),
                reason=update.reason,
                created_at=update.created_at,
                contestations=contestations,
            )
        )
    return CommitmentDetailOut(**commitment_data(commitment), updates_list=updates)


@router.get(
    "/processes/{slug}/commitments",
    response=list[CommitmentOut],
    openapi_extra=PAGED,
    summary="List a process's commitments, soonest due first, each with its state (overdue "
    "derived from the UTC date), updates count and linked recommendation numbers; filter by "
    "status (planned, in_progress, overdue, done, dropped) and organisation slug; a page at a "
    "time (header Link rel=next, X-Total-Count)",
)
def list_commitments(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
    status: str | None = None,
    organisation: str | None = None,
) -> list[CommitmentOut]:
    process = access_process(viewer=request.user, slug=slug)
    if status and status not in STATE_KEYS:
        raise ValidationError(
            {"status": _("Choose one of: %(choices)s.") % {"choices": ", ".join(STATE_KEYS)}}
        )
    rows = commitments_of(
        process,
        today=_today(),
        state=status or None,
        organisation=organisation_named(organisation, field="organisation"),
    )
    found = page_of(request, response, rows, paging)
    return [CommitmentOut(**commitment_data(c)) for c in found]


@router.get(
    "/processes/{slug}/commitments/{commitment_id}",
    response=CommitmentDetailOut,
    summary="Read a commitment with its dated updates (newest first, with evidence links) and "
    "the contestations of each update with the owner's answers",
)
def read_commitment(request: HttpRequest, slug: str, commitment_id: int) -> CommitmentDetailOut:
    process = access_process(viewer=request.user, slug=slug)
    return _detail(commitment_in(process, commitment_id, _today()))
