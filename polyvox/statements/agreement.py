"""Who agrees with whom on a process's statements: the opinion groups by stakeholder group,
agreement by stakeholder group, bridging statements, and "who agrees with you". Reads, like
`selectors`; every stakeholder-aware figure suppresses cells under 5 people."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from polyvox.analytics.opinion_map import bridging_statements as engine_bridging
from polyvox.analytics.opinion_map import group_agreement, groups_agreeing_more_than_average
from polyvox.analytics.types import GroupMatch, VoteMatrix
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.models import Profile, StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.processes.models import Process
from polyvox.statements.models import OpinionMapSnapshot, Statement
from polyvox.statements.selectors import MIN_CELL, vote_matrix

STAKEHOLDER_GROUPS: list[str] = list(StakeholderGroup.values)


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
