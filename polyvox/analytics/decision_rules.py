"""Decision rules: what a set of positions decides, under each of seven documented presets.

Pure Python, no Django: `polyvox analyse decision POSITIONS.csv` runs it on a file, and the
`outcomes` app runs it on positions counted in the database (docs/decision-rules.md).

Every voter takes one of six positions. **In favour** means `support` or `can-live-with`;
**against** means `oppose` or `block`; `abstain` is present and not voting; `absent` is not
present. Votes are counted per group (a stakeholder group, a chamber, a Security Council
category, a GNSO house), in a `GroupTally`. Thresholds are compared in integers or
`fractions.Fraction`, never in floating point, so "exactly two thirds" is exactly two thirds.

The presets and their sources:

- `simple-majority`: in favour > against; a tie fails (Robert's Rules of Order, "majority vote":
  more than half of the votes cast, abstentions not counted).
- `two-thirds-present-voting`: in favour ≥ 2/3 of (in favour + against), with at least one vote
  cast (Charter of the United Nations, art. 18(2): "important questions" in the General Assembly
  are decided by "a two-thirds majority of the members present and voting"; rule 86 of its rules
  of procedure: members who abstain are considered as not voting).
- `un-security-council`: at least 9 in favour and no member of group `permanent` against
  (Charter art. 27(3): "an affirmative vote of nine members including the concurring votes of the
  permanent members"; by the Council's constant practice, confirmed by the International Court
  of Justice, Namibia advisory opinion, 1971, para. 22, a permanent member's abstention or
  absence is not a veto).
- `gnso-supermajority`: houses `contracted` and `non-contracted`; in favour ≥ 2/3 of the members
  of each house, or ≥ 3/4 of the members of one house and > 1/2 of the members of the other
  (ICANN Bylaws, Article 11, section 11.3(i), "GNSO Supermajority Vote"). A house's members are
  all its voters, absent ones included.
- `consensus-with-blocks`: nobody blocks, and in favour > against (formal consensus, where any
  participant may block a proposal: C. T. Butler and A. Rothstein, *On Conflict and Consensus*,
  1987).
- `chambers`: each group is a chamber with its own threshold (`ChamberRule`, of members or of
  votes cast; by default more than half of the votes cast); passes when every chamber passes, and
  a chamber where no vote is cast does not pass (multi-chamber voting, as in the two voting houses
  of the ICANN GNSO Council, ICANN Bylaws, Article 11, section 11.3, whose default threshold is a
  majority of each house).
- `one-state-one-vote`: only group `government` decides, one vote per state (the voter is the
  state); in favour > against among the states; the other groups are consultative (sovereign
  equality, Charter art. 2(1) and art. 18(1): "each member of the General Assembly shall have one
  vote"; other stakeholders take part without a vote, as in the Tunis Agenda, para. 35).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from polyvox.analytics.decision_tallies import (
    DEFAULT_CHAMBER,
    POSITIONS,
    ChamberRule,
    GroupTally,
    parse_chamber,
)

__all__ = [
    "DEFAULT_CHAMBER",
    "POSITIONS",
    "RULES",
    "ChamberRule",
    "GroupTally",
    "Result",
    "Rule",
    "decide",
    "parse_chamber",
    "tally",
    "what_if",
]


PERMANENT, ELECTED = "permanent", "elected"
CONTRACTED, NON_CONTRACTED = "contracted", "non-contracted"
GOVERNMENT = "government"
SECURITY_COUNCIL_MAJORITY = 9


@dataclass(frozen=True)
class Rule:
    """A preset: its name (as stored and on the command line), title, source and meaning."""

    name: str
    title: str
    source: str
    allows_block: bool
    meaning: str = ""


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "simple-majority",
            "Simple majority",
            "Robert's Rules of Order Newly Revised, 12th ed. (2020), 44:1-44:3: a majority of "
            "the votes cast, abstentions not counted.",
            False,
            "Passes when more are in favour than against. A tie fails.",
        ),
        Rule(
            "two-thirds-present-voting",
            "Two thirds of those present and voting",
            'Charter of the United Nations, art. 18(2) ("important questions": "a two-thirds '
            'majority of the members present and voting"); General Assembly rules of procedure, '
            "rule 86 (those who abstain are not voting).",
            False,
            "Passes when those in favour are at least two thirds of those in favour or against, "
            "with at least one vote cast.",
        ),
        Rule(
            "un-security-council",
            "UN Security Council (nine votes, no veto)",
            "Charter of the United Nations, art. 27(3) as practised: an abstaining or absent "
            "permanent member does not veto (ICJ, Namibia advisory opinion, 1971, para. 22).",
            False,
            "Voters are in group permanent or elected. Passes with at least 9 in favour and no "
            "permanent member against; a permanent member's abstention or absence is not a veto.",
        ),
        Rule(
            "gnso-supermajority",
            "ICANN GNSO supermajority (two houses)",
            'ICANN Bylaws, Article 11, section 11.3(i), "GNSO Supermajority Vote".',
            False,
            "Voters are in house contracted or non-contracted; a house's members are all its "
            "voters, absent included. Passes when those in favour are at least 2/3 of the "
            "members of each house, or at least 3/4 of the members of one house and more than "
            "half of the members of the other.",
        ),
        Rule(
            "consensus-with-blocks",
            "Consensus with blocks",
            "Formal consensus, where any participant may block: C. T. Butler and A. Rothstein, "
            "On Conflict and Consensus (1987).",
            True,
            "Passes when nobody blocks and more are in favour than against.",
        ),
        Rule(
            "chambers",
            "Chambers (each stakeholder group decides)",
            "Multi-chamber voting, as in the two voting houses of the ICANN GNSO Council (ICANN "
            "Bylaws, Article 11, section 11.3); thresholds set by the process.",
            False,
            "Each group is a chamber with its own threshold, of its members or of its votes cast "
            "(by default more than half of the votes cast). Passes when every chamber passes; a "
            "chamber where no vote is cast does not pass.",
        ),
        Rule(
            "one-state-one-vote",
            "One state, one vote",
            'Charter of the United Nations, arts. 2(1) (sovereign equality) and 18(1) ("each '
            'member of the General Assembly shall have one vote"); Tunis Agenda for the '
            "Information Society (2005), para. 35 (the roles of governments and other "
            "stakeholders).",
            False,
            "Only voters in group government decide, one vote per state; passes when more states "
            "are in favour than against. The other groups are consultative: shown, not counted.",
        ),
    )
}


@dataclass(frozen=True)
class Result:
    """What one rule decided on the given positions, why, and the tally it was decided on."""

    rule: str
    passed: bool
    reason: str
    groups: dict[str, GroupTally] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """`{"rule", "passed", "reason", "groups": {group: tally.to_json()}}`."""
        return {
            "rule": self.rule,
            "passed": self.passed,
            "reason": self.reason,
            "groups": {name: group.to_json() for name, group in self.groups.items()},
        }


def tally(rows: Iterable[tuple[str, str, str]]) -> dict[str, GroupTally]:
    """Count `(voter, group, position)` rows by group, groups in order of first appearance.

    ValueError on a duplicate voter, an unknown position, or an empty voter or group.
    """
    seen: set[str] = set()
    counts: dict[str, dict[str, int]] = {}
    for number, (voter, group, position) in enumerate(rows, start=1):
        if not voter:
            raise ValueError(f"row {number}: the voter is empty")
        if not group:
            raise ValueError(f"row {number}: the group of {voter!r} is empty")
        if position not in POSITIONS:
            raise ValueError(
                f"row {number}: unknown position {position!r}, "
                f"known positions: {', '.join(POSITIONS)}"
            )
        if voter in seen:
            raise ValueError(f"row {number}: duplicate voter {voter!r}")
        seen.add(voter)
        by_position = counts.setdefault(group, {})
        by_position[position] = by_position.get(position, 0) + 1
    return {group: GroupTally.from_counts(by_position) for group, by_position in counts.items()}


def decide(
    rule: str,
    groups: Mapping[str, GroupTally],
    *,
    chambers: Mapping[str, ChamberRule] | None = None,
) -> Result:
    """What `rule` decides on `groups`. `chambers` is used by the `chambers` rule only."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}, known rules: {', '.join(RULES)}")
    snapshot = dict(groups)
    if rule == "chambers":
        passed, reason = _chambers(snapshot, dict(chambers or {}))
    else:
        passed, reason = _DECIDERS[rule](snapshot)
    return Result(rule=rule, passed=passed, reason=reason, groups=snapshot)


def what_if(
    groups: Mapping[str, GroupTally],
    *,
    rules: Sequence[str] | None = None,
    chambers: Mapping[str, ChamberRule] | None = None,
) -> list[Result]:
    """The same positions under several rules: every preset in `RULES` order when `rules` is None."""
    names = list(RULES) if rules is None else list(rules)
    return [decide(name, groups, chambers=chambers) for name in names]


# --- the presets -------------------------------------------------------------------------------


def _total(groups: Mapping[str, GroupTally]) -> GroupTally:
    total = GroupTally()
    for group in groups.values():
        total = total + group
    return total


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _others(groups: Mapping[str, GroupTally], counted: Sequence[str], what: str) -> str:
    """ " Voters in groups … were not counted." for groups the rule does not know, else ""."""
    others = [name for name in groups if name not in counted]
    if not others:
        return ""
    members = sum(groups[name].members for name in others)
    listed = ", ".join(others)
    verb = "was" if members == 1 else "were"
    return f" {_plural(members, 'voter')} in other groups ({listed}) {verb} {what}."


def _simple_majority(groups: Mapping[str, GroupTally]) -> tuple[bool, str]:
    t = _total(groups)
    counts = f"{t.in_favour} in favour, {t.against} against"
    if t.in_favour > t.against:
        return True, f"{counts}: more in favour than against."
    if t.cast == 0:
        return False, "No vote was cast."
    if t.in_favour == t.against:
        return False, f"{counts}: a tie fails."
    return False, f"{counts}: not more in favour than against."


def _two_thirds(groups: Mapping[str, GroupTally]) -> tuple[bool, str]:
    t = _total(groups)
    if t.cast == 0:
        return False, "No vote was cast."
    counts = f"{t.in_favour} in favour of {t.cast} votes cast ({t.against} against)"
    if 3 * t.in_favour >= 2 * t.cast:
        return True, f"{counts}: at least two thirds."
    return False, f"{counts}: less than two thirds."


def _security_council(groups: Mapping[str, GroupTally]) -> tuple[bool, str]:
    permanent = groups.get(PERMANENT, GroupTally())
    elected = groups.get(ELECTED, GroupTally())
    counted = permanent + elected
    note = _others(groups, (PERMANENT, ELECTED), "not counted")
    if counted.members == 0:
        return False, f"No voter is in group permanent or elected.{note}"
    favour = f"{counted.in_favour} in favour"
    if permanent.against:
        vetoes = _plural(permanent.against, "permanent member")
        verb = "was" if permanent.against == 1 else "were"
        return False, f"{favour}, but {vetoes} {verb} against (a veto).{note}"
    if counted.in_favour < SECURITY_COUNCIL_MAJORITY:
        return (
            False,
            f"{favour}, no permanent member against: {SECURITY_COUNCIL_MAJORITY} in favour are "
            f"needed.{note}",
        )
    not_voting = permanent.abstain + permanent.absent
    aside = (
        f" ({_plural(not_voting, 'permanent member')} abstaining or absent: not a veto)"
        if not_voting
        else ""
    )
    return True, f"{favour}, no permanent member against{aside}.{note}"


def _gnso(groups: Mapping[str, GroupTally]) -> tuple[bool, str]:
    houses = {name: groups.get(name, GroupTally()) for name in (CONTRACTED, NON_CONTRACTED)}
    note = _others(groups, (CONTRACTED, NON_CONTRACTED), "not counted")
    empty = [name for name, house in houses.items() if house.members == 0]
    if empty:
        return False, f"The {empty[0]} house has no members.{note}"
    c, n = houses[CONTRACTED], houses[NON_CONTRACTED]
    counts = (
        f"contracted {c.in_favour} of {c.members} in favour, "
        f"non-contracted {n.in_favour} of {n.members} in favour"
    )

    def two_thirds(h: GroupTally) -> bool:
        return 3 * h.in_favour >= 2 * h.members

    def three_quarters(h: GroupTally) -> bool:
        return 4 * h.in_favour >= 3 * h.members

    def half(h: GroupTally) -> bool:
        return 2 * h.in_favour > h.members

    if two_thirds(c) and two_thirds(n):
        return True, f"{counts}: at least two thirds of each house.{note}"
    for strong, weak, strong_name, weak_name in (
        (c, n, CONTRACTED, NON_CONTRACTED),
        (n, c, NON_CONTRACTED, CONTRACTED),
    ):
        if three_quarters(strong) and half(weak):
            return (
                True,
                f"{counts}: at least three quarters of the {strong_name} house and more than "
                f"half of the {weak_name} house.{note}",
            )
    return (
        False,
        f"{counts}: neither two thirds of each house nor three quarters of one and more than "
        f"half of the other.{note}",
    )


def _consensus_with_blocks(groups: Mapping[str, GroupTally]) -> tuple[bool, str]:
    t = _total(groups)
    counts = f"{t.in_favour} in favour, {t.against} against"
    if t.block:
        return False, f"{_plural(t.block, 'block')}: a block stops consensus ({counts})."
    if t.in_favour > t.against:
        return True, f"No block; {counts}."
    if t.cast == 0:
        return False, "No block, but no vote was cast."
    return False, f"No block, but {counts}: not more in favour than against."


def _chambers(
    groups: Mapping[str, GroupTally], rules: Mapping[str, ChamberRule]
) -> tuple[bool, str]:
    names = list(groups) + [name for name in rules if name not in groups]
    if not names:
        return False, "No chamber: no vote was cast."
    failed: list[str] = []
    parts: list[str] = []
    for name in names:
        group = groups.get(name, GroupTally())
        rule = rules.get(name, DEFAULT_CHAMBER)
        ok = rule.passes(group)
        base = group.members if rule.base == "members" else group.cast
        noun = "members" if rule.base == "members" else "votes cast"
        parts.append(
            f"{name} {group.in_favour} of {base} {noun} "
            f"({'passes' if ok else 'fails'}: needs {rule.describe()}"
            f"{', and at least one vote' if group.cast == 0 else ''})"
        )
        if not ok:
            failed.append(name)
    detail = "; ".join(parts)
    if failed:
        which = ", ".join(failed)
        return False, f"Chamber{'s' if len(failed) > 1 else ''} {which} did not pass: {detail}."
    return True, f"Every chamber passed: {detail}."


def _one_state_one_vote(groups: Mapping[str, GroupTally]) -> tuple[bool, str]:
    states = groups.get(GOVERNMENT, GroupTally())
    note = _others(groups, (GOVERNMENT,), "consultative")
    if states.members == 0:
        return False, f"No state voted: no voter is in group government.{note}"
    counts = (
        f"{_plural(states.in_favour, 'state')} in favour, "
        f"{_plural(states.against, 'state')} against"
    )
    if states.in_favour > states.against:
        return True, f"{counts}.{note}"
    if states.in_favour == states.against:
        return False, f"{counts}: a tie fails.{note}"
    return False, f"{counts}: not more in favour than against.{note}"


_DECIDERS = {
    "simple-majority": _simple_majority,
    "two-thirds-present-voting": _two_thirds,
    "un-security-council": _security_council,
    "gnso-supermajority": _gnso,
    "consensus-with-blocks": _consensus_with_blocks,
    "one-state-one-vote": _one_state_one_vote,
}
