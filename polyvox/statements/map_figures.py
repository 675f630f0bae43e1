"""Whole-process figures of an opinion map, computed once per refresh and stored on the snapshot
(`OpinionMapSnapshot.figures`) so that the map page and the API read one row instead of every
vote of the process (issue 14: at 5M votes reading them took minutes per request).

What is stored holds no participant id and no cell under `MIN_CELL` people: small cells are
suppressed here, before storage, not only when shown. Labels are stored as keys (stakeholder
group values, region names) and translated when shown.
"""

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from polyvox.analytics.bridging_mf import (
    BridgingScores,
    bridging_scores,
    bridging_scores_by_group,
)
from polyvox.analytics.opinion_map import bridging_statements as engine_bridging
from polyvox.analytics.opinion_map import group_agreement
from polyvox.analytics.opinion_map_stats import group_aware_consensus
from polyvox.analytics.types import VoteMatrix
from polyvox.participants.models import Profile, StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.statements.models import OpinionMapSnapshot
from polyvox.statements.selectors import MIN_CELL, vote_matrix

FIGURES_VERSION = 2  # 2: bridging scores (matrix factorisation)
STAKEHOLDER_GROUPS: list[str] = list(StakeholderGroup.values)
UNKNOWN_REGION = ""  # stored for people without a known country; shown as "Unknown"
_IN_CHUNK = 5000  # ids per `IN (…)` query: SQLite allows 32,766 parameters at most


def profiles_of(user_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """user id → (stakeholder group, country, organisation), in chunks of `_IN_CHUNK` ids."""
    ids = sorted(set(user_ids))
    out: dict[int, tuple[str, str, str]] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        rows = Profile.objects.filter(user_id__in=ids[start : start + _IN_CHUNK]).values_list(
            "user_id", "stakeholder_group", "country", "organisation"
        )
        out.update({uid: (group, country, org) for uid, group, country, org in rows})
    return out


def _suppressed(count: int) -> int | None:
    return count if count >= MIN_CELL else None


def _stakeholder_labels(
    participant_ids: list[int], profiles: dict[int, tuple[str, str, str]]
) -> npt.NDArray[np.int64]:
    return np.array(
        [
            STAKEHOLDER_GROUPS.index(profiles.get(uid, (StakeholderGroup.INDIVIDUAL,))[0])
            for uid in participant_ids
        ],
        dtype=np.int64,
    )


def _crosstab(
    result: dict[str, Any], profiles: dict[int, tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """Each opinion group's size and composition by stakeholder group and region."""
    people = result.get("participants", [])
    out = []
    for g in result.get("groups", []):
        members = [p["id"] for p in people if p["group"] == g["id"]]
        by_group: dict[str, int] = {}
        by_region: dict[str, int] = {}
        for uid in members:
            group, country, _org = profiles.get(uid, (StakeholderGroup.INDIVIDUAL, "", ""))
            by_group[group] = by_group.get(group, 0) + 1
            region = region_of(country)
            name = region.region if region else UNKNOWN_REGION
            by_region[name] = by_region.get(name, 0) + 1
        out.append(
            {
                "group": g["id"],
                "size": len(members),
                "by_stakeholder_group": [
                    [k, _suppressed(by_group[k])] for k in STAKEHOLDER_GROUPS if k in by_group
                ],
                "by_region": [[k, _suppressed(v)] for k, v in sorted(by_region.items())],
            }
        )
    return out


def _agreement(votes: VoteMatrix, stakeholder: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Per statement, [voters, agree count] within each stakeholder group present, or
    [None, None] where fewer than `MIN_CELL` of the group voted on it."""
    ga = group_agreement(votes, stakeholder)
    keys = [STAKEHOLDER_GROUPS[label] for label in ga.group_labels.tolist()]
    cells: dict[str, list[list[int | None]]] = {}
    for j, sid in enumerate(votes.statement_ids.tolist()):
        row: list[list[int | None]] = []
        for g in range(len(keys)):
            seen = int(ga.n_seen[g, j])
            shown = seen >= MIN_CELL
            row.append([seen, int(ga.n_agree[g, j])] if shown else [None, None])
        cells[str(sid)] = row
    return {"stakeholder_groups": keys, "statements": cells}


def _opinion_labels(votes: VoteMatrix, result: dict[str, Any]) -> npt.NDArray[np.int64]:
    group_of = {p["id"]: p["group"] for p in result.get("participants", [])}
    return np.array(
        [group_of.get(uid, -1) for uid in votes.participant_ids.tolist()], dtype=np.int64
    )


def _group_informed_consensus(
    votes: VoteMatrix, opinion: npt.NDArray[np.int64]
) -> dict[str, float]:
    """Statement id → group-informed consensus (agree), for every statement, where the map has
    groups: the product over opinion groups of (agree + 1) / (seen + 2) (Small et al. 2021)."""
    ga = group_agreement(votes, opinion)
    if len(ga.group_labels) == 0:
        return {}
    agree, _disagree = group_aware_consensus(ga.n_agree, ga.n_disagree, ga.n_seen)
    return {
        str(sid): round(float(agree[j]), 6)
        for j, sid in enumerate(votes.statement_ids.tolist())
        if not votes.moderated_out[j]
    }


def _rounded(fit: BridgingScores) -> list[float | None]:
    """Each statement's bridging score, None where it is not scored (moderated out, or fewer
    than 5 ratings: the small-cell rule comes with the fit's `min_ratings`)."""
    return [None if np.isnan(x) else round(float(x), 4) for x in fit.intercept.tolist()]


def _bridging_mf(votes: VoteMatrix, stakeholder: npt.NDArray[np.int64]) -> dict[str, Any]:
    """Matrix-factorisation bridging scores (`bridging_mf`) overall (every voter) and per
    stakeholder group (a fit on that group's voters only); a group with fewer than `MIN_CELL`
    voters is not fitted and shows nothing."""
    sizes = np.bincount(stakeholder, minlength=len(STAKEHOLDER_GROUPS))
    fitted = np.where(sizes[stakeholder] >= MIN_CELL, stakeholder, -1)
    by_group = bridging_scores_by_group(votes, fitted, min_ratings=MIN_CELL)
    keys = [STAKEHOLDER_GROUPS[label] for label in np.unique(stakeholder).tolist()]
    blank: list[float | None] = [None] * votes.shape[1]
    columns = [
        _rounded(by_group[label]) if label in by_group else blank
        for label in np.unique(stakeholder).tolist()
    ]
    overall = _rounded(bridging_scores(votes, min_ratings=MIN_CELL))
    return {
        "stakeholder_groups": keys,
        "statements": {
            str(sid): [overall[j], [column[j] for column in columns]]
            for j, sid in enumerate(votes.statement_ids.tolist())
            if overall[j] is not None
        },
    }


def compute_figures(votes: VoteMatrix, result: dict[str, Any]) -> dict[str, Any]:
    """The figures stored with a map: `result` is its stored form (`opinion_map_json`) and
    `votes` the matrix it was computed from. Reads the voters' profiles, in chunks."""
    ids = votes.participant_ids.tolist()
    profiles = profiles_of([*ids, *(p["id"] for p in result.get("participants", []))])
    stakeholder = _stakeholder_labels(ids, profiles)
    opinion = _opinion_labels(votes, result)
    bridging = engine_bridging(votes, [opinion, stakeholder], min_voters=MIN_CELL)
    return {
        "version": FIGURES_VERSION,
        "crosstab": _crosstab(result, profiles),
        "agreement": _agreement(votes, stakeholder),
        "bridging": [
            {"statement_id": b.statement_id, "min_agree_rate": b.min_agree_rate} for b in bridging
        ],
        "group_informed_consensus": _group_informed_consensus(votes, opinion),
        "bridging_mf": _bridging_mf(votes, stakeholder),
    }


def figures_of(snapshot: OpinionMapSnapshot) -> dict[str, Any]:
    """The snapshot's stored figures. A map stored before they existed (or by an older version)
    gets them computed once from the current votes and saved, so only its first reader pays."""
    if snapshot.figures.get("version") == FIGURES_VERSION:
        return snapshot.figures
    snapshot.figures = compute_figures(vote_matrix(snapshot.process), snapshot.result)
    if snapshot.pk is not None:
        OpinionMapSnapshot.objects.filter(pk=snapshot.pk).update(figures=snapshot.figures)
    return snapshot.figures
