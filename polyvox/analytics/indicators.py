"""Indicators of a process's inclusion and legitimacy, as pure functions over counts.

Participation (inputs by stakeholder group, region and gender against targets, the representation
score, the Global South share), responsiveness (answered, answered with a reason, median and 90th
percentile of days to answer), interaction (replies across stakeholder groups), concentration
(Herfindahl-Hirschman index of inputs by organisation, share of inputs in campaigns) and
circulation (days a draft version was public before its comment deadline).

The caller counts in the database (GROUP BY) and passes the counts; nothing here sees an input.
Definitions, formulas and sources: docs/indicators.md. Small cells: `indicators_suppression`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from polyvox.analytics.indicators_suppression import THRESHOLD, Cell, suppress

__all__ = [
    "NOT_STATED",
    "OTHER_OR_NOT_SHOWN",
    "THRESHOLD",
    "Concentration",
    "Interaction",
    "Participation",
    "Responsiveness",
    "Row",
    "Slice",
    "Target",
    "circulation_days",
    "concentration",
    "herfindahl",
    "interaction",
    "normalise_gender",
    "participation",
    "quantile",
    "representation_score",
    "responsiveness",
    "share",
]

# The same words as `participants.selectors` (gender_aggregates): the page shows one vocabulary.
NOT_STATED = "not stated"
OTHER_OR_NOT_SHOWN = "other / not shown"


def share(part: int | None, whole: int) -> float | None:
    """`part` ÷ `whole`, None when either is unknown or `whole` is 0."""
    if part is None or whole <= 0:
        return None
    return part / whole


def quantile(counts: Mapping[float, int], q: float) -> float | None:
    """The q-quantile (0 ≤ q ≤ 1) of values given as value → how many times it occurs, by linear
    interpolation between order statistics (Hyndman & Fan 1996, definition 7; NumPy's default):
    h = (n-1)q, then x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]) over the sorted values (0-based).
    The median is q = 0.5. None for no values."""
    if not 0 <= q <= 1:
        raise ValueError("q must be between 0 and 1")
    items = sorted((value, n) for value, n in counts.items() if n > 0)
    total = sum(n for _, n in items)
    if total == 0:
        return None
    h = (total - 1) * q
    low = math.floor(h)
    below, above = _order_statistic(items, low), _order_statistic(items, min(low + 1, total - 1))
    return below + (h - low) * (above - below)


def _order_statistic(items: Sequence[tuple[float, int]], k: int) -> float:
    """The k-th smallest value (0-based) of the sorted (value, count) pairs."""
    seen = 0
    for value, n in items:
        seen += n
        if k < seen:
            return value
    raise IndexError(k)


@dataclass(frozen=True)
class Responsiveness:
    inputs: int
    answered: int
    answered_share: float | None
    answered_with_reason_share: float | None
    median_days_to_answer: float | None
    p90_days_to_answer: float | None


def responsiveness(
    *,
    inputs: int,
    answered: int,
    answered_with_reason: int,
    days_to_answer: Mapping[float, int],
) -> Responsiveness:
    """Shares of `inputs` answered and answered with a reason; median and 90th percentile of the
    days from an input to its (first) answer, given as days → how many answers took that long."""
    if not 0 <= answered_with_reason <= answered <= inputs:
        raise ValueError("need 0 ≤ answered with a reason ≤ answered ≤ inputs")
    return Responsiveness(
        inputs=inputs,
        answered=answered,
        answered_share=share(answered, inputs),
        answered_with_reason_share=share(answered_with_reason, inputs),
        median_days_to_answer=quantile(days_to_answer, 0.5),
        p90_days_to_answer=quantile(days_to_answer, 0.9),
    )


@dataclass(frozen=True)
class Interaction:
    replies: int
    cross_group_replies: int
    cross_group_share: float | None
    answers_given: int


def interaction(*, replies: int, cross_group_replies: int, answers_given: int) -> Interaction:
    """Replies, those whose author's stakeholder group differs from the replied-to input's, and
    the answers (dispositions) the secretariat gave."""
    if not 0 <= cross_group_replies <= replies:
        raise ValueError("need 0 ≤ cross-group replies ≤ replies")
    return Interaction(
        replies=replies,
        cross_group_replies=cross_group_replies,
        cross_group_share=share(cross_group_replies, replies),
        answers_given=answers_given,
    )


def herfindahl(counts: Iterable[int]) -> float | None:
    """Herfindahl-Hirschman index: Σ sᵢ² over the shares sᵢ of each party, from 1/n (n equal
    parties) to 1 (one party has everything); times 10,000 it is the competition authorities' scale
    (US DOJ/FTC Merger Guidelines 2023: above 1,800 "highly concentrated"). None for no counts."""
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return None
    return sum((c / total) ** 2 for c in values)


@dataclass(frozen=True)
class Concentration:
    hhi_by_organisation: float | None
    organisations: int
    campaign_inputs: int
    campaign_share: float | None


def concentration(
    *, by_organisation: Mapping[str, int], inputs: int, campaign_inputs: int
) -> Concentration:
    """HHI of the inputs sent by organisations (inputs without one are not a party), the number of
    organisations, and the share of all inputs that are campaign submissions. Organisation names
    are compared case- and space-insensitively."""
    merged: Counter[str] = Counter()
    for name, count in by_organisation.items():
        key = " ".join(name.split()).casefold()
        if key:
            merged[key] += count
    return Concentration(
        hhi_by_organisation=herfindahl(merged.values()),
        organisations=sum(1 for c in merged.values() if c > 0),
        campaign_inputs=campaign_inputs,
        campaign_share=share(campaign_inputs, inputs),
    )


def circulation_days(published_at: datetime, deadline: datetime | None) -> float | None:
    """Days (to one decimal) a version was public before its comment deadline; negative when it
    was published after it; None when it had no deadline."""
    if deadline is None:
        return None
    return round((deadline - published_at).total_seconds() / 86_400, 1)


def representation_score(rates: Iterable[float | None]) -> float | None:
    """Lowest rate ÷ highest rate (Go Vocal's Representation Score): 1 when every category is
    represented alike relative to its target, near 0 when one lags. None when a rate is unknown
    (a suppressed count would be given away by the ratio), with fewer than one rate, or when
    every rate is 0."""
    values = list(rates)
    if not values or any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    highest = max(known)
    return min(known) / highest if highest > 0 else None


def normalise_gender(value: str) -> str:
    """Self-described genders compared case- and space-insensitively; empty is "not stated"."""
    return " ".join((value or "").split()).casefold() or NOT_STATED


@dataclass(frozen=True)
class Slice:
    """Inputs counted by stakeholder group, region, Global South and gender (never published)."""

    stakeholder_group: str
    region: str
    global_south: bool
    gender: str
    count: int


@dataclass(frozen=True)
class Target:
    """At least `min_share` (0 to 1) of inputs from `value` of `dimension` (stakeholder_group,
    region, gender, or global_south, whose value is ignored)."""

    dimension: str
    value: str
    min_share: float


@dataclass(frozen=True)
class Row:
    """One category of one dimension; `count` None when suppressed."""

    value: str
    count: int | None
    share: float | None
    target: float | None
    meets_target: bool | None


@dataclass(frozen=True)
class CrossRow:
    stakeholder_group: str
    region: str
    gender: str
    count: int | None


@dataclass(frozen=True)
class Participation:
    inputs: int
    by_group: tuple[Row, ...]
    by_region: tuple[Row, ...]
    by_gender: tuple[Row, ...]
    cross: tuple[CrossRow, ...]
    global_south_inputs: int | None
    global_south_share: float | None
    global_south_target: float | None
    global_south_meets_target: bool | None
    representation_scores: dict[str, float | None]
    representation_score: float | None


def participation(
    slices: Iterable[Slice],
    *,
    targets: Sequence[Target] = (),
    groups: Sequence[str] = (),
    threshold: int = THRESHOLD,
) -> Participation:
    """Inputs by stakeholder group, region and gender, and their cross-tabulation, each cell of
    1 to `threshold` - 1 suppressed with complementary cells so that no total or difference gives
    it away (`indicators_suppression.suppress`). `groups` are listed even with no input (a 0 is
    shown: "no input from governments yet"); so are targeted regions and genders.

    Genders: normalised; a gender with fewer than `threshold` inputs in all is merged into
    "other / not shown" (its label alone could name someone), and so is a lone gender (it would
    say everyone's). Gender is private while the group and country of an input are public, so a
    gender holding every input is suppressed as well, audited against the public totals (the
    cross-tabulation's cells are protected by the threshold rule only: docs/indicators.md).

    Targets: a category's *rate* is its share ÷ its target; the representation score of a
    dimension is its lowest rate ÷ its highest; the overall score is the lowest of them.
    """
    table = _Table.build(list(slices), groups=groups, targets=targets, threshold=threshold)
    hidden = suppress(table.counts, table.cells, threshold=threshold)
    if 0 < table.inputs < threshold:
        # Too few inputs to break down: every cell would be under the threshold, and which rows
        # exist would say where they came from. Only the total is shown.
        hidden = [not cell.fixed for cell in table.cells]
        table.public_slices = []
    shown = {
        key: None if is_hidden else table.values[n]
        for n, (key, is_hidden) in enumerate(zip(table.layout, hidden, strict=True))
    }
    true = dict(zip(table.layout, table.values, strict=True))
    inputs = table.inputs
    target_of = {
        (
            t.dimension,
            normalise_gender(t.value) if t.dimension == "gender" else t.value,
        ): t.min_share
        for t in targets
    }

    def rows(dimension: str, values: Sequence[str]) -> tuple[Row, ...]:
        found = []
        for value in values:
            count = shown[(dimension, value)]
            actual = true[(dimension, value)]
            if dimension == "gender" and value in table.merged_away:
                # A targeted gender with 1 to 4 inputs was merged into "other / not shown".
                count, actual = None, table.merged_away[value]
            target = target_of.get((dimension, value))
            met = None if target is None or inputs == 0 else actual >= target * inputs
            found.append(Row(value, count, share(count, inputs), target, met))
        return tuple(found)

    by_group = rows("stakeholder_group", table.groups)
    by_region = rows("region", table.regions)
    by_gender = rows("gender", table.genders)
    tables = {"stakeholder_group": by_group, "region": by_region, "gender": by_gender}
    targeted = {d: found for d, found in tables.items() if any(r.target for r in found)}
    scores = {d: _dimension_score(found, inputs) for d, found in tables.items()}
    gs_target = next((t.min_share for t in targets if t.dimension == "global_south"), None)
    gs_count = shown[("global_south", "yes")]
    weakest = [scores[d] for d in targeted]
    return Participation(
        inputs=inputs,
        by_group=by_group,
        by_region=by_region,
        by_gender=by_gender,
        cross=tuple(
            CrossRow(g, r, s, shown[("cross", f"{g}|{r}|{s}")])
            for g, r in table.public_slices
            for s in table.genders
            if ("cross", f"{g}|{r}|{s}") in shown
        ),
        global_south_inputs=gs_count,
        global_south_share=share(gs_count, inputs),
        global_south_target=gs_target,
        global_south_meets_target=None
        if gs_target is None or inputs == 0
        else true[("global_south", "yes")] >= gs_target * inputs,
        representation_scores=scores,
        representation_score=None
        if not weakest or any(v is None for v in weakest)
        else min(v for v in weakest if v is not None),
    )


def _dimension_score(rows: Sequence[Row], inputs: int) -> float | None:
    """Lowest ÷ highest rate over the targeted categories (targets above 0); None with fewer than
    two, or when one of their counts is suppressed."""
    rates: list[float | None] = []
    for row in rows:
        if row.target:
            rate = share(row.count, inputs)
            rates.append(None if rate is None else rate / row.target)
    # A lone target scores 1 whatever the figures: it is judged by `meets_target` instead.
    return representation_score(rates) if len(rates) >= 2 else None


@dataclass
class _Table:
    """The atoms (never published) and the published cells of `participation`."""

    inputs: int
    groups: list[str]
    regions: list[str]
    genders: list[str]
    public_slices: list[tuple[str, str]]
    counts: list[int]
    cells: list[Cell]
    layout: list[tuple[str, str]]
    values: list[int]
    merged_away: dict[str, int]  # targeted genders merged into "other / not shown": their count

    @classmethod
    def build(
        cls,
        slices: list[Slice],
        *,
        groups: Sequence[str],
        targets: Sequence[Target],
        threshold: int,
    ) -> _Table:
        if any(piece.count < 0 for piece in slices):
            raise ValueError("counts must be ≥ 0")
        by_gender: Counter[str] = Counter()
        for piece in slices:
            by_gender[normalise_gender(piece.gender)] += piece.count
        kept = {g for g, n in by_gender.items() if n >= threshold and g != OTHER_OR_NOT_SHOWN}
        if len(kept) == 1 and by_gender.total() == by_gender[next(iter(kept))]:
            kept = set()  # one gender only: naming it would say everyone's
        merged: Counter[tuple[str, str, bool, str]] = Counter()
        for piece in slices:
            gender = normalise_gender(piece.gender)
            gender = gender if gender in kept else OTHER_OR_NOT_SHOWN
            if piece.count:
                key = (piece.stakeholder_group, piece.region, piece.global_south, gender)
                merged[key] += piece.count
        present_genders = {k[3] for k in merged}
        genders = sorted(present_genders, key=_gender_order)
        wanted = [normalise_gender(t.value) for t in targets if t.dimension == "gender"]
        listed_genders = [*genders, *(g for g in wanted if g not in present_genders)]
        regions = sorted({k[1] for k in merged})
        wanted_regions = [t.value for t in targets if t.dimension == "region"]
        # Atoms: every (group, region, Global South, gender) of a public slice with inputs, with
        # only the Global South values seen in that region (fewer free atoms: a stronger attacker).
        public_slices = sorted({(k[0], k[1]) for k in merged})
        gs_seen: dict[str, set[bool]] = defaultdict(set)
        for k in merged:
            gs_seen[k[1]].add(k[2])
        atoms = [
            (g, r, gs, s) for g, r in public_slices for gs in sorted(gs_seen[r]) for s in genders
        ]
        counts = [merged.get(atom, 0) for atom in atoms]
        members: dict[tuple[str, str], set[int]] = defaultdict(set)
        for n, (g, r, gs, s) in enumerate(atoms):
            members[("stakeholder_group", g)].add(n)
            members[("region", r)].add(n)
            members[("gender", s)].add(n)
            members[("global_south", "yes" if gs else "no")].add(n)
            members[("slice", f"{g}|{r}")].add(n)
            members[("public", f"{g}|{r}|{gs}")].add(n)
            members[("cross", f"{g}|{r}|{s}")].add(n)
        public = tuple(frozenset(v) for k, v in members.items() if k[0] == "public")
        inputs = sum(counts)

        def total(atom_set: frozenset[int]) -> int:
            return sum(counts[a] for a in atom_set)

        group_values = list(dict.fromkeys([*groups, *sorted({k[0] for k in merged})]))
        region_values = list(dict.fromkeys([*regions, *wanted_regions]))
        cells = [Cell(frozenset(range(len(atoms))), fixed=True)]
        layout = [("total", "")]
        for dimension, values in (
            ("stakeholder_group", group_values),
            ("region", region_values),
            ("global_south", ["yes", "no"]),
        ):
            for value in values:
                cells.append(Cell(frozenset(members.get((dimension, value), ())), line=dimension))
                layout.append((dimension, value))
        for s in listed_genders:
            atom_set = frozenset(members.get(("gender", s), ()))
            telling = s != OTHER_OR_NOT_SHOWN and inputs > 0 and total(atom_set) == inputs
            cells.append(Cell(atom_set, sensitive=telling, knowledge=public, line="gender"))
            layout.append(("gender", s))
        for g, r in public_slices:
            for s in genders:
                atom_set = frozenset(members[("cross", f"{g}|{r}|{s}")])
                cells.append(Cell(atom_set, line=f"cross|{g}"))
                layout.append(("cross", f"{g}|{r}|{s}"))
        return cls(
            inputs=inputs,
            groups=group_values,
            regions=region_values,
            genders=listed_genders,
            public_slices=public_slices,
            counts=counts,
            cells=cells,
            layout=layout,
            values=[total(c.atoms) for c in cells],
            merged_away={
                g: by_gender[g] for g in wanted if g not in present_genders and by_gender[g]
            },
        )


def _gender_order(gender: str) -> tuple[int, str]:
    """Self-described genders alphabetically, then "not stated", then "other / not shown"."""
    return ({NOT_STATED: 1, OTHER_OR_NOT_SHOWN: 2}.get(gender, 0), gender)
