"""JSON API: recommendations and their consensus designations, with the evidence, the public
objections and the minority views (public data only: bylines as published, counts, never an
account or a private profile field). Lists are paged with `polyvox.core.api_paging`."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.outcomes.models import Designation, Level, MinorityView, Objection, Recommendation
from polyvox.outcomes.selectors.recommendations import (
    current_designation,
    designation_in,
    designations_in,
    evidence,
    linked_sections,
    public_objections,
    recommendation_by_number,
    recommendations_of,
    section_data,
)
from polyvox.processes.selectors import access_process

router = Router()

# Objections and minority views shown inside a designation; the rest a page at a time from
# `…/designations/{id}/objections`.
LISTED_IN_DESIGNATION = 100


class OutcomeOrganisationOut(Schema):
    name: str
    slug: str


class RecommendationSectionOut(Schema):
    draft: str
    version: int
    anchor: str
    heading: str
    url: str


class RecommendationStatementOut(Schema):
    id: int
    text: str


class DesignationSummaryOut(Schema):
    id: int
    stage: str
    level: str
    level_label: str
    designated_at: datetime
    objections_close_at: datetime | None
    revised: bool


class RecommendationOut(Schema):
    number: int
    title: str
    text: str
    url: str
    created_at: datetime
    updated_at: datetime
    designation: DesignationSummaryOut | None
    decided: bool


class ObjectionOut(Schema):
    id: int
    author: str
    organisation: OutcomeOrganisationOut | None
    reason: str
    created_at: datetime
    withdrawn_at: datetime | None


class MinorityViewOut(Schema):
    author: str
    organisation: OutcomeOrganisationOut | None
    text: str


class DesignationOut(Schema):
    id: int
    recommendation: int
    recommendation_title: str
    stage: str
    level: str
    level_label: str
    rationale: str
    designated_at: datetime
    objections_close_at: datetime | None
    proposal_id: int | None
    proposed_level: str
    revised: bool
    evidence: dict[str, Any]
    objection_count: int
    objections: list[ObjectionOut]
    minority_view_count: int
    minority_views: list[MinorityViewOut]


class RecommendationDetailOut(RecommendationOut):
    sections: list[RecommendationSectionOut]
    statements: list[RecommendationStatementOut]
    revision_count: int
    evidence: dict[str, Any]
    designations: list[DesignationOut]


def _organisation(organisation: Any) -> OutcomeOrganisationOut | None:
    if organisation is None:
        return None
    return OutcomeOrganisationOut(name=organisation.name, slug=organisation.slug)


def _summary(designation: Designation | None) -> DesignationSummaryOut | None:
    if designation is None:
        return None
    proposal = designation.proposal
    return DesignationSummaryOut(
        id=designation.pk,
        stage=designation.stage,
        level=designation.level,
        level_label=str(Level(designation.level).label),
        designated_at=designation.designated_at,
        objections_close_at=(proposal or designation).objections_close_at,
        revised=designation.revised,
    )


def _recommendation_fields(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "number": recommendation.number,
        "title": recommendation.title,
        "text": recommendation.text,
        "url": recommendation.get_absolute_url(),
        "created_at": recommendation.created_at,
        "updated_at": recommendation.updated_at,
        "designation": _summary(current_designation(recommendation)),
        "decided": getattr(recommendation, "decision", None) is not None,
    }


def _with_objections(designations: QuerySet[Designation]) -> QuerySet[Designation]:
    """Each designation with its counts and the first objections and minority views (the
    prefetches are sliced per designation in the database)."""
    return designations.annotate(
        objection_total=Count("objections", distinct=True),
        minority_view_total=Count("minority_views", distinct=True),
    ).prefetch_related(
        Prefetch(
            "objections",
            queryset=Objection.objects.select_related("organisation").order_by("created_at", "pk")[
                :LISTED_IN_DESIGNATION
            ],
            to_attr="listed_objections",
        ),
        Prefetch(
            "minority_views",
            queryset=MinorityView.objects.select_related("organisation").order_by(
                "objection__created_at", "pk"
            )[:LISTED_IN_DESIGNATION],
            to_attr="listed_minority_views",
        ),
    )


def _objection(objection: Objection) -> ObjectionOut:
    return ObjectionOut(
        id=objection.pk,
        author=objection.author_name,
        organisation=_organisation(objection.organisation),
        reason=objection.reason,
        created_at=objection.created_at,
        withdrawn_at=objection.withdrawn_at,
    )


def _designation(designation: Designation) -> DesignationOut:
    proposal = designation.proposal
    recommendation = designation.recommendation
    return DesignationOut(
        id=designation.pk,
        recommendation=recommendation.number,
        recommendation_title=recommendation.title,
        stage=designation.stage,
        level=designation.level,
        level_label=str(Level(designation.level).label),
        rationale=designation.rationale,
        designated_at=designation.designated_at,
        objections_close_at=(proposal or designation).objections_close_at,
        proposal_id=designation.proposal_id,
        proposed_level=proposal.level if proposal else designation.level,
        revised=designation.revised,
        evidence=designation.evidence,
        objection_count=designation.objection_total,  # type: ignore[attr-defined]
        objections=[_objection(o) for o in designation.listed_objections],  # type: ignore[attr-defined]
        minority_view_count=designation.minority_view_total,  # type: ignore[attr-defined]
        minority_views=[
            MinorityViewOut(
                author=view.author_name,
                organisation=_organisation(view.organisation),
                text=view.text,
            )
            for view in designation.listed_minority_views  # type: ignore[attr-defined]
        ],
    )


@router.get(
    "/processes/{slug}/recommendations",
    response=list[RecommendationOut],
    openapi_extra=PAGED,
    summary="List a process's recommendations in number order, each with its current "
    "designation (final, or proposed and open to objections) and whether a decision was "
    "declared, a page at a time (header Link rel=next, X-Total-Count)",
)
def list_recommendations(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
) -> list[RecommendationOut]:
    process = access_process(viewer=request.user, slug=slug)
    rows = page_of(request, response, recommendations_of(process), paging)
    return [RecommendationOut(**_recommendation_fields(r)) for r in rows]


@router.get(
    "/processes/{slug}/recommendations/{number}",
    response=RecommendationDetailOut,
    summary="Read a recommendation: its text, the draft sections and statements it is linked "
    "to, the evidence as it stands now, and its designations with their objections and "
    "minority views",
)
def read_recommendation(request: HttpRequest, slug: str, number: int) -> RecommendationDetailOut:
    process = access_process(viewer=request.user, slug=slug)
    recommendation = recommendation_by_number(process, number)
    designations = _with_objections(designations_in(process).filter(recommendation=recommendation))
    return RecommendationDetailOut(
        **_recommendation_fields(recommendation),
        sections=[
            RecommendationSectionOut(**section_data(s)) for s in linked_sections(recommendation)
        ],
        statements=[
            RecommendationStatementOut(id=s.pk, text=s.text)
            for s in recommendation.statements.order_by("created_at", "pk")
        ],
        revision_count=recommendation.revisions.count(),
        evidence=evidence(recommendation),
        designations=[_designation(d) for d in designations],
    )


@router.get(
    "/processes/{slug}/designations",
    response=list[DesignationOut],
    openapi_extra=PAGED,
    summary="List every consensus designation of a process, proposed and final, by "
    "recommendation, each with the evidence it was made beside, its public objections (the "
    f"first {LISTED_IN_DESIGNATION}; all from …/designations/{{id}}/objections) and its "
    "minority views, a page at a time (header Link rel=next, X-Total-Count)",
)
def list_designations(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
) -> list[DesignationOut]:
    process = access_process(viewer=request.user, slug=slug)
    rows = page_of(request, response, _with_objections(designations_in(process)), paging)
    return [_designation(d) for d in rows]


@router.get(
    "/processes/{slug}/designations/{designation_id}/objections",
    response=list[ObjectionOut],
    openapi_extra=PAGED,
    summary="List the objections to a proposed designation, oldest first (withdrawn ones "
    "too, with when), a page at a time (header Link rel=next, X-Total-Count)",
)
def list_objections(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    designation_id: int,
    paging: Query[PageIn],
) -> list[ObjectionOut]:
    process = access_process(viewer=request.user, slug=slug)
    designation = designation_in(process, designation_id)
    rows = page_of(request, response, public_objections(designation), paging)
    return [_objection(o) for o in rows]
