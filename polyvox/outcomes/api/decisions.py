"""JSON API: decisions with the what-if table, the rule set and electorate, and recording a
position (the same service as the page). Public data only: electors by their public label."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from polyvox.analytics.decision_rules import RULES
from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.outcomes.models import Position, Recommendation
from polyvox.outcomes.selectors.decisions import (
    chamber_rules,
    decision_data,
    decision_of,
    elector_groups,
    electors_of,
    live_what_if,
    outcome_settings,
    rule_title,
)
from polyvox.outcomes.selectors.recommendations import (
    recommendation_by_number,
    recommendations_of,
)
from polyvox.outcomes.services.decisions import record_position
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process

router = Router()


# Schemas ---------------------------------------------------------------------------------------


class GroupTallyOut(Schema):
    in_favour: int
    against: int
    abstain: int
    absent: int
    members: int


class ResultOut(Schema):
    rule: str
    passed: bool
    reason: str
    groups: dict[str, GroupTallyOut]


class DecisionOut(Schema):
    rule_set: str
    rule_title: str
    passed: bool
    reason: str
    groups: dict[str, GroupTallyOut]
    what_if: list[ResultOut]
    declared_at: datetime


class RecommendationDecisionOut(Schema):
    """A recommendation's declared decision (or null) beside the what-if table: the live one
    while positions are open, the one kept with the decision once declared."""

    number: int
    title: str
    rule_set: str
    decision: DecisionOut | None
    what_if: list[ResultOut]
    url: str


class RuleOut(Schema):
    name: str
    title: str
    source: str
    allows_block: bool


class ChamberOut(Schema):
    group: str
    threshold: str
    description: str


class ElectorGroupOut(Schema):
    group: str
    electors: int


class RulesOut(Schema):
    rule_set: str
    rule_title: str
    rule_source: str
    allows_block: bool
    chambers: list[ChamberOut]
    objection_days: int
    electors: int
    elector_groups: list[ElectorGroupOut]
    presets: list[RuleOut]


class ElectorOut(Schema):
    voter: str
    group: str


class PositionIn(Schema):
    position: str
    reason: str = ""


class PositionOut(Schema):
    recommendation: int
    position: str
    reason: str
    updated_at: datetime


# Shaping ---------------------------------------------------------------------------------------


def _what_if_rows(recommendation: Recommendation) -> list[ResultOut]:
    decision = decision_of(recommendation)
    if decision is not None:
        # Positions and rules are fixed once declared: the stored table is the live one.
        rows: list[dict[str, Any]] = list(decision.what_if)
    else:
        rows = [row.to_json() for row in live_what_if(recommendation)]
    return [ResultOut(**row) for row in rows]


def _decision_out(recommendation: Recommendation) -> DecisionOut | None:
    data = decision_data(recommendation)
    return None if data is None else DecisionOut(**data)


def _rule(name: str) -> RuleOut:
    rule = RULES.get(name)
    if rule is None:
        return RuleOut(name=name, title=name, source="", allows_block=False)
    return RuleOut(
        name=rule.name, title=rule.title, source=rule.source, allows_block=rule.allows_block
    )


# Reads -----------------------------------------------------------------------------------------


@router.get(
    "/processes/{slug}/decisions",
    response=list[RecommendationDecisionOut],
    openapi_extra=PAGED,
    summary="List each recommendation's declared decision (or null) beside the what-if table: "
    "what the same positions yield under every preset rule set, a page at a time (header Link "
    "rel=next, X-Total-Count)",
)
def list_decisions(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
) -> list[RecommendationDecisionOut]:
    process = access_process(viewer=request.user, slug=slug)
    rule_set = outcome_settings(process).rule_set
    rows = recommendations_of(process).select_related("decision")
    page_rows = page_of(request, response, rows, paging)
    return [
        RecommendationDecisionOut(
            number=recommendation.number,
            title=recommendation.title,
            rule_set=rule_set,
            decision=_decision_out(recommendation),
            what_if=_what_if_rows(recommendation),
            url=recommendation.get_absolute_url(),
        )
        for recommendation in page_rows
    ]


@router.get(
    "/processes/{slug}/rules",
    response=RulesOut,
    summary="Read the process's rule set (with its source), the chamber thresholds, the days "
    "allowed to object to a proposed designation, the electorate's size by group, and every "
    "preset rule set",
)
def read_rules(request: HttpRequest, slug: str) -> RulesOut:
    process = access_process(viewer=request.user, slug=slug)
    settings = outcome_settings(process)
    rule = _rule(settings.rule_set)
    groups = elector_groups(process)
    return RulesOut(
        rule_set=settings.rule_set,
        rule_title=rule_title(settings.rule_set),
        rule_source=rule.source,
        allows_block=rule.allows_block,
        chambers=[
            ChamberOut(
                group=group, threshold=settings.chambers[group], description=parsed.describe()
            )
            for group, parsed in sorted(chamber_rules(settings).items())
        ],
        objection_days=settings.objection_days,
        electors=sum(groups.values()),
        elector_groups=[ElectorGroupOut(group=g, electors=n) for g, n in groups.items()],
        presets=[_rule(name) for name in RULES],
    )


@router.get(
    "/processes/{slug}/electors",
    response=list[ElectorOut],
    openapi_extra=PAGED,
    summary="List the electorate by group and public label (a state, for one state one vote), a "
    "page at a time (header Link rel=next, X-Total-Count); empty when whoever records a "
    "position decides",
)
def list_electors(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
) -> list[ElectorOut]:
    process = access_process(viewer=request.user, slug=slug)
    rows = page_of(request, response, electors_of(process), paging)
    return [ElectorOut(voter=elector.voter, group=elector.group) for elector in rows]


# Writes ----------------------------------------------------------------------------------------


@router.post(
    "/processes/{slug}/recommendations/{number}/position",
    response={200: PositionOut},
    auth=api_auth,
    summary="Record or change the signed-in participant's position on a recommendation "
    "(support, can-live-with, oppose, block where the rule set allows it, abstain) while a "
    "decision phase is open",
)
def post_position(
    request: HttpRequest, slug: str, number: int, data: PositionIn
) -> Status[PositionOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    recommendation = recommendation_by_number(process, number)
    position: Position = record_position(
        actor=actor, recommendation=recommendation, position=data.position, reason=data.reason
    )
    return Status(
        200,
        PositionOut(
            recommendation=recommendation.number,
            position=position.position,
            reason=position.reason,
            updated_at=position.updated_at,
        ),
    )
