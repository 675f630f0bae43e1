"""Participation indicators as pure functions over counts: inputs by stakeholder group, region
and gender against the process's targets, the representation score, the Global South share, and
the cross table, with small cells suppressed (`indicators_suppression`).

The caller counts in the database (GROUP BY) and passes the counts; nothing here sees an input.
Definitions, formulas and sources: docs/indicators.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from polyvox.analytics.indicators import representation_score, share
from polyvox.analytics.indicators_suppression import THRESHOLD, Cell, suppress

__all__ = [
    "NOT_STATED",
    "OTHER_OR_NOT_SHOWN",
    "CrossRow",
    "Participation",
    "Row",
    "Slice",
    "Target",
    "normalise_gender",
    "participation",
]

# The same words as `participants.selectors` (gender_aggregates): the page shows one vocabulary.
NOT_STATED = "not stated"
OTHER_OR_NOT_SHOWN = "other / not shown"


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
