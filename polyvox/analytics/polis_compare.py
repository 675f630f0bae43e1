"""How far Polyvox's opinion map agrees with the one Pol.is computed for the same conversation.

Three figures, each on what both sides produced:

* groups: the adjusted Rand index (Hubert & Arabie 1985, "Comparing partitions", Journal of
  Classification 2:193-218) of the two group labellings, over participants both placed;
  1 = the same partition, about 0 = no better than chance;
* representative statements: groups are matched one to one by the most shared members
  (Hungarian method, `scipy.optimize.linear_sum_assignment`), then the Jaccard index of the two
  groups' representative statement sets;
* consensus: the Jaccard index of Pol.is's `consensus` agree (and disagree) list and Polyvox's
  Pol.is consensus (`OpinionMap.consensus.agree` / `.disagree`).

Jaccard of two empty sets is 1 (both sides agree there is nothing). Pure numpy/scipy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from polyvox.analytics.polis_math import PolisMath
from polyvox.analytics.types import OpinionMap


def adjusted_rand_index(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Adjusted Rand index of two labellings of the same items (Hubert & Arabie 1985).

    From the contingency table n_ij: (index - expected) / (max - expected) with
    index = sum C(n_ij, 2), expected = sum C(a_i, 2) sum C(b_j, 2) / C(n, 2) and
    max = (sum C(a_i, 2) + sum C(b_j, 2)) / 2. Where max = expected (fewer than two items, or
    both labellings trivial) the partitions are identical and 1.0 is returned, as
    scikit-learn's `adjusted_rand_score` does.
    """
    x, y = np.asarray(a).ravel(), np.asarray(b).ravel()
    if len(x) != len(y):
        raise ValueError("both labellings must label the same items")
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    if len(x) < 2:
        return 1.0
    table = np.zeros((xi.max() + 1, yi.max() + 1), dtype=np.float64)
    np.add.at(table, (xi, yi), 1.0)

    def pairs(counts: npt.NDArray[np.float64]) -> float:
        return float((counts * (counts - 1) / 2).sum())

    index, rows, cols = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    expected = rows * cols / (len(x) * (len(x) - 1) / 2)
    best = (rows + cols) / 2
    if best == expected:
        return 1.0
    return (index - expected) / (best - expected)


def jaccard(a: Iterable[int], b: Iterable[int]) -> float:
    """Shared over all: |A and B| / |A or B|; 1.0 when both are empty."""
    sa, sb = set(a), set(b)
    union = sa | sb
    return 1.0 if not union else len(sa & sb) / len(union)


@dataclass(frozen=True)
class GroupAgreement:
    """Polyvox's groups against Pol.is's on participants both placed."""

    ari: float
    polis_groups: int
    polyvox_groups: int
    participants_compared: int
    polis_placed: int  # participants in a Pol.is group
    polyvox_placed: int  # participants on Polyvox's map


@dataclass(frozen=True)
class RepresentativeMatch:
    """A Pol.is group, the Polyvox group sharing most of its members, and their repness overlap."""

    polis_group: int
    polyvox_group: int
    shared_members: int
    jaccard: float
    polis: tuple[int, ...]
    polyvox: tuple[int, ...]


@dataclass(frozen=True)
class ListAgreement:
    """Two statement lists (Pol.is's first) and their Jaccard index."""

    jaccard: float
    polis: tuple[int, ...]
    polyvox: tuple[int, ...]


@dataclass(frozen=True)
class PolisComparison:
    """Result of `compare_with_polis`; parts Pol.is's output lacks are None."""

    groups: GroupAgreement
    representative: tuple[RepresentativeMatch, ...] | None
    consensus_agree: ListAgreement | None
    consensus_disagree: ListAgreement | None


def compare_groups(
    om: OpinionMap, polis_group_of: dict[int, int]
) -> tuple[GroupAgreement, list[tuple[int, int, int]]]:
    """ARI over participants both placed, and the one-to-one matching of groups by most shared
    members as (Pol.is group, Polyvox group, shared members)."""
    ours = {int(p): int(g) for p, g in zip(om.participant_ids, om.labels, strict=True)}
    common = sorted(set(ours) & set(polis_group_of))
    theirs_l = np.array([polis_group_of[p] for p in common], dtype=np.int64)
    ours_l = np.array([ours[p] for p in common], dtype=np.int64)
    agreement = GroupAgreement(
        ari=adjusted_rand_index(theirs_l, ours_l) if common else float("nan"),
        polis_groups=len(set(polis_group_of.values())),
        polyvox_groups=len(om.groups),
        participants_compared=len(common),
        polis_placed=len(polis_group_of),
        polyvox_placed=len(ours),
    )
    if not common:
        return agreement, []
    t_ids, t_idx = np.unique(theirs_l, return_inverse=True)
    o_ids, o_idx = np.unique(ours_l, return_inverse=True)
    table = np.zeros((len(t_ids), len(o_ids)), dtype=np.int64)
    np.add.at(table, (t_idx, o_idx), 1)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return agreement, [
        (int(t_ids[r]), int(o_ids[c]), int(table[r, c])) for r, c in zip(rows, cols, strict=True)
    ]


def compare_with_polis(om: OpinionMap, polis: PolisMath) -> PolisComparison:
    """Polyvox's map `om` against Pol.is's math output for the same conversation."""
    groups, matching = compare_groups(om, polis.group_of())
    representative = None
    if polis.repness is not None:
        ours = {g.id: tuple(r.statement_id for r in g.representative) for g in om.groups}
        representative = tuple(
            RepresentativeMatch(
                polis_group=t,
                polyvox_group=o,
                shared_members=shared,
                jaccard=jaccard(theirs, ours[o]),
                polis=theirs,
                polyvox=ours[o],
            )
            for t, o, shared in matching
            for theirs in [tuple(r.statement_id for r in polis.repness.get(t, ()))]
        )
    ours_agree = tuple(int(c.statement_id) for c in om.consensus.agree)
    ours_disagree = tuple(int(c.statement_id) for c in om.consensus.disagree)
    agree = disagree = None
    if polis.consensus_agree is not None:
        agree = ListAgreement(
            jaccard(polis.consensus_agree, ours_agree), polis.consensus_agree, ours_agree
        )
    if polis.consensus_disagree is not None:
        disagree = ListAgreement(
            jaccard(polis.consensus_disagree, ours_disagree),
            polis.consensus_disagree,
            ours_disagree,
        )
    return PolisComparison(groups, representative, agree, disagree)
