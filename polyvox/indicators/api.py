"""`GET /api/v1/processes/{slug}/indicators`: the figures of the indicators page, as JSON.

Public, like the page: aggregates only, every cell under five suppressed (null), a hidden gender
never named; the alerts are filled in only for the process's staff (an empty list otherwise).
`POST …/indicators/targets` and `DELETE …/indicators/targets/{target_id}` let the secretariat
set and remove participation targets."""

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from polyvox.core.api_auth import api_auth
from polyvox.indicators.final import indicators_for
from polyvox.indicators.permissions import can_see_alerts
from polyvox.indicators.services import remove_participation_target, set_participation_target
from polyvox.indicators.targets import targets_of
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import ParticipationTarget
from polyvox.processes.selectors import access_process

router = Router()


class BreakdownRowOut(Schema):
    value: str
    label: str
    count: int | None
    share: float | None
    target: float | None
    meets_target: bool | None


class CrossRowOut(Schema):
    stakeholder_group: str | None
    region: str | None
    gender: str | None
    count: int | None


class ParticipationOut(Schema):
    inputs: int
    participants: int
    by_group: list[BreakdownRowOut]
    by_region: list[BreakdownRowOut]
    by_gender: list[BreakdownRowOut]
    cross: list[CrossRowOut]
    representation_score: float | None
    representation_scores: dict[str, float | None] = {}
    global_south_share: float | None
    global_south_inputs: int | None = None
    global_south_target: float | None = None
    global_south_meets_target: bool | None = None


class ResponsivenessOut(Schema):
    inputs: int
    answered: int
    answered_share: float | None
    answered_with_reason_share: float | None
    median_days_to_answer: float | None
    p90_days_to_answer: float | None


class InteractionOut(Schema):
    replies: int
    cross_group_replies: int
    cross_group_share: float | None
    answers_given: int


class ConcentrationOut(Schema):
    hhi_by_organisation: float | None
    organisations: int
    campaign_inputs: int
    campaign_share: float | None


class CirculationOut(Schema):
    draft: str
    title: str
    version: int
    published_at: str | None
    deadline: str | None
    days_public_before_deadline: float | None
    min_days: int | None = None


class AlertOut(Schema):
    code: str
    message: str
    value: float | int | str | None


class TargetOut(Schema):
    id: int
    dimension: str
    value: str
    min_share: Decimal


class IndicatorsOut(Schema):
    process: str
    computed_at: str
    suppress_below: int
    participation: ParticipationOut
    responsiveness: ResponsivenessOut
    interaction: InteractionOut
    concentration: ConcentrationOut
    circulation: list[CirculationOut]
    alerts: list[AlertOut]
    targets: list[TargetOut]


class TargetIn(Schema):
    dimension: str
    value: str = ""
    min_share: Decimal


def _target(target: ParticipationTarget) -> TargetOut:
    return TargetOut(
        id=target.pk, dimension=target.dimension, value=target.value, min_share=target.min_share
    )


@router.get(
    "/processes/{slug}/indicators",
    response=IndicatorsOut,
    summary="Read a process's indicators, computed now (once it has closed: as they stood at closing, their SHA-256 on the record as indicators.final): participation by stakeholder group, "
    "region and gender against its targets (counts under 5 null), representation score, "
    "Global South share, responsiveness, interaction, concentration, circulation of drafts; "
    "alerts for the process's staff only",
)
def read_indicators(request: HttpRequest, slug: str) -> IndicatorsOut:
    process = access_process(viewer=request.user, slug=slug)
    targets = list(targets_of(process))
    figures = indicators_for(process, with_alerts=can_see_alerts(request.user, process))
    return IndicatorsOut(**figures, targets=[_target(t) for t in targets])


@router.post(
    "/processes/{slug}/indicators/targets",
    response={201: TargetOut},
    auth=api_auth,
    summary="Set a participation target (secretariat): dimension stakeholder_group, region, "
    "gender or global_south, its value, and min_share between 0 and 1; setting it again "
    "changes the share",
)
def set_target(request: HttpRequest, slug: str, payload: TargetIn) -> Status[TargetOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    target = set_participation_target(
        actor=actor,
        process=process,
        dimension=payload.dimension,
        value=payload.value,
        min_share=payload.min_share,
    )
    return Status(201, _target(target))


@router.delete(
    "/processes/{slug}/indicators/targets/{target_id}",
    response={204: None},
    auth=api_auth,
    summary="Remove a participation target (secretariat)",
)
def delete_target(request: HttpRequest, slug: str, target_id: int) -> Status[None]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    target = get_object_or_404(ParticipationTarget, process=process, pk=target_id)
    remove_participation_target(actor=actor, target=target)
    return Status(204, None)
