"""Reads of statements, votes and opinion maps; anything stakeholder-aware suppresses cells < 5."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.analytics.opinion_map import bridging_statements as engine_bridging
from polyvox.analytics.opinion_map import group_agreement, groups_agreeing_more_than_average
from polyvox.analytics.types import GroupMatch, VoteMatrix
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.models import Profile, StakeholderGroup
from polyvox.participants.regions import region_of
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
STAKEHOLDER_GROUPS: list[str] = list(StakeholderGroup.values)
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
    consensus: list[StatementPick]
    divisive: list[Statement]
    viewer_group: int | None
    # The viewer's own dot ("you are here"); None for visitors and people not on the map.
    viewer_point: Point | None = None
    axes: list[AxisExplanation] = field(default_factory=list)


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
    return (
        OpinionMapSnapshot.objects.filter(process=process).order_by("-computed_at", "-id").first()
    )


def _shown(by_id: dict[int, Statement], statement_id: int) -> bool:
    """A statement whose text the map may quote: it exists and moderation has not hidden it."""
    found = by_id.get(statement_id)
    return found is not None and found.hidden_at is None


def latest_opinion_map(*, process: Process, viewer: Actor | None) -> OpinionMapView | None:
    """The latest published map; the viewer learns their own group, nobody else's."""
    snapshot = latest_snapshot(process)
    if snapshot is None:
        return None
    result: dict[str, Any] = snapshot.result
    people = result.get("participants", [])
    scaled = _scaled([(p["x"], p["y"]) for p in people])
    points = [Point(x, y, p["group"]) for (x, y), p in zip(scaled, people, strict=True)]
    ids = (
        {s["statement_id"] for key in ("consensus", "divisive") for s in result.get(key, [])}
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
        consensus=picks(result.get("consensus", [])),
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
class Cell:
    label: str
    count: int | None  # None when suppressed (fewer than MIN_CELL people)

    @property
    def display(self) -> str:
        return str(self.count) if self.count is not None else _("fewer than 5")


@dataclass(frozen=True)
class GroupComposition:
    group: int
    size: int
    by_stakeholder_group: list[Cell]
    by_region: list[Cell]


def _cell(label: str, count: int) -> Cell:
    return Cell(label, count if count >= MIN_CELL else None)


def _profiles(user_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """user id → (stakeholder group, country, organisation)."""
    rows = Profile.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "stakeholder_group", "country", "organisation"
    )
    return {uid: (group, country, organisation) for uid, group, country, organisation in rows}


def stakeholder_crosstab(snapshot: OpinionMapSnapshot) -> list[GroupComposition]:
    """Each opinion group's composition by stakeholder group and region, small cells suppressed."""
    people = snapshot.result.get("participants", [])
    profiles = _profiles([p["id"] for p in people])
    labels = dict(StakeholderGroup.choices)
    out = []
    for g in snapshot.result.get("groups", []):
        members = [p["id"] for p in people if p["group"] == g["id"]]
        by_group: dict[str, int] = {}
        by_region: dict[str, int] = {}
        for uid in members:
            group, country, _org = profiles.get(uid, (StakeholderGroup.INDIVIDUAL, "", ""))
            by_group[group] = by_group.get(group, 0) + 1
            region = region_of(country)
            name = region.region if region else _("Unknown")
            by_region[name] = by_region.get(name, 0) + 1
        out.append(
            GroupComposition(
                group=g["id"],
                size=len(members),
                by_stakeholder_group=[
                    _cell(str(labels.get(k, k)), by_group[k])
                    for k in STAKEHOLDER_GROUPS
                    if k in by_group
                ],
                by_region=[_cell(k, v) for k, v in sorted(by_region.items())],
            )
        )
    return out


def _stakeholder_labels(votes: VoteMatrix) -> np.ndarray:
    profiles = _profiles(votes.participant_ids.tolist())
    return np.array(
        [
            STAKEHOLDER_GROUPS.index(profiles.get(uid, (StakeholderGroup.INDIVIDUAL,))[0])
            for uid in votes.participant_ids.tolist()
        ],
        dtype=np.int64,
    )


@dataclass(frozen=True)
class AgreementCell:
    label: str
    seen: int | None  # None when suppressed
    agree_percent: int | None


@dataclass(frozen=True)
class StatementAgreement:
    statement: Statement
    cells: list[AgreementCell]


def statement_agreement_by_stakeholder_group(process: Process) -> list[StatementAgreement]:
    """Per accepted statement, the agree share within each stakeholder group (cells < 5 hidden)."""
    votes = vote_matrix(process)
    ga = group_agreement(votes, _stakeholder_labels(votes))
    col = {sid: j for j, sid in enumerate(votes.statement_ids.tolist())}
    names = dict(StakeholderGroup.choices)
    out = []
    for statement in Statement.objects.filter(process=process).accepted().order_by("id"):
        cells = []
        for g, label in enumerate(ga.group_labels.tolist()):
            seen = int(ga.n_seen[g, col[statement.pk]]) if statement.pk in col else 0
            agree = int(ga.n_agree[g, col[statement.pk]]) if statement.pk in col else 0
            shown = seen >= MIN_CELL
            cells.append(
                AgreementCell(
                    label=str(names[STAKEHOLDER_GROUPS[label]]),
                    seen=seen if shown else None,
                    agree_percent=round(100 * agree / seen) if shown else None,
                )
            )
        out.append(StatementAgreement(statement, cells))
    return out


def _opinion_labels(votes: VoteMatrix, snapshot: OpinionMapSnapshot) -> np.ndarray:
    group_of = {p["id"]: p["group"] for p in snapshot.result.get("participants", [])}
    return np.array(
        [group_of.get(uid, -1) for uid in votes.participant_ids.tolist()], dtype=np.int64
    )


@dataclass(frozen=True)
class Bridging:
    statement: Statement
    min_agree_percent: int


def bridging_statements(process: Process, snapshot: OpinionMapSnapshot) -> list[Bridging]:
    """Agreed by a majority in every opinion group and every stakeholder group with ≥ 5 voters."""
    votes = vote_matrix(process)
    found = engine_bridging(
        votes,
        [_opinion_labels(votes, snapshot), _stakeholder_labels(votes)],
        min_voters=MIN_CELL,
    )
    by_id = Statement.objects.in_bulk([b.statement_id for b in found])
    return [
        Bridging(by_id[b.statement_id], round(100 * b.min_agree_rate))
        for b in found
        if b.statement_id in by_id
    ]


@dataclass(frozen=True)
class Kindred:
    """A stakeholder group or organisation whose votes matched the viewer's more often than the
    average participant's did, on the same statements."""

    kind: str  # "stakeholder_group" or "organisation"
    label: str
    match_percent: int  # of the group's votes on those statements, the share equal to yours
    average_percent: int  # the same among all the other voters
    n_statements: int
    n_members: int


@dataclass(frozen=True)
class Allies:
    """ "Who agrees with you": `compared` is False when there is nothing to compare yet (the
    viewer agreed or disagreed with no statement that enough others voted on)."""

    kindred: list[Kindred]
    compared: bool


def _matches(kind: str, label: str, m: GroupMatch) -> Kindred:
    return Kindred(
        kind,
        label,
        match_percent=round(100 * m.rate),
        average_percent=round(100 * m.average_rate),
        n_statements=m.n_statements,
        n_members=m.n_members,
    )


def who_agrees_with(*, participant: Actor, process: Process, limit: int = 5) -> Allies:
    """Stakeholder groups and organisations (≥ 5 voters) whose votes matched the participant's
    more often than everyone else's did; from aggregates of the others, never naming anyone."""
    nobody = Allies([], compared=False)
    if not is_signed_in(participant):
        return nobody
    votes = vote_matrix(process)
    ids = votes.participant_ids.tolist()
    if participant.pk not in ids:
        return nobody
    me = ids.index(participant.pk)
    row = np.full(votes.shape[1], np.nan)
    mine = votes.rows == me
    row[votes.cols[mine]] = votes.values[mine]
    others = np.zeros(len(ids), dtype=np.int64)
    others[me] = -1
    everyone = group_agreement(votes, others)
    enough = np.isfinite(row) & (row != 0) & (everyone.n_seen[0] >= MIN_CELL)
    if not enough.any():
        return nobody
    profiles = _profiles(ids)
    stakeholder = _stakeholder_labels(votes)
    stakeholder[me] = -1  # compare with the others only
    orgs = sorted({p[2] for p in profiles.values() if p[2]})
    org_labels = np.array(
        [orgs.index(profiles[uid][2]) if profiles.get(uid, ("", "", ""))[2] else -1 for uid in ids],
        dtype=np.int64,
    )
    org_labels[me] = -1
    names = dict(StakeholderGroup.choices)
    found = [
        _matches("stakeholder_group", str(names[STAKEHOLDER_GROUPS[m.group_label]]), m)
        for m in groups_agreeing_more_than_average(
            row, group_agreement(votes, stakeholder), everyone, min_cell=MIN_CELL
        )
    ]
    if orgs:
        found += [
            _matches("organisation", orgs[m.group_label], m)
            for m in groups_agreeing_more_than_average(
                row, group_agreement(votes, org_labels), everyone, min_cell=MIN_CELL
            )
        ]
    ranked = sorted(
        found, key=lambda k: (-(k.match_percent - k.average_percent), -k.match_percent, k.label)
    )
    return Allies(ranked[:limit], compared=True)


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
