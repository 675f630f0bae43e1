"""Typed containers for opinion maps: the sparse vote matrix and the results computed from it.

Why sparse: a large process has 100,000 participants x 2,000 statements but only a few million
votes, so votes are kept as COO triples (row, column, value) and never as a dense matrix unless a
step needs one. Near-duplicate types live in `near_duplicates.py`, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

if TYPE_CHECKING:
    from polyvox.analytics.opinion_map_state import OpinionMapState

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Direction = Literal["agree", "disagree"]

AGREE, PASS, DISAGREE = 1, 0, -1


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants x statements votes in {-1 disagree, 0 pass, 1 agree}, stored sparsely.

    `rows[i]`/`cols[i]` index `participant_ids`/`statement_ids`; each (row, col) pair occurs at
    most once (use `from_votes` to resolve repeated votes). `moderated_out[j]` is True when
    statement j was moderated out (Pol.is `moderated = -1`).
    """

    participant_ids: IntArray
    statement_ids: IntArray
    rows: npt.NDArray[np.int32]
    cols: npt.NDArray[np.int32]
    values: npt.NDArray[np.int8]
    moderated_out: BoolArray

    def __post_init__(self) -> None:
        n_p, n_s = len(self.participant_ids), len(self.statement_ids)
        if not (len(self.rows) == len(self.cols) == len(self.values)):
            raise ValueError("rows, cols and values must have the same length")
        if len(self.moderated_out) != n_s:
            raise ValueError("moderated_out must have one entry per statement")
        if len(self.values) and (
            self.rows.min() < 0
            or self.rows.max() >= n_p
            or self.cols.min() < 0
            or self.cols.max() >= n_s
        ):
            raise ValueError("vote index out of range")
        if len(self.values) and (self.values.min() < -1 or self.values.max() > 1):
            raise ValueError("votes must be -1, 0 or 1")
        if _has_duplicates(self.participant_ids) or _has_duplicates(self.statement_ids):
            raise ValueError("participant_ids and statement_ids must be unique")
        if _has_duplicates(self.rows.astype(np.int64) * max(n_s, 1) + self.cols):
            raise ValueError(
                "a participant has two votes on one statement; use VoteMatrix.from_votes"
            )

    @classmethod
    def from_votes(
        cls,
        participant_ids: npt.ArrayLike,
        statement_ids: npt.ArrayLike,
        votes: npt.ArrayLike,
        *,
        timestamps: npt.ArrayLike | None = None,
        all_statement_ids: npt.ArrayLike | None = None,
        moderated_out_ids: npt.ArrayLike | None = None,
    ) -> VoteMatrix:
        """Build from one row per vote; where a participant voted twice on a statement the latest
        vote counts (by timestamp, else by position), as in Pol.is exports."""
        pid = np.asarray(participant_ids, dtype=np.int64).ravel()
        sid = np.asarray(statement_ids, dtype=np.int64).ravel()
        val = np.asarray(votes, dtype=np.int64).ravel()
        if not (len(pid) == len(sid) == len(val)):
            raise ValueError("participant_ids, statement_ids and votes must have the same length")
        if len(val) and (val.min() < -1 or val.max() > 1):
            raise ValueError("votes must be -1, 0 or 1")
        ts: FloatArray | None = None
        if timestamps is not None:
            ts = np.asarray(timestamps, dtype=np.float64).ravel()
            if len(ts) != len(val):
                raise ValueError("timestamps must have one entry per vote")
        extra = None if all_statement_ids is None else np.asarray(all_statement_ids, np.int64)
        statements = _unique(sid if extra is None else np.concatenate([sid, extra.ravel()]))
        participants = _unique(pid)
        rows = _positions(participants, pid)
        cols = _positions(statements, sid)
        keep = _latest(rows, cols, len(statements), ts)
        mod = np.zeros(len(statements), dtype=bool)
        if moderated_out_ids is not None:
            mod = np.isin(statements, np.asarray(moderated_out_ids, dtype=np.int64))
        # valid by construction: skip __post_init__'s checks (a second 50M-element sort)
        return cls._unchecked(
            participant_ids=participants.astype(np.int64),
            statement_ids=statements.astype(np.int64),
            rows=(rows if keep is None else rows[keep]).astype(np.int32),
            cols=(cols if keep is None else cols[keep]).astype(np.int32),
            values=(val if keep is None else val[keep]).astype(np.int8),
            moderated_out=mod,
        )

    @classmethod
    def _unchecked(cls, **fields: npt.NDArray[np.generic]) -> VoteMatrix:
        """An instance whose invariants the caller guarantees (no validation pass)."""
        obj = object.__new__(cls)
        for name, value in fields.items():
            object.__setattr__(obj, name, value)
        return obj

    @property
    def shape(self) -> tuple[int, int]:
        """(participants, statements)."""
        return len(self.participant_ids), len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        """Number of recorded votes, passes included."""
        return len(self.values)

    def to_csr(self, dtype: type[np.floating] = np.float32) -> sp.csr_matrix:
        """Votes as a CSR matrix; passes are stored explicitly as 0 (use `voted_csr` for presence)."""
        return sp.csr_matrix(
            (self.values.astype(dtype), (self.rows, self.cols)), shape=self.shape, dtype=dtype
        )

    def votes_per_participant(self) -> IntArray:
        """Votes cast by each participant (passes count as votes, as in Pol.is)."""
        return np.bincount(self.rows, minlength=self.shape[0]).astype(np.int64)


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart (Pol.is "repness")."""

    statement_id: int
    direction: Direction
    n_success: int  # agrees (or disagrees) in the group
    n_seen: int  # votes in the group, passes included
    probability: float  # smoothed (n_success + 1) / (n_seen + 2)
    probability_test: float  # z of the one-proportion test
    repness: float  # ratio of in-group to out-group smoothed probability
    repness_test: float  # z of the two-proportion test


@dataclass(frozen=True)
class OpinionGroup:
    """One opinion group of the map."""

    id: int
    member_ids: IntArray
    center: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...]


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement every opinion group tends to agree (or disagree) with."""

    statement_id: int
    direction: Direction
    score: float  # product over groups of (n + 1) / (seen + 2)


@dataclass(frozen=True)
class ConsensusPick:
    """A statement in Pol.is's own consensus list: most of everyone who voted agrees (or disagrees),
    by a one-proportion test on all votes, whatever their opinion group."""

    statement_id: int
    direction: Direction
    n_success: int  # agrees (or disagrees)
    n_trials: int  # votes seen, passes included
    p_success: float  # (n_success + 1) / (n_trials + 2)
    p_test: float  # z of the one-proportion test of that share against 1/2


@dataclass(frozen=True)
class PolisConsensus:
    """Pol.is's `consensus` of its math output: up to five agree and five disagree picks, best first."""

    agree: tuple[ConsensusPick, ...] = ()
    disagree: tuple[ConsensusPick, ...] = ()


@dataclass(frozen=True)
class DivisiveStatement:
    """A statement on which opinion groups differ most."""

    statement_id: int
    score: float  # variance across groups of the smoothed agreement rate
    agree_rates: tuple[float, ...]  # per group, in group order


@dataclass(frozen=True)
class OpinionMap:
    """Result of `compute_opinion_map`: projection, groups and statement selections."""

    participant_ids: IntArray  # participants in the map ("in the conversation")
    coordinates: FloatArray  # (n, 2) projected positions, same order
    labels: IntArray  # group id per participant in the map, same order
    groups: tuple[OpinionGroup, ...]
    consensus: PolisConsensus  # Pol.is's measure, under its name
    group_informed_consensus: tuple[ConsensusStatement, ...]  # Small et al. 2021's measure
    divisive: tuple[DivisiveStatement, ...]
    statement_ids: IntArray
    components: FloatArray  # (2, n_statements) principal axes
    center: FloatArray  # (n_statements,) column means used for imputation
    group_aware_consensus_agree: FloatArray  # (n_statements,)
    group_aware_consensus_disagree: FloatArray
    silhouette: float
    n_base_clusters: int
    parameters: dict[str, float | int] = field(default_factory=dict)
    state: OpinionMapState | None = None  # what a warm update starts from (`previous=`)


@dataclass(frozen=True)
class GroupAgreement:
    """Vote counts per group x statement, for any grouping (opinion or stakeholder groups)."""

    group_labels: npt.NDArray[np.int64]  # (g,) the label of each row
    statement_ids: IntArray  # (s,)
    n_members: IntArray  # (g,) participants with that label
    n_agree: IntArray  # (g, s)
    n_disagree: IntArray  # (g, s)
    n_seen: IntArray  # (g, s) votes incl. passes

    @property
    def agree_rate(self) -> FloatArray:
        """Raw share of agree among votes (NaN where nobody in the group voted)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.n_seen > 0, self.n_agree / np.maximum(self.n_seen, 1), np.nan)


@dataclass(frozen=True)
class GroupSimilarity:
    """How close a participant's votes are to a group's aggregate votes."""

    group_label: int
    similarity: float  # mean over shared statements of vote x group net agreement, in [-1, 1]
    n_statements: int
    n_members: int


def _unique(a: IntArray) -> IntArray:
    """`np.unique(a)`; a presence table instead of a sort when the ids are dense (Pol.is numbers
    participants and comments 0, 1, 2 ...), linear time at 50 million votes."""
    if len(a) == 0:
        return np.unique(a)
    lo, hi = int(a.min()), int(a.max())
    if hi - lo > 4 * len(a) + 1024:
        return np.unique(a)
    present = np.zeros(hi - lo + 1, dtype=bool)
    present[a - lo] = True
    return np.flatnonzero(present) + lo


def _positions(uniq: IntArray, a: IntArray) -> IntArray:
    """Index of each of `a` in the sorted unique `uniq` (`np.searchsorted`, by table when dense)."""
    if len(a) == 0 or len(uniq) == 0:
        return np.zeros(len(a), dtype=np.int64)
    lo, hi = int(uniq[0]), int(uniq[-1])
    if hi - lo > 4 * len(a) + 1024:
        return np.searchsorted(uniq, a)
    table = np.zeros(hi - lo + 1, dtype=np.int64)
    table[uniq - lo] = np.arange(len(uniq))
    out: IntArray = table[a - lo]
    return out


def _latest(rows: IntArray, cols: IntArray, n_cols: int, ts: FloatArray | None) -> IntArray | None:
    """Positions (ascending) of the latest vote per (row, col): by timestamp, ties and missing
    timestamps by position. None when no pair repeats (keep every vote).

    Fast path: one in-place sort of the int64 key (pair << bits | position), vectorised radix-free
    `np.sort` being ~8x faster than `argsort` at 50M; timestamps are compared only among the few
    repeated pairs. When pair and position do not fit 63 bits, a lexsort does the same.
    """
    n = len(rows)
    if n < 2:
        return None
    key = rows.astype(np.int64) * max(n_cols, 1) + cols
    pbits = (n - 1).bit_length()
    if int(key.max()).bit_length() + pbits > 63:
        order = np.arange(n) if ts is None else np.lexsort((np.arange(n), ts))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        idx = np.lexsort((rank, key))
        ks = key[idx]
        last = np.ones(n, dtype=bool)
        last[:-1] = ks[1:] != ks[:-1]
        return None if last.all() else np.sort(idx[last])
    key <<= pbits
    key |= np.arange(n, dtype=np.int64)
    key.sort()
    pos = key & ((1 << pbits) - 1)
    key >>= pbits
    dup = key[1:] == key[:-1]
    if not dup.any():
        return None
    in_run = np.zeros(n, dtype=bool)  # member of a repeated pair
    in_run[:-1] |= dup
    in_run[1:] |= dup
    keep = np.zeros(n, dtype=bool)
    keep[pos[~in_run]] = True
    sub = np.flatnonzero(in_run)
    sk, sp = key[sub], pos[sub]
    o = np.arange(len(sub)) if ts is None else np.lexsort((sp, ts[sp], sk))
    sk, sp = sk[o], sp[o]
    end = np.ones(len(sub), dtype=bool)
    end[:-1] = sk[1:] != sk[:-1]
    keep[sp[end]] = True
    return np.flatnonzero(keep)


def _has_duplicates(a: npt.NDArray[np.int64] | npt.NDArray[np.int32]) -> bool:
    """True when a value repeats (sort-based: fast on millions of votes)."""
    if len(a) < 2:
        return False
    s = np.sort(a)
    return bool((s[1:] == s[:-1]).any())


@dataclass(frozen=True)
class BridgingStatement:
    """A statement a majority agrees with in every group of every grouping with enough voters."""

    statement_id: int
    min_agree_rate: float  # the lowest agree share over the groups that counted
    n_groups: int  # groups (over all groupings) with enough voters


@dataclass(frozen=True)
class GroupMatch:
    """How often a group's votes matched one participant's, against everyone's on the same
    statements ("who agrees with you": only groups above the average are shown)."""

    group_label: int
    matched: int  # the group's votes equal to the participant's agree or disagree
    seen: int  # the group's votes (passes included) on those statements
    average_matched: int  # the same for every other participant, on the same statements
    average_seen: int
    n_statements: int
    n_members: int

    @property
    def rate(self) -> float:
        return self.matched / self.seen

    @property
    def average_rate(self) -> float:
        return self.average_matched / self.average_seen
