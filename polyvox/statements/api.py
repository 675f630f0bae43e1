"""JSON API for statements, votes and opinion maps: public aggregates, never who voted what."""

from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process
from polyvox.statements.map_figures import figures_of
from polyvox.statements.models import OpinionMapSnapshot
from polyvox.statements.selectors import (
    accepted_statements,
    access_statement,
    consensus_lists,
    latest_snapshot,
)
from polyvox.statements.services import cast_vote

router = Router()


class StatementOut(Schema):
    id: int
    text: str
    is_seed: bool
    source_contribution: str | None
    agree: int
    disagree: int
    passed: int


class GroupOut(Schema):
    id: int
    size: int
    representative: list[int]


class PickOut(Schema):
    statement_id: int
    direction: str


class ConsensusOut(Schema):
    """Pol.is's consensus: statement ids most of everyone agrees (disagrees) with, best first."""

    agree: list[int]
    disagree: list[int]


class StakeholderScoreOut(Schema):
    stakeholder_group: str  # the stakeholder group's key, e.g. "civil_society"
    bridging_score: float | None  # None: fewer than 5 of the group rated the statement


class BridgingScoreOut(Schema):
    """A statement's matrix-factorisation bridging score (Community Notes' model: its intercept
    once each voter's side is accounted for), beside its group-informed consensus."""

    statement_id: int
    group_informed_consensus: float | None
    bridging_score: float
    by_stakeholder_group: list[StakeholderScoreOut]


class OpinionMapOut(Schema):
    """A published map without participant identities: group sizes and statement ids only."""

    snapshot_id: int
    computed_at: str
    seed: int
    code_version: str
    result_sha256: str
    participants_in_map: int
    n_votes: int
    groups: list[GroupOut]
    consensus: ConsensusOut
    group_informed_consensus: list[PickOut]
    divisive: list[int]
    bridging_scores: list[BridgingScoreOut]


class VoteIn(Schema):
    value: Literal[-1, 0, 1]


class VoteOut(Schema):
    statement_id: int
    value: int


@router.get(
    "/processes/{slug}/statements",
    response=list[StatementOut],
    openapi_extra=PAGED,
    summary="List a process's accepted statements with their vote counts, oldest first, a page "
    "at a time (Link rel=next, X-Total-Count)",
)
def list_statements(
    request: HttpRequest, response: HttpResponse, slug: str, paging: Query[PageIn]
) -> list[StatementOut]:
    process = access_process(viewer=request.user, slug=slug)
    statements = accepted_statements(process).select_related("source_contribution")
    return [
        StatementOut(
            id=s.pk,
            text=s.text,
            is_seed=s.is_seed,
            source_contribution=(
                s.source_contribution.tracking_number if s.source_contribution else None
            ),
            agree=s.n_agree,
            disagree=s.n_disagree,
            passed=s.n_pass,
        )
        for s in page_of(request, response, statements, paging)
    ]


@router.get(
    "/processes/{slug}/opinion-map",
    response=OpinionMapOut,
    summary="Read the latest published opinion map (groups, consensus, divisive, bridging "
    "scores; no identities)",
)
def read_opinion_map(request: HttpRequest, slug: str) -> OpinionMapOut:
    process = access_process(viewer=request.user, slug=slug)
    snapshot = latest_snapshot(process)
    if snapshot is None:
        raise Http404(_("No opinion map has been published yet."))
    result = snapshot.result
    polis_consensus, informed_consensus = consensus_lists(result)
    return OpinionMapOut(
        snapshot_id=snapshot.pk,
        computed_at=snapshot.computed_at.isoformat(),
        seed=snapshot.seed,
        code_version=snapshot.code_version,
        result_sha256=snapshot.result_sha256,
        participants_in_map=snapshot.participants_in_map,
        n_votes=snapshot.n_votes,
        groups=[
            GroupOut(
                id=g["id"],
                size=g["size"],
                representative=[r["statement_id"] for r in g["representative"]],
            )
            for g in result.get("groups", [])
        ],
        consensus=ConsensusOut(
            agree=[c["statement_id"] for c in polis_consensus if c["direction"] == "agree"],
            disagree=[c["statement_id"] for c in polis_consensus if c["direction"] == "disagree"],
        ),
        group_informed_consensus=[
            PickOut(statement_id=c["statement_id"], direction=c["direction"])
            for c in informed_consensus
        ],
        divisive=[d["statement_id"] for d in result.get("divisive", [])],
        bridging_scores=_bridging_scores(snapshot),
    )


def _bridging_scores(snapshot: OpinionMapSnapshot) -> list[BridgingScoreOut]:
    """The stored scores, best first (statement ids only, like the other lists)."""
    figures = figures_of(snapshot)
    stored, consensus = figures["bridging_mf"], figures["group_informed_consensus"]
    keys = stored["stakeholder_groups"]
    ranked = sorted(stored["statements"].items(), key=lambda item: (-item[1][0], int(item[0])))
    return [
        BridgingScoreOut(
            statement_id=int(sid),
            group_informed_consensus=consensus.get(sid),
            bridging_score=overall,
            by_stakeholder_group=[
                StakeholderScoreOut(stakeholder_group=k, bridging_score=score)
                for k, score in zip(keys, by_group, strict=True)
            ],
        )
        for sid, (overall, by_group) in ranked
    ]


@router.post(
    "/processes/{slug}/statements/{statement_id}/votes",
    response={200: VoteOut},
    auth=api_auth,
    summary="Vote agree (1), disagree (-1) or pass (0) as the signed-in participant",
)
def vote_on_statement(
    request: HttpRequest, slug: str, statement_id: int, data: VoteIn
) -> Status[VoteOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    statement = access_statement(process=process, statement_id=statement_id)
    vote = cast_vote(participant=actor, statement=statement, value=data.value)
    return Status(200, VoteOut(statement_id=statement.pk, value=vote.value))
