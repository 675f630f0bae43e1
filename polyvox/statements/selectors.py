"""Reads of statements, votes and opinion maps; anything stakeholder-aware suppresses cells < 5."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.analytics.types import VoteMatrix
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.statements.models import (
    ACTIVE_RUN_STATUSES,
    STALE_AFTER,
    OpinionMapRun,
    OpinionMapSnapshot,
    RunStatus,
    Statement,
    StatementSettings,
    StatementStatus,
    Vote,
)

MIN_CELL = 5  # small cells (< 5 people) are never shown (issue 3)
SVG_SIZE = 400
SVG_MARGIN = 20


def statement_settings(process: Process) -> StatementSettings:
    """The process's statement settings; permissive when never set."""
    found = StatementSettings.objects.filter(process=process).first()
    return found or StatementSettings(process=process)


def accepted_statements(process: Process) -> QuerySet[Statement]:
    """Votable statements with their vote counts, oldest first."""
    return (
        Statement.objects.filter(process=process)
        .accepted()
        .annotate(
            n_agree=Count("votes", filter=Q(votes__value=1)),
            n_disagree=Count("votes", filter=Q(votes__value=-1)),
            n_pass=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("created_at", "id")
    )


def pending_statements(process: Process) -> QuerySet[Statement]:
    return Statement.objects.filter(process=process, status=StatementStatus.PENDING).order_by("id")


def access_statement(*, process: Process, statement_id: int) -> Statement:
    """A statement of this process; 404 otherwise."""
    found = Statement.objects.filter(process=process, pk=statement_id).first()
    if found is None:
        raise Http404(_("No such statement."))
    return found


def vote_matrix(process: Process) -> VoteMatrix:
    """Votes on moderated statements (rejected ones marked moderated out); pending are left out."""
    statements = list(
        Statement.objects.filter(process=process)
        .exclude(status=StatementStatus.PENDING)
        .order_by("id")
        .values_list("id", "status")
    )
    votes = list(
        Vote.objects.filter(statement__process=process)
        .exclude(statement__status=StatementStatus.PENDING)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value")
    )
    pid, sid, val = (list(column) for column in zip(*votes, strict=True)) if votes else ([], [], [])
    return VoteMatrix.from_votes(
        pid,
        sid,
        val,
        all_statement_ids=[s for s, _status in statements],
        moderated_out_ids=[s for s, status in statements if status == StatementStatus.REJECTED],
    )


def next_statement_for(*, participant: Actor, process: Process) -> Statement | None:
    """One accepted statement the participant has not voted on (fewest votes first, as Pol.is)."""
    if not is_signed_in(participant):
        return None
    return (
        Statement.objects.filter(process=process, hidden_at__isnull=True)  # hidden: off the deck
        .accepted()
        .exclude(votes__participant_id=participant.pk)
        .annotate(n_votes=Count("votes"))
        .order_by("n_votes", "id")
        .first()
    )


def votes_of(*, participant: Actor, process: Process) -> dict[int, int]:
    """statement id → the participant's current vote (shown to that participant only)."""
    if not is_signed_in(participant):
        return {}
    return dict(
        Vote.objects.filter(statement__process=process, participant_id=participant.pk).values_list(
            "statement_id", "value"
        )
    )


def votes_cast_by(*, participant: Actor, process: Process) -> int:
    if not is_signed_in(participant):
        return 0
    return Vote.objects.filter(statement__process=process, participant_id=participant.pk).count()


@dataclass(frozen=True)
class Point:
    cx: float
    cy: float
    group: int


@dataclass(frozen=True)
class StatementPick:
    statement: Statement
    direction: str  # "agree" or "disagree"
    share: float  # e.g. the group's smoothed agree share, 0..1


@dataclass(frozen=True)
class GroupSummary:
    id: int
    size: int
    center: tuple[float, float]
    representative: list[StatementPick]


@dataclass(frozen=True)
class AxisExplanation:
    """One axis of the map in words: further along it (right, or up) people agreed more with
    `agree_with` and disagreed more with `disagree_with`; the other way, the reverse."""

    axis: str  # "horizontal" or "vertical"
    agree_with: list[Statement]
    disagree_with: list[Statement]


@dataclass(frozen=True)
class OpinionMapView:
    snapshot: OpinionMapSnapshot
    points: list[Point]
    groups: list[GroupSummary]
    consensus: list[StatementPick]  # Pol.is's: most of everyone, agree picks first
    divisive: list[Statement]
    viewer_group: int | None
    # The viewer's own dot ("you are here"); None for visitors and people not on the map.
    viewer_point: Point | None = None
    axes: list[AxisExplanation] = field(default_factory=list)
    # Every opinion group leans the same way (Small et al. 2021)
    group_informed_consensus: list[StatementPick] = field(default_factory=list)


def _scaled(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Map coordinates into the SVG box, keeping the aspect ratio."""
    if not coords:
        return []
    arr = np.asarray(coords, dtype=float)
    lo, hi = arr.min(0), arr.max(0)
    span = float(max((hi - lo).max(), 1e-9))
    inner = SVG_SIZE - 2 * SVG_MARGIN
    out = SVG_MARGIN + (arr - (lo + hi) / 2 + span / 2) / span * inner
    return [(round(float(x), 1), round(float(SVG_SIZE - y), 1)) for x, y in out]


def latest_snapshot(process: Process) -> OpinionMapSnapshot | None:
    """The latest published map, without its engine state (private, and only the refresh
    needs it: `services.previous_state`)."""
    return (
        OpinionMapSnapshot.objects.filter(process=process)
        .defer("engine_state")
        .order_by("-computed_at", "-id")
        .first()
    )


def _shown(by_id: dict[int, Statement], statement_id: int) -> bool:
    """A statement whose text the map may quote: it exists and moderation has not hidden it."""
    found = by_id.get(statement_id)
    return found is not None and found.hidden_at is None


def consensus_lists(result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(Pol.is consensus, agree then disagree; group-informed consensus) of a stored result.

    Maps stored before issue 14 kept group-informed consensus under `consensus`, as a list."""
    stored = result.get("consensus", {})
    if isinstance(stored, list):
        return [], stored
    return (
        [*stored.get("agree", []), *stored.get("disagree", [])],
        result.get("group_informed_consensus", []),
    )


def latest_opinion_map(*, process: Process, viewer: Actor | None) -> OpinionMapView | None:
    """The latest published map; the viewer learns their own group, nobody else's."""
    snapshot = latest_snapshot(process)
    if snapshot is None:
        return None
    result: dict[str, Any] = snapshot.result
    people = result.get("participants", [])
    scaled = _scaled([(p["x"], p["y"]) for p in people])
    points = [Point(x, y, p["group"]) for (x, y), p in zip(scaled, people, strict=True)]
    polis_consensus, informed_consensus = consensus_lists(result)
    ids = (
        {s["statement_id"] for s in [*polis_consensus, *informed_consensus]}
        | {s["statement_id"] for s in result.get("divisive", [])}
        | {s["statement_id"] for g in result.get("groups", []) for s in g["representative"]}
        | {s["statement_id"] for a in result.get("axes", []) for s in a["statements"]}
    )
    by_id = Statement.objects.in_bulk(list(ids))

    def picks(items: list[dict[str, Any]]) -> list[StatementPick]:
        return [
            StatementPick(by_id[i["statement_id"]], i["direction"], i.get("probability", 0.0))
            for i in items
            if i["statement_id"] in by_id
        ]

    viewer_group, viewer_point = None, None
    if is_signed_in(viewer):
        mine = next((i for i, p in enumerate(people) if p["id"] == viewer.pk), None)
        if mine is not None:
            viewer_group, viewer_point = people[mine]["group"], points[mine]
    axes = [
        AxisExplanation(
            axis=str(a["axis"]),
            agree_with=[
                by_id[s["statement_id"]]
                for s in a["statements"]
                if s["loading"] > 0 and _shown(by_id, s["statement_id"])
            ],
            disagree_with=[
                by_id[s["statement_id"]]
                for s in a["statements"]
                if s["loading"] < 0 and _shown(by_id, s["statement_id"])
            ],
        )
        for a in result.get("axes", [])
        if a["statements"]
    ]
    return OpinionMapView(
        snapshot=snapshot,
        points=points,
        groups=[
            GroupSummary(g["id"], g["size"], tuple(g["center"]), picks(g["representative"]))
            for g in result.get("groups", [])
        ],
        consensus=picks(polis_consensus),
        group_informed_consensus=picks(informed_consensus),
        divisive=[
            by_id[d["statement_id"]]
            for d in result.get("divisive", [])
            if d["statement_id"] in by_id
        ],
        viewer_group=viewer_group,
        viewer_point=viewer_point,
        axes=axes,
    )


@dataclass(frozen=True)
class RefreshStatus:
    """What the map page says of its refresh: a run under way, and (for the secretariat only)
    why the latest run failed. The time of the last result is the snapshot's `computed_at`."""

    active: OpinionMapRun | None  # queued or running (not stalled)
    failed: OpinionMapRun | None


def opinion_map_status(*, viewer: Actor | None, process: Process) -> RefreshStatus:
    """One indexed read, whatever the number of votes."""
    latest = OpinionMapRun.objects.filter(process=process).order_by("-id").first()
    active = latest if latest is not None and latest.status in ACTIVE_RUN_STATUSES else None
    if active is not None and active.updated_at < timezone.now() - STALE_AFTER:
        active = None
    failed = latest if latest is not None and latest.status == RunStatus.FAILED else None
    return RefreshStatus(active=active, failed=failed if is_secretariat(viewer, process) else None)
