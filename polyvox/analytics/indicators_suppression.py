"""Small-cell suppression with complementary suppression, audited by integer programming.

A published table is a list of *cells*, each the sum of some *atoms* (the counts of the finest,
never-published breakdown). A cell of 1 to 4 (under `threshold`) is *sensitive*: it is suppressed
(primary suppression). Suppressing it alone is not enough when the totals and the other cells
still give it away ("100 inputs, 60 + 37 shown, so the hidden one is 3"): other cells are
suppressed too (complementary suppression) until no sensitive cell can be worked out.

"Worked out" is checked as an attacker would: the atoms are unknown whole numbers ≥ 0; every
published cell and every fixed total is an equation; a sensitive cell is safe when two solutions
give it different values. `suppress` asks SciPy's HiGHS mixed-integer solver (`scipy.optimize.milp`)
for the largest and the smallest value of each sensitive cell, and adds complementary cells, the
least informative first (small counts, zeros), until every sensitive cell has a range.

Zeros are published (a 0 says nothing about a person: the alert "no input from governments yet"
is a 0) but may be suppressed as complements. A cell may also be declared sensitive by the caller
whatever its size (`extra_sensitive`), and audited against what the attacker knows from elsewhere
(`knowledge`): gender is private, while the stakeholder group and country of every input are on
its public byline, so a gender cell that holds every input of its public slice ("the 7 inputs
from governments in Africa are all by women") must not be derivable from the slice's public total.

Sources: Hundepool et al., *Statistical Disclosure Control* (Wiley 2012), ch. 4 ("Magnitude and
frequency tables": threshold rule, complementary suppression, the attacker's linear-programming
audit); UNESCO ROAM-X and the project's norms (UN-2: aggregates under 5 suppressed).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["THRESHOLD", "Cell", "exact_range", "pinned", "protected", "suppress", "value_range"]

THRESHOLD = 5
TRIALS = 4  # complements tried one by one before the best is taken and the search goes on

Atoms = frozenset[int]


@dataclass(frozen=True)
class Cell:
    """A published figure: the sum of the atoms it covers. `fixed` cells (the grand total) are
    always published; `knowledge` lists sums the attacker knows from elsewhere when this cell is
    audited (public slices of a private attribute)."""

    atoms: Atoms
    fixed: bool = False
    sensitive: bool = False
    knowledge: tuple[Atoms, ...] = field(default=())
    line: str = ""  # cells of one line (one breakdown) are tried first as each other's complements


def value_range(
    counts: Sequence[int], known: Iterable[Atoms], target: Atoms
) -> tuple[int, int] | None:
    """The least and greatest whole value of the sum over `target` an attacker can reach from the
    sums over `known` (each equal to its true value), the atoms being whole numbers ≥ 0. None
    when the solver gives no answer (never expected: the true counts are a solution)."""
    return _range(tuple(counts), tuple(sorted({tuple(sorted(a)) for a in known})), target)


@functools.lru_cache(maxsize=4096)
def _range(
    counts: tuple[int, ...], known: tuple[tuple[int, ...], ...], target: Atoms
) -> tuple[int, int] | None:
    """Two linear programs (HiGHS) over the atoms, merged where they always appear together. The
    linear relaxation's range holds every whole solution, so a range narrower than 1 means the
    value is pinned; a wider one is taken as not pinned (the tests check small tables with
    integer programming: `exact_range`)."""
    high = _end(counts, known, target, 1.0)
    low = _end(counts, known, target, -1.0)
    if high is None or low is None:
        return None
    return low, high


@functools.lru_cache(maxsize=8192)
def _end(
    counts: tuple[int, ...], known: tuple[tuple[int, ...], ...], target: Atoms, sign: float
) -> int | None:
    """The greatest (sign 1) or least (sign -1) whole value the linear relaxation allows.

    Built with NumPy (a 0/1 matrix of the sums over the atoms; its distinct columns are the
    classes) and solved by HiGHS through `milp` with no integer variables, a linear program: a
    suppression audit solves dozens of these, and Python loops to build them and `linprog`'s
    checks cost more than HiGHS itself (bench/RESULTS.md, "Indicators")."""
    incidence = _incidence(len(counts), known, target)
    reduced = incidence[:, _classes(incidence)].astype(float)
    objective = reduced[-1]
    constraints = []
    if known:
        values = incidence[:-1].astype(float) @ np.asarray(counts, dtype=float)
        constraints.append(LinearConstraint(sparse.csr_array(reduced[:-1]), values, values))
    result = milp(-sign * objective, constraints=constraints, bounds=Bounds(0, np.inf))
    if result.status != 0 or result.x is None:
        return None
    value = float(objective @ result.x)
    return math.floor(value + 1e-6) if sign > 0 else math.ceil(value - 1e-6)


def _incidence(
    n: int, known: tuple[tuple[int, ...], ...], target: Atoms
) -> np.ndarray[tuple[int, int], np.dtype[np.bool_]]:
    """Which atoms each known sum covers (one row per sum), and a last row for the target."""
    matrix = np.zeros((len(known) + 1, n), dtype=bool)
    lengths = [len(atoms) for atoms in known]
    rows = np.repeat(np.arange(len(known)), lengths)
    columns = np.fromiter(
        (atom for atoms in known for atom in atoms), dtype=np.intp, count=sum(lengths)
    )
    matrix[rows, columns] = True
    matrix[-1, sorted(target)] = True
    return matrix


def _classes(incidence: np.ndarray[tuple[int, int], np.dtype[np.bool_]]) -> list[int]:
    """Atoms that lie in exactly the same sums (and the target) behave as one variable: the first
    atom of each class (its column of `incidence` stands for the class)."""
    columns = np.ascontiguousarray(np.packbits(incidence, axis=0).T)
    first: dict[bytes, int] = {}
    for atom in range(incidence.shape[1]):
        first.setdefault(columns[atom].tobytes(), atom)
    return list(first.values())


def exact_range(
    counts: Sequence[int], known: Iterable[Atoms], target: Atoms
) -> tuple[int, int] | None:
    """As `value_range`, by integer programming (`scipy.optimize.milp`): exact, slower; for
    audits of small tables."""
    n = len(counts)
    known = list(known)
    objective = np.zeros(n)
    objective[sorted(target)] = 1.0
    constraints = []
    if known:
        matrix = np.zeros((len(known), n))
        values = np.zeros(len(known))
        for row, atoms in enumerate(known):
            matrix[row, sorted(atoms)] = 1.0
            values[row] = sum(counts[a] for a in atoms)
        constraints.append(LinearConstraint(matrix, values, values))
    ends = []
    for sign in (1.0, -1.0):
        result = milp(
            sign * objective,
            constraints=constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
        )
        if result.status != 0 or result.x is None:
            return None
        ends.append(round(float(objective @ result.x)))
    return ends[1], ends[0]


def pinned(counts: Sequence[int], known: Iterable[Atoms], target: Atoms) -> bool:
    """Whether the sum over `target` has one possible value given the `known` sums."""
    key = tuple(sorted({tuple(sorted(a)) for a in known}))
    value = sum(counts[a] for a in target)
    high = _end(tuple(counts), key, target, 1.0)
    if high is not None and high >= value + 1:
        return False  # one program is enough when the value can grow
    found = _range(tuple(counts), key, target)
    return found is None or found[0] == found[1]


def suppress(
    counts: Sequence[int], cells: Sequence[Cell], *, threshold: int = THRESHOLD
) -> list[bool]:
    """Which cells to suppress (True) so that no sensitive cell can be worked out.

    Sensitive: a cell whose value is 1 to `threshold` - 1, or declared `sensitive`. Fixed cells are
    never suppressed (a table whose total is under the threshold is the caller's to withhold)."""
    if any(c < 0 for c in counts):
        raise ValueError("counts must be ≥ 0")
    values = [sum(counts[a] for a in cell.atoms) for cell in cells]
    sensitive = [
        i
        for i, cell in enumerate(cells)
        if not cell.fixed and ((cell.sensitive and values[i] > 0) or 0 < values[i] < threshold)
    ]
    hidden = [i in set(sensitive) for i in range(len(cells))]
    for i in sorted(sensitive, key=lambda i: values[i]):
        _protect(i, counts, cells, values, hidden)
    return hidden


def _known(i: int, cells: Sequence[Cell], hidden: Sequence[bool]) -> list[Atoms]:
    published = [c.atoms for j, c in enumerate(cells) if not hidden[j] and c.atoms]
    return published + list(cells[i].knowledge)


def _protect(
    i: int, counts: Sequence[int], cells: Sequence[Cell], values: Sequence[int], hidden: list[bool]
) -> None:
    """Suppress complements until cell `i` has more than one possible value. Candidates are the
    published, unfixed cells, those of the same line first, then those sharing an atom with a sum
    that touches cell `i`, then the smallest; one that frees the cell alone is taken; when none does, the first is taken and
    the search goes on (suppressing more only widens every range)."""
    target = cells[i].atoms
    floor = [c.atoms for c in cells if c.fixed] + list(cells[i].knowledge)
    if pinned(counts, floor, target):
        return  # the fixed totals and public knowledge alone give it away: nothing can help
    while pinned(counts, _known(i, cells, hidden), target):
        touching = _touching(target, [*(c.atoms for c in cells), *cells[i].knowledge])
        candidates = sorted(
            (j for j, c in enumerate(cells) if not hidden[j] and not c.fixed and c.atoms),
            key=lambda j: (
                cells[j].line != cells[i].line,
                not (cells[j].atoms & touching),
                values[j],
                j,
            ),
        )
        for j in candidates[:TRIALS]:
            hidden[j] = True
            if not pinned(counts, _known(i, cells, hidden), target):
                return
            hidden[j] = False
        hidden[candidates[0]] = True


def _touching(target: Atoms, sums: Iterable[Atoms]) -> Atoms:
    """The atoms of every sum that shares an atom with `target`."""
    found: set[int] = set()
    for atoms in sums:
        if atoms & target:
            found |= atoms
    return frozenset(found)


def protected(
    counts: Sequence[int], cells: Sequence[Cell], hidden: Sequence[bool], *, threshold: int
) -> Mapping[int, tuple[int, int] | None]:
    """For each sensitive cell, the range an attacker can reach from the published cells (an
    audit helper for tests and the CLI's `--audit`)."""
    values = [sum(counts[a] for a in cell.atoms) for cell in cells]
    return {
        i: value_range(counts, _known(i, cells, hidden), cell.atoms)
        for i, cell in enumerate(cells)
        if (cell.sensitive and values[i] > 0) or 0 < values[i] < threshold
    }
