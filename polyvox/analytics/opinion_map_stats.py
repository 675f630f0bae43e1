"""Statement statistics: Pol.is repness, Pol.is consensus, group-informed consensus, divisiveness,
agreement per arbitrary grouping, bridging statements and "who agrees with you".

Sources: Small et al. 2021, "Polis: Scaling deliberation by mapping high dimensional opinion
spaces" (section on representative comments and group-informed consensus), and the Pol.is math
documentation (compdemocracy.org/algorithms). Written from those descriptions, not from Pol.is code.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from polyvox.analytics.types import (
    BridgingStatement,
    ConsensusPick,
    ConsensusStatement,
    DivisiveStatement,
    FloatArray,
    GroupAgreement,
    GroupMatch,
    GroupSimilarity,
    IntArray,
    PolisConsensus,
    RepresentativeStatement,
    VoteMatrix,
)


def group_counts(
    votes: VoteMatrix, row_group: IntArray, n_groups: int
) -> tuple[IntArray, IntArray, IntArray]:
    """(agree, disagree, seen) counts, each (n_groups, n_statements); rows with group < 0 skipped."""
    n_s = votes.shape[1]
    size = n_groups * n_s
    # key = group * n_s + col, -1 outside any group; a bincount over (key, vote) cells at once
    key = row_group[votes.rows]
    inside = key >= 0
    key *= n_s
    key += votes.cols
    key *= 3
    key += votes.values + 1  # vote -1, 0, 1 -> 0, 1, 2
    cell = key[inside] if not inside.all() else key
    del key, inside
    c = np.bincount(cell, minlength=3 * size).reshape(n_groups, n_s, 3).astype(np.int64)
    return c[:, :, 2].copy(), c[:, :, 0].copy(), c.sum(2)


def smoothed(success: IntArray, seen: IntArray) -> FloatArray:
    """Laplace-smoothed proportion (n + 1) / (seen + 2), as Pol.is uses throughout."""
    return (success + 1.0) / (seen + 2.0)


def one_proportion_z(success: IntArray, seen: IntArray) -> FloatArray:
    """z of a one-proportion test of the (pseudo-counted) share against 1/2 (Pol.is repness)."""
    n = seen + 1.0
    return np.asarray(2.0 * np.sqrt(n) * ((success + 1.0) / n - 0.5), dtype=np.float64)


def two_proportion_z(
    s_in: IntArray, n_in: IntArray, s_out: IntArray, n_out: IntArray
) -> FloatArray:
    """z of the pooled two-proportion test, with one pseudo-count added to successes and trials."""
    s1, s2, n1, n2 = s_in + 1.0, s_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denom
    return np.where(denom > 0, z, 0.0)


def representative_statements(
    votes: VoteMatrix,
    row_group: IntArray,
    n_groups: int,
    *,
    confidence: float = 0.90,
    pick_max: int = 5,
    counts: tuple[IntArray, IntArray, IntArray] | None = None,
) -> list[tuple[RepresentativeStatement, ...]]:
    """Pol.is repness per group: statements where the group differs significantly from the rest.

    A statement is representative for agree when both one-sided tests pass at `confidence`: the
    group's smoothed agree share is above 1/2 and above the out-group's (Small et al. 2021). The
    choice among them follows Pol.is's math worker, best agree first (`_select_representative`).
    `counts` are `group_counts(votes, row_group, n_groups)` when the caller has them already.
    """
    na, nd, ns = group_counts(votes, row_group, n_groups) if counts is None else counts
    z_crit = float(norm.ppf(confidence))
    na_out, nd_out, ns_out = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    usable = ~votes.moderated_out  # moderated-out statements are never representative
    result: list[tuple[RepresentativeStatement, ...]] = []
    for g in range(n_groups):
        stats = {
            direction: _side_stats(s_in, ns[g], s_out, ns_out[g])
            for direction, s_in, s_out in (
                ("agree", na[g], na_out[g]),
                ("disagree", nd[g], nd_out[g]),
            )
        }
        result.append(
            _select_representative(votes, g, (na, nd, ns), stats, usable, z_crit, pick_max)
        )
    return result


Side = tuple[FloatArray, FloatArray, FloatArray, FloatArray]  # p, its z, ratio, its z


def _side_stats(s_in: IntArray, seen: IntArray, s_out: IntArray, seen_out: IntArray) -> Side:
    """One direction's repness figures for one group: (p, p's z, ratio r, r's z)."""
    p = smoothed(s_in, seen)
    return (
        p,
        one_proportion_z(s_in, seen),
        p / smoothed(s_out, seen_out),
        two_proportion_z(s_in, seen, s_out, seen_out),
    )


def _select_representative(
    votes: VoteMatrix,
    g: int,
    counts: tuple[IntArray, IntArray, IntArray],
    stats: dict[str, Side],
    usable: npt.NDArray[np.bool_],
    z_crit: float,
    pick_max: int,
) -> tuple[RepresentativeStatement, ...]:
    """Pol.is's choice of a group's representative statements (repness.clj, select-rep-comments).

    * A statement is *sufficient* when, for agree or for disagree, both tests pass (the group's
      share above 1/2, and above the rest's). It counts for the side whose ratio test is larger.
    * The group's *best agree* statement is always shown first: among statements someone agreed
      or disagreed with, the first one whose agree test passes (or whose agree ratio is above 1
      with a share above 1/2) starts it; a later one replaces it when it beats it by ratio x its
      z x share x its z (while the best's ratio is above 1) or else by share x its z.
    * Sufficient statements rank by ratio x its z x share x its z of their side; with the best
      agree there are `pick_max` in all; agrees are listed before disagrees.
    * With none sufficient: the best agree alone, else the statement with the best ratio test.

    Statements are visited in id order (Pol.is: the order they first got votes, which the
    exports do not keep; red-dwarf also uses id order), and ties keep the first.
    """
    na, nd, ns = counts
    pa, pat, ra, rat = stats["agree"]
    pd, pdt, rd, rdt = stats["disagree"]
    order = np.flatnonzero(usable)
    sufficient = ((pat > z_crit) & (rat > z_crit)) | ((pdt > z_crit) & (rdt > z_crit))
    agree_side = rat > rdt
    metric = np.where(agree_side, ra * rat * pa * pat, rd * rdt * pd * pdt)
    best_agree: int | None = None
    for j in order[(na[g][order] + nd[g][order]) > 0].tolist():
        if best_agree is None:
            if pat[j] > z_crit or (ra[j] > 1.0 and pa[j] > 0.5):
                best_agree = j
        elif ra[best_agree] > 1.0:
            b = best_agree
            if ra[j] * rat[j] * pa[j] * pat[j] > ra[b] * rat[b] * pa[b] * pat[b]:
                best_agree = j
        elif pa[j] * pat[j] > pa[best_agree] * pat[best_agree]:
            best_agree = j

    def rep(j: int, agree: bool) -> RepresentativeStatement:
        s_in, side = (na[g], stats["agree"]) if agree else (nd[g], stats["disagree"])
        return _rep(votes, j, "agree" if agree else "disagree", s_in, ns[g], *side)

    picked = order[sufficient[order]]
    if len(picked) == 0:
        if best_agree is not None:
            return (rep(best_agree, True),)
        voted = order[ns[g][order] > 0]
        if len(voted) == 0:
            return ()
        j = int(voted[np.argmax(np.maximum(rat, rdt)[voted])])
        return (rep(j, bool(agree_side[j])),)
    picked = picked[picked != best_agree] if best_agree is not None else picked
    room = pick_max - (best_agree is not None)
    picked = picked[np.argsort(-metric[picked], kind="stable")][:room]
    # The best agree is shown with its agree figures: Pol.is's report shows its agree count even
    # when its two ratio tests tie and the math output files it under "disagree".
    head = [rep(best_agree, True)] if best_agree is not None else []
    chosen = head + [rep(int(j), bool(agree_side[j])) for j in picked.tolist()]
    return tuple(sorted(chosen, key=lambda r: r.direction != "agree"))  # stable: agrees first


def _rep(
    votes: VoteMatrix,
    j: int,
    direction: str,
    s_in: IntArray,
    seen: IntArray,
    p: FloatArray,
    pt: FloatArray,
    r: FloatArray,
    rt: FloatArray,
) -> RepresentativeStatement:
    return RepresentativeStatement(
        statement_id=int(votes.statement_ids[j]),
        direction="agree" if direction == "agree" else "disagree",
        n_success=int(s_in[j]),
        n_seen=int(seen[j]),
        probability=float(p[j]),
        probability_test=float(pt[j]),
        repness=float(r[j]),
        repness_test=float(rt[j]),
    )


def group_aware_consensus(
    na: IntArray, nd: IntArray, ns: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Group-informed consensus: product over groups of (agree + 1) / (seen + 2) (and disagree).

    A statement scores high only if every group leans the same way, however small the group
    (Small et al. 2021, "group-informed consensus").
    """
    return smoothed(na, ns).prod(0), smoothed(nd, ns).prod(0)


def group_informed_consensus_statements(
    votes: VoteMatrix, na: IntArray, nd: IntArray, ns: IntArray, *, pick_max: int = 5
) -> tuple[ConsensusStatement, ...]:
    """Top statements by group-informed consensus, agree then disagree (not Pol.is's `consensus`,
    which is `polis_consensus`).

    We also require every group's smoothed share to exceed 1/2, so that a statement that one group
    ignores never ranks as consensus merely because the others agree.
    """
    out: list[ConsensusStatement] = []
    gac_a, gac_d = group_aware_consensus(na, nd, ns)
    for direction, gac, n in (("agree", gac_a, na), ("disagree", gac_d, nd)):
        ok = ~votes.moderated_out & (smoothed(n, ns) > 0.5).all(0)
        idx = np.flatnonzero(ok)
        idx = idx[np.lexsort((idx, -gac[idx]))][:pick_max]
        out.extend(
            ConsensusStatement(
                statement_id=int(votes.statement_ids[j]),
                direction="agree" if direction == "agree" else "disagree",
                score=float(gac[j]),
            )
            for j in idx
        )
    return tuple(out)


POLIS_CONSENSUS_CONFIDENCE = 0.90  # Pol.is: one-sided 90 % ("z-sig-90", z > 1.2816)
POLIS_CONSENSUS_THRESHOLD = 0.5  # Pol.is: the smoothed share must exceed one half


def polis_consensus(
    votes: VoteMatrix,
    *,
    pick_max: int = 5,
    confidence: float = POLIS_CONSENSUS_CONFIDENCE,
    threshold: float = POLIS_CONSENSUS_THRESHOLD,
) -> PolisConsensus:
    """Pol.is's consensus: statements most of everyone agrees (disagrees) with, groups ignored.

    Over every vote of every participant (not only those placed on the map), per statement:
    na, nd agrees and disagrees, ns votes seen (passes included);
    pa = (na + 1) / (ns + 2) and its test z = 2 sqrt(ns + 1) ((na + 1) / (ns + 1) - 1/2).
    A statement is an agree candidate when pa > 1/2 and z exceeds the one-sided 90 % critical
    value; candidates rank by pa x z and the best `pick_max` (5) are kept; disagree likewise.
    Moderated-out statements are never picked. Sources: the Pol.is math worker's consensus step
    (compdemocracy/polis, math/src/polismath/math/repness.clj, "consensus-stats" and
    "select-consensus-comments"), as red-dwarf re-implements it (`select_consensus_statements`,
    documented as taking "the full raw vote matrix (not just clusterable participants)"). Ties
    break by statement id so the list is deterministic.
    """
    n_s = votes.shape[1]
    na = np.bincount(votes.cols[votes.values == 1], minlength=n_s)
    nd = np.bincount(votes.cols[votes.values == -1], minlength=n_s)
    ns = np.bincount(votes.cols, minlength=n_s)
    z_crit = float(norm.ppf(confidence))
    picks: dict[str, tuple[ConsensusPick, ...]] = {}
    for direction, n in (("agree", na), ("disagree", nd)):
        p = smoothed(n, ns)
        z = one_proportion_z(n, ns)
        ok = ~votes.moderated_out & (ns > 0) & (p > threshold) & (z > z_crit)
        idx = np.flatnonzero(ok)
        idx = idx[np.lexsort((votes.statement_ids[idx], -(p[idx] * z[idx])))][:pick_max]
        picks[direction] = tuple(
            ConsensusPick(
                statement_id=int(votes.statement_ids[j]),
                direction="agree" if direction == "agree" else "disagree",
                n_success=int(n[j]),
                n_trials=int(ns[j]),
                p_success=float(p[j]),
                p_test=float(z[j]),
            )
            for j in idx
        )
    return PolisConsensus(agree=picks["agree"], disagree=picks["disagree"])


def divisive_statements(
    votes: VoteMatrix, na: IntArray, ns: IntArray, *, pick_max: int = 5
) -> tuple[DivisiveStatement, ...]:
    """Statements whose smoothed agree share varies most across opinion groups.

    Variance of (agree + 1) / (seen + 2) over groups: the smoothing pulls rarely-seen cells to 1/2
    so a statement seen by two people in one group does not look divisive. Pol.is has no single
    published divisiveness score; this is our choice, documented in docs/analytics.md.
    """
    if na.shape[0] < 2:
        return ()
    rates = smoothed(na, ns)
    var = rates.var(0)
    ok = ~votes.moderated_out & (var > 0)
    idx = np.flatnonzero(ok)
    idx = idx[np.lexsort((idx, -var[idx]))][:pick_max]
    return tuple(
        DivisiveStatement(
            statement_id=int(votes.statement_ids[j]),
            score=float(var[j]),
            agree_rates=tuple(float(x) for x in rates[:, j]),
        )
        for j in idx
    )


def group_agreement(votes: VoteMatrix, labels: npt.ArrayLike) -> GroupAgreement:
    """Agree/disagree/seen counts per label x statement for any grouping of participants.

    `labels` has one integer per `votes.participant_ids` (e.g. opinion group or stakeholder group);
    negative labels mean "not in any group". Used for stakeholder cross-tabs.
    """
    lab = np.asarray(labels, dtype=np.int64).ravel()
    if len(lab) != votes.shape[0]:
        raise ValueError("labels must have one entry per participant")
    uniq, inv = np.unique(lab, return_inverse=True)
    inv = np.where(lab >= 0, inv, -1)
    keep = uniq >= 0
    remap = np.full(len(uniq), -1, dtype=np.int64)
    remap[keep] = np.arange(int(keep.sum()))
    row_group = np.where(inv >= 0, remap[inv], -1)
    n_g = int(keep.sum())
    na, nd, ns = group_counts(votes, row_group, n_g)
    members = np.bincount(row_group[row_group >= 0], minlength=n_g).astype(np.int64)
    return GroupAgreement(
        group_labels=uniq[keep].astype(np.int64),
        statement_ids=votes.statement_ids,
        n_members=members,
        n_agree=na,
        n_disagree=nd,
        n_seen=ns,
    )


def bridging_statements(
    votes: VoteMatrix,
    groupings: Sequence[npt.ArrayLike],
    *,
    min_voters: int = 5,
) -> tuple[BridgingStatement, ...]:
    """Statements agreed by a majority (agrees > half of votes, passes included) in every group,
    of every grouping, that has at least `min_voters` votes on it.

    Each grouping (opinion groups, stakeholder groups, regions...) must have at least one group
    with enough voters on the statement, otherwise the statement cannot be said to bridge it.
    Sorted by the lowest agree share, highest first.
    """
    n_s = votes.shape[1]
    if not groupings:
        return ()
    min_rate = np.ones(n_s)
    n_groups = np.zeros(n_s, dtype=np.int64)
    ok = ~votes.moderated_out
    for labels in groupings:
        ga = group_agreement(votes, labels)
        enough = ga.n_seen >= min_voters
        rate = np.where(enough, ga.n_agree / np.maximum(ga.n_seen, 1), np.inf)
        ok &= enough.any(0) & (rate > 0.5).all(0)
        min_rate = np.minimum(min_rate, rate.min(0, initial=np.inf))
        n_groups += enough.sum(0)
    idx = np.flatnonzero(ok)
    idx = idx[np.lexsort((idx, -min_rate[idx]))]
    return tuple(
        BridgingStatement(
            statement_id=int(votes.statement_ids[j]),
            min_agree_rate=float(min_rate[j]),
            n_groups=int(n_groups[j]),
        )
        for j in idx
    )


def closest_groups(
    participant_row: npt.ArrayLike,
    group_profiles: GroupAgreement,
    *,
    min_cell: int = 5,
) -> tuple[GroupSimilarity, ...]:
    """Groups whose aggregate votes are closest to one participant's ("who agrees with you").

    `participant_row` has one entry per `group_profiles.statement_ids`: 1, -1, 0 (pass) or NaN
    (not voted). Similarity is the mean, over statements the participant agreed or disagreed with
    and that at least `min_cell` group members voted on, of vote x the group's net agreement
    (agree - disagree) / seen, so it lies in [-1, 1]. Groups with fewer than `min_cell` members are
    never returned (small cells are suppressed), nor are groups with no such statement.
    """
    row = np.asarray(participant_row, dtype=np.float64).ravel()
    if len(row) != len(group_profiles.statement_ids):
        raise ValueError("participant_row must have one entry per statement")
    voted = np.isfinite(row) & (row != 0)
    out: list[GroupSimilarity] = []
    for g, label in enumerate(group_profiles.group_labels.tolist()):
        if group_profiles.n_members[g] < min_cell:
            continue
        seen = group_profiles.n_seen[g]
        cells = voted & (seen >= min_cell)
        if not cells.any():
            continue
        net = (group_profiles.n_agree[g][cells] - group_profiles.n_disagree[g][cells]) / seen[cells]
        out.append(
            GroupSimilarity(
                group_label=int(label),
                similarity=float(np.mean(row[cells] * net)),
                n_statements=int(cells.sum()),
                n_members=int(group_profiles.n_members[g]),
            )
        )
    return tuple(sorted(out, key=lambda s: (-s.similarity, s.group_label)))


def groups_agreeing_more_than_average(
    participant_row: npt.ArrayLike,
    group_profiles: GroupAgreement,
    everyone: GroupAgreement,
    *,
    min_cell: int = 5,
) -> tuple[GroupMatch, ...]:
    """Groups whose votes match one participant's more often than everyone else's do.

    `participant_row` is as for `closest_groups`; `everyone` has one group: all the other
    voters. For each group with at least `min_cell` members, the statements counted are those
    the participant agreed or disagreed with and at least `min_cell` of the group voted on; the
    group's match rate is its votes equal to the participant's over all its votes there (passes
    count as not matching), and the average is the same share among everyone on the same
    statements. Only groups strictly above that average are returned, the widest margin first:
    a group that agrees less than the average participant does not "agree with you", whatever
    its share (the complaint of issue 13 was 0 % and negative similarities listed as allies).
    """
    row = np.asarray(participant_row, dtype=np.float64).ravel()
    if len(row) != len(group_profiles.statement_ids) or len(everyone.group_labels) > 1:
        raise ValueError("one entry per statement, and one group for everyone")
    voted = np.isfinite(row) & (row != 0)
    if len(everyone.group_labels) == 0:
        return ()
    all_match = np.where(row > 0, everyone.n_agree[0], everyone.n_disagree[0])
    all_seen = everyone.n_seen[0]
    out: list[GroupMatch] = []
    for g, label in enumerate(group_profiles.group_labels.tolist()):
        if group_profiles.n_members[g] < min_cell:
            continue
        seen = group_profiles.n_seen[g]
        cells = voted & (seen >= min_cell)
        if not cells.any():
            continue
        match = np.where(row > 0, group_profiles.n_agree[g], group_profiles.n_disagree[g])
        found = GroupMatch(
            group_label=int(label),
            matched=int(match[cells].sum()),
            seen=int(seen[cells].sum()),
            average_matched=int(all_match[cells].sum()),
            average_seen=int(all_seen[cells].sum()),
            n_statements=int(cells.sum()),
            n_members=int(group_profiles.n_members[g]),
        )
        # matched/seen > average_matched/average_seen, in integers (no rounding at the edge)
        if found.matched * found.average_seen > found.average_matched * found.seen:
            out.append(found)
    return tuple(sorted(out, key=lambda m: (-(m.rate - m.average_rate), -m.rate, m.group_label)))
