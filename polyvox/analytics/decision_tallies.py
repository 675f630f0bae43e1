"""The counting half of the decision rules: positions per group (`GroupTally`) and chamber
thresholds (`ChamberRule`, `parse_chamber`). Pure Python; `decision_rules` decides with them.

Thresholds are `fractions.Fraction`, never floating point, so "exactly two thirds" is exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

POSITIONS = ("support", "can-live-with", "oppose", "block", "abstain", "absent")


@dataclass(frozen=True)
class GroupTally:
    """How many voters of one group took each position."""

    support: int = 0
    can_live_with: int = 0
    oppose: int = 0
    block: int = 0
    abstain: int = 0
    absent: int = 0

    def __post_init__(self) -> None:
        for name in ("support", "can_live_with", "oppose", "block", "abstain", "absent"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")

    @property
    def in_favour(self) -> int:
        """Support or can live with."""
        return self.support + self.can_live_with

    @property
    def against(self) -> int:
        """Oppose or block."""
        return self.oppose + self.block

    @property
    def cast(self) -> int:
        """Votes cast: in favour or against (abstentions and absences are not votes)."""
        return self.in_favour + self.against

    @property
    def members(self) -> int:
        """Everyone in the group, absent included."""
        return self.cast + self.abstain + self.absent

    def __add__(self, other: GroupTally) -> GroupTally:
        return GroupTally(
            support=self.support + other.support,
            can_live_with=self.can_live_with + other.can_live_with,
            oppose=self.oppose + other.oppose,
            block=self.block + other.block,
            abstain=self.abstain + other.abstain,
            absent=self.absent + other.absent,
        )

    def to_json(self) -> dict[str, int]:
        """`{"in_favour", "against", "abstain", "absent", "members"}`, in that order."""
        return {
            "in_favour": self.in_favour,
            "against": self.against,
            "abstain": self.abstain,
            "absent": self.absent,
            "members": self.members,
        }

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> GroupTally:
        """From `{position: n}` with positions spelled as in `POSITIONS`; missing ones are 0."""
        unknown = sorted(set(counts) - set(POSITIONS))
        if unknown:
            raise ValueError(
                f"unknown position {unknown[0]!r}, known positions: {', '.join(POSITIONS)}"
            )
        return cls(**{p.replace("-", "_"): int(counts.get(p, 0)) for p in POSITIONS})


@dataclass(frozen=True)
class ChamberRule:
    """The threshold a chamber must reach: a fraction of its members or of its votes cast.

    `strict` means "more than" the fraction, otherwise "at least". Spelled as text
    `2/3:members` (at least two thirds of members) or `>1/2:votes` (more than half of votes cast).
    """

    threshold: Fraction
    base: Literal["members", "votes"]
    strict: bool = False

    def describe(self) -> str:
        """E.g. "at least 2/3 of members", "more than 1/2 of votes cast"."""
        comparison = "more than" if self.strict else "at least"
        base = "members" if self.base == "members" else "votes cast"
        return f"{comparison} {self.threshold} of {base}"

    def spec(self) -> str:
        """The text form that `parse_chamber` reads back, e.g. ">1/2:votes"."""
        return f"{'>' if self.strict else ''}{self.threshold}:{self.base}"

    def __str__(self) -> str:
        return self.spec()

    def passes(self, group: GroupTally) -> bool:
        """At least one vote cast, and the threshold reached."""
        if group.cast == 0:
            return False
        base = group.members if self.base == "members" else group.cast
        reached = Fraction(group.in_favour)
        needed = self.threshold * base
        return reached > needed if self.strict else reached >= needed


DEFAULT_CHAMBER = ChamberRule(Fraction(1, 2), "votes", strict=True)


def parse_chamber(text: str) -> ChamberRule:
    """`[>|>=]FRACTION:members|votes` → a `ChamberRule`; FRACTION as `2/3`, `0.6`, `60%` or `1`.

    Raises ValueError with a message saying what is wrong and what is expected.
    """
    expected = 'expected e.g. "2/3:members" or ">1/2:votes"'
    raw = text.strip()
    if "\x00" in raw:
        raise ValueError(f"chamber threshold contains a NUL character, {expected}")
    amount, sep, base = raw.rpartition(":")
    if not sep:
        raise ValueError(f"chamber threshold {raw!r} has no base (members or votes), {expected}")
    base = base.strip().lower()
    if base == "votes-cast":
        base = "votes"
    if base not in ("members", "votes"):
        raise ValueError(f"chamber threshold {raw!r}: base must be members or votes, {expected}")
    amount = amount.strip()
    strict = False
    if amount.startswith(">="):
        amount = amount[2:].strip()
    elif amount.startswith(">"):
        strict, amount = True, amount[1:].strip()
    try:
        if amount.endswith("%"):
            threshold = Fraction(amount[:-1].strip()) / 100
        else:
            threshold = Fraction(amount)
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"chamber threshold {raw!r}: {amount!r} is not a fraction, {expected}"
        ) from None
    if not 0 < threshold <= 1:
        raise ValueError(f"chamber threshold {raw!r}: the fraction must be above 0 and at most 1")
    if strict and threshold == 1:
        raise ValueError(f"chamber threshold {raw!r}: no chamber can have more than all")
    return ChamberRule(threshold, "members" if base == "members" else "votes", strict=strict)
