"""Who agrees with whom on a process's statements: the opinion groups by stakeholder group,
agreement by stakeholder group, bridging statements, and "who agrees with you". Reads, like
`selectors`; every stakeholder-aware figure suppresses cells under 5 people."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from polyvox.analytics.opinion_map import groups_agreeing_more_than_average
from polyvox.analytics.types import GroupAgreement, GroupMatch
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.models import StakeholderGroup
from polyvox.processes.models import Process
from polyvox.statements.map_figures import UNKNOWN_REGION, compute_figures, figures_of
from polyvox.statements.models import (
    OpinionMapSnapshot,
    Statement,
    StatementStatus,
    Vote,
    VoteValue,
)
from polyvox.statements.selectors import MIN_CELL, latest_snapshot, vote_matrix


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


def stakeholder_crosstab(snapshot: OpinionMapSnapshot) -> list[GroupComposition]:
    """Each opinion group's composition by stakeholder group and region, small cells suppressed
    (stored with the map by its refresh: no vote is read here)."""
    labels = dict(StakeholderGroup.choices)
    return [
        GroupComposition(
            group=row["group"],
            size=row["size"],
            by_stakeholder_group=[
                Cell(str(labels.get(key, key)), count) for key, count in row["by_stakeholder_group"]
            ],
            by_region=[
                Cell(name if name != UNKNOWN_REGION else _("Unknown"), count)
                for name, count in row["by_region"]
            ],
        )
        for row in figures_of(snapshot)["crosstab"]
    ]


@dataclass(frozen=True)
class AgreementCell:
    label: str
    seen: int | None  # None when suppressed
    agree_percent: int | None


@dataclass(frozen=True)
class StatementAgreement:
    statement: Statement
    cells: list[AgreementCell]


def statement_agreement_by_stakeholder_group(
    process: Process, snapshot: OpinionMapSnapshot | None = None
) -> list[StatementAgreement]:
    """Per accepted statement, the agree share within each stakeholder group (cells < 5 hidden),
    as of the map `snapshot` (the latest by default). A statement newer than the map has no
    figures yet: its cells read as suppressed."""
    snapshot = snapshot or latest_snapshot(process)
    if snapshot is None:  # no map yet: the figures of the current votes, stored nowhere
        found = compute_figures(vote_matrix(process), {})["agreement"]
    else:
        found = figures_of(snapshot)["agreement"]
    names = dict(StakeholderGroup.choices)
    labels = [str(names.get(key, key)) for key in found["stakeholder_groups"]]
    blank = [[None, None]] * len(labels)
    out = []
    for statement in Statement.objects.filter(process=process).accepted().order_by("id"):
        cells = found["statements"].get(str(statement.pk), blank)
        out.append(
            StatementAgreement(
                statement,
                [
                    AgreementCell(
                        label=label,
                        seen=seen,
                        agree_percent=round(100 * agree / seen) if seen else None,
                    )
                    for label, (seen, agree) in zip(labels, cells, strict=True)
                ],
            )
        )
    return out


@dataclass(frozen=True)
class Bridging:
    statement: Statement
    min_agree_percent: int


def bridging_statements(process: Process, snapshot: OpinionMapSnapshot) -> list[Bridging]:
    """Agreed by a majority in every opinion group and every stakeholder group with ≥ 5 voters
    (stored with the map by its refresh)."""
    found = figures_of(snapshot)["bridging"]
    by_id = Statement.objects.filter(process=process).in_bulk([b["statement_id"] for b in found])
    return [
        Bridging(by_id[b["statement_id"]], round(100 * b["min_agree_rate"]))
        for b in found
        if b["statement_id"] in by_id
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


def _tallies(
    rows: Iterable[tuple[int, str, int, int]], keys: list[str], columns: dict[int, int]
) -> GroupAgreement:
    """A `GroupAgreement` over `keys` x the compared statements from aggregated rows
    (statement id, group key, vote value, number of votes); `n_members` is left at zero."""
    index = {key: g for g, key in enumerate(keys)}
    shape = (len(keys), len(columns))
    agree, disagree, seen = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    for statement_id, key, value, n in rows:
        g, j = index[key], columns[statement_id]
        seen[g, j] += n
        if value == VoteValue.AGREE:
            agree[g, j] += n
        elif value == VoteValue.DISAGREE:
            disagree[g, j] += n
    return GroupAgreement(
        group_labels=np.arange(len(keys), dtype=np.int64),
        statement_ids=np.array(sorted(columns, key=columns.__getitem__), dtype=np.int64),
        n_members=np.zeros(len(keys), dtype=np.int64),
        n_agree=agree,
        n_disagree=disagree,
        n_seen=seen,
    )


def _by_group(
    others: QuerySet[Vote], key: Any, columns: dict[int, int]
) -> tuple[list[str], GroupAgreement]:
    """Votes of `others` counted by statement, `key` (an expression naming each voter's group:
    stakeholder group or organisation) and value, in the database; `n_members` is each group's
    voters on those statements. Two aggregate queries, whatever the number of votes."""
    grouped = others.annotate(key=key)
    rows = list(grouped.values_list("statement_id", "key", "value").annotate(n=Count("id")))
    members = dict(grouped.values_list("key").annotate(n=Count("participant_id", distinct=True)))
    keys = sorted(members)
    found = _tallies(rows, keys, columns)
    return keys, replace(found, n_members=np.array([members[k] for k in keys], dtype=np.int64))


def who_agrees_with(*, participant: Actor, process: Process, limit: int = 5) -> Allies:
    """Stakeholder groups and organisations (≥ 5 voters) whose votes matched the participant's
    more often than everyone else's did; from aggregates of the others, never naming anyone.

    Per request this reads the viewer's own votes and database aggregates of the others' votes
    on the statements the viewer agreed or disagreed with (GROUP BY statement, group, value):
    never the votes themselves, so its cost does not grow with the votes in the process.
    """
    nobody = Allies([], compared=False)
    if not is_signed_in(participant):
        return nobody
    counted = Vote.objects.filter(statement__process=process).exclude(
        statement__status=StatementStatus.PENDING
    )
    mine = dict(counted.filter(participant_id=participant.pk).values_list("statement_id", "value"))
    compared = sorted(sid for sid, value in mine.items() if value != VoteValue.PASS)
    if not compared:
        return nobody
    columns = {sid: j for j, sid in enumerate(compared)}
    row = np.array([mine[sid] for sid in compared], dtype=np.float64)
    others = counted.filter(statement_id__in=compared).exclude(participant_id=participant.pk)
    everyone = _tallies(
        (
            (sid, "", value, n)
            for sid, value, n in others.values_list("statement_id", "value").annotate(n=Count("id"))
        ),
        [""],
        columns,
    )
    if not (everyone.n_seen[0] >= MIN_CELL).any():
        return nobody
    stakeholder_keys, by_stakeholder = _by_group(
        others,
        Coalesce(
            "participant__profile__stakeholder_group", Value(StakeholderGroup.INDIVIDUAL.value)
        ),
        columns,
    )
    org_names, by_org = _by_group(
        others.filter(participant__profile__organisation__gt=""),
        F("participant__profile__organisation"),
        columns,
    )
    names = dict(StakeholderGroup.choices)
    found = [
        _matches("stakeholder_group", str(names[stakeholder_keys[m.group_label]]), m)
        for m in groups_agreeing_more_than_average(row, by_stakeholder, everyone, min_cell=MIN_CELL)
    ]
    found += [
        _matches("organisation", org_names[m.group_label], m)
        for m in groups_agreeing_more_than_average(row, by_org, everyone, min_cell=MIN_CELL)
    ]
    ranked = sorted(
        found, key=lambda k: (-(k.match_percent - k.average_percent), -k.match_percent, k.label)
    )
    return Allies(ranked[:limit], compared=True)


BRIDGING_ROWS = 20  # statements in the page's bridging-score table (the API lists all)


@dataclass(frozen=True)
class BridgingScoreRow:
    statement: Statement
    group_informed_consensus: float | None
    bridging_score: float
    by_stakeholder_group: list[float | None]  # None: fewer than 5 of the group rated it


@dataclass(frozen=True)
class BridgingScoreTable:
    """The matrix-factorisation bridging score beside group-informed consensus, overall and
    per stakeholder group (docs/analytics.md, "Bridging: matrix factorisation and group-informed
    consensus"); highest bridging score first."""

    stakeholder_groups: list[str]
    rows: list[BridgingScoreRow]


def bridging_score_table(
    process: Process, snapshot: OpinionMapSnapshot, *, limit: int | None = BRIDGING_ROWS
) -> BridgingScoreTable:
    """The stored bridging scores of the map, best first; statements hidden by moderation and
    those of another process are left out. `limit=None` keeps every scored statement."""
    figures = figures_of(snapshot)
    stored = figures["bridging_mf"]
    consensus = figures["group_informed_consensus"]
    ranked = sorted(stored["statements"].items(), key=lambda item: (-item[1][0], int(item[0])))
    by_id = Statement.objects.filter(process=process, hidden_at__isnull=True).in_bulk(
        [int(sid) for sid, _score in ranked]
    )
    names = dict(StakeholderGroup.choices)
    rows = [
        BridgingScoreRow(by_id[int(sid)], consensus.get(sid), overall, by_group)
        for sid, (overall, by_group) in ranked
        if int(sid) in by_id
    ]
    return BridgingScoreTable(
        stakeholder_groups=[str(names.get(k, k)) for k in stored["stakeholder_groups"]],
        rows=rows[:limit] if limit is not None else rows,
    )
