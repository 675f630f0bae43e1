"""Decision rules: hand-computed cases for every preset, and properties that hold for all of them."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyvox.analytics.decision_rules import (
    DEFAULT_CHAMBER,
    POSITIONS,
    RULES,
    ChamberRule,
    GroupTally,
    decide,
    parse_chamber,
    tally,
    what_if,
)

G = GroupTally


def passed(rule: str, groups: dict[str, GroupTally], **kwargs: object) -> bool:
    return decide(rule, groups, **kwargs).passed  # type: ignore[arg-type]


# --- the tally ----------------------------------------------------------------------------------


def test_in_favour_is_support_or_can_live_with_and_against_is_oppose_or_block() -> None:
    g = G(support=3, can_live_with=2, oppose=1, block=4, abstain=5, absent=6)

    assert (g.in_favour, g.against, g.cast, g.members) == (5, 5, 10, 21)
    assert g.to_json() == {"in_favour": 5, "against": 5, "abstain": 5, "absent": 6, "members": 21}
    assert list(g.to_json()) == ["in_favour", "against", "abstain", "absent", "members"]


def test_tally_counts_rows_by_group_in_order_of_first_appearance() -> None:
    groups = tally(
        [
            ("a", "civil-society", "support"),
            ("b", "business", "can-live-with"),
            ("c", "civil-society", "block"),
            ("d", "civil-society", "absent"),
            ("e", "business", "abstain"),
        ]
    )

    assert list(groups) == ["civil-society", "business"]
    assert groups["civil-society"] == G(support=1, block=1, absent=1)
    assert groups["business"] == G(can_live_with=1, abstain=1)


def test_tally_refuses_a_duplicate_voter_and_an_unknown_position() -> None:
    with pytest.raises(ValueError, match="duplicate voter 'a'"):
        tally([("a", "x", "support"), ("a", "y", "oppose")])
    with pytest.raises(ValueError, match=r"unknown position 'yes'.*support, can-live-with"):
        tally([("a", "x", "yes")])


def test_from_counts_reads_positions_as_spelled_in_the_csv() -> None:
    assert G.from_counts({"support": 2, "can-live-with": 1, "absent": 3}) == G(
        support=2, can_live_with=1, absent=3
    )
    assert G.from_counts({}) == G()
    with pytest.raises(ValueError, match="unknown position 'can_live_with'"):
        G.from_counts({"can_live_with": 1})
    with pytest.raises(ValueError, match="≥ 0"):
        G(support=-1)


def test_the_presets_are_the_seven_of_the_issue_in_its_order_each_with_a_source() -> None:
    assert list(RULES) == [
        "simple-majority",
        "two-thirds-present-voting",
        "un-security-council",
        "gnso-supermajority",
        "consensus-with-blocks",
        "chambers",
        "one-state-one-vote",
    ]
    assert [name for name, rule in RULES.items() if rule.allows_block] == ["consensus-with-blocks"]
    assert all(rule.name == name and rule.title and rule.source for name, rule in RULES.items())
    assert "18(2)" in RULES["two-thirds-present-voting"].source
    assert "27(3)" in RULES["un-security-council"].source
    assert "GNSO Supermajority Vote" in RULES["gnso-supermajority"].source
    assert POSITIONS == ("support", "can-live-with", "oppose", "block", "abstain", "absent")


def test_an_unknown_rule_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown rule 'majority', known rules: simple-majority"):
        decide("majority", {"x": G(support=1)})


def test_what_if_gives_every_preset_in_order_or_the_rules_asked_for() -> None:
    groups = {"x": G(support=2, oppose=1)}

    assert [r.rule for r in what_if(groups)] == list(RULES)
    asked = what_if(groups, rules=["chambers", "simple-majority"])
    assert [r.rule for r in asked] == ["chambers", "simple-majority"]


def test_a_result_serialises_to_the_documented_json() -> None:
    result = decide("simple-majority", {"x": G(support=2, oppose=1, absent=1)})

    assert json.loads(json.dumps(result.to_json())) == {
        "rule": "simple-majority",
        "passed": True,
        "reason": "2 in favour, 1 against: more in favour than against.",
        "groups": {"x": {"in_favour": 2, "against": 1, "abstain": 0, "absent": 1, "members": 4}},
    }


# --- simple-majority ----------------------------------------------------------------------------


def test_simple_majority_more_in_favour_than_against_across_groups() -> None:
    groups = {"a": G(support=3, oppose=3), "b": G(can_live_with=2, block=1)}  # 5 to 4

    assert passed("simple-majority", groups)


def test_simple_majority_a_tie_fails() -> None:
    result = decide("simple-majority", {"a": G(support=4, oppose=2, block=2)})

    assert not result.passed
    assert result.reason == "4 in favour, 4 against: a tie fails."


def test_simple_majority_ignores_abstentions_and_absences() -> None:
    assert passed("simple-majority", {"a": G(support=1, abstain=10, absent=20)})
    assert not passed("simple-majority", {"a": G(support=3, oppose=4, abstain=10)})


def test_simple_majority_with_no_vote_cast_fails() -> None:
    result = decide("simple-majority", {"a": G(abstain=3, absent=2)})

    assert not result.passed
    assert result.reason == "No vote was cast."
    assert not passed("simple-majority", {})


# --- two-thirds-present-voting ------------------------------------------------------------------


def test_two_thirds_exactly_two_thirds_of_votes_cast_passes() -> None:
    result = decide("two-thirds-present-voting", {"a": G(support=10, oppose=5)})

    assert result.passed
    assert result.reason == "10 in favour of 15 votes cast (5 against): at least two thirds."


def test_two_thirds_just_under_fails() -> None:
    assert not passed("two-thirds-present-voting", {"a": G(support=9, oppose=5)})  # 9/14


def test_two_thirds_abstentions_and_absences_are_not_present_and_voting() -> None:
    assert passed("two-thirds-present-voting", {"a": G(support=2, oppose=1, abstain=50, absent=9)})


def test_two_thirds_needs_at_least_one_vote() -> None:
    assert not passed("two-thirds-present-voting", {"a": G(abstain=3)})
    assert passed("two-thirds-present-voting", {"a": G(can_live_with=1)})


# --- un-security-council ------------------------------------------------------------------------


def test_security_council_a_permanent_member_abstaining_is_not_a_veto() -> None:
    result = decide(
        "un-security-council",
        {"permanent": G(support=4, abstain=1), "elected": G(support=5, oppose=5)},
    )

    assert result.passed
    assert "9 in favour, no permanent member against" in result.reason
    assert "not a veto" in result.reason


def test_security_council_a_permanent_member_absent_is_not_a_veto() -> None:
    assert passed(
        "un-security-council",
        {"permanent": G(support=4, absent=1), "elected": G(can_live_with=5, oppose=5)},
    )


def test_security_council_one_permanent_member_against_vetoes_fourteen_in_favour() -> None:
    result = decide(
        "un-security-council",
        {"permanent": G(support=4, oppose=1), "elected": G(support=10)},
    )

    assert not result.passed
    assert result.reason == "14 in favour, but 1 permanent member was against (a veto)."


def test_security_council_a_permanent_block_is_a_veto_too() -> None:
    assert not passed(
        "un-security-council", {"permanent": G(support=4, block=1), "elected": G(support=10)}
    )


def test_security_council_elected_members_against_do_not_veto() -> None:
    assert passed(
        "un-security-council", {"permanent": G(support=5), "elected": G(support=4, oppose=6)}
    )


def test_security_council_needs_nine_in_favour() -> None:
    result = decide("un-security-council", {"permanent": G(support=5), "elected": G(support=3)})

    assert not result.passed
    assert "8 in favour" in result.reason
    assert "9 in favour are needed" in result.reason


def test_security_council_does_not_count_other_groups() -> None:
    result = decide(
        "un-security-council",
        {"permanent": G(support=5), "elected": G(support=3), "observer": G(support=5)},
    )

    assert not result.passed
    assert "5 voters in other groups (observer) were not counted" in result.reason
    assert not passed("un-security-council", {"observer": G(support=20)})


# --- gnso-supermajority -------------------------------------------------------------------------


def test_gnso_exactly_two_thirds_of_each_house_passes() -> None:
    result = decide(
        "gnso-supermajority",
        {
            "contracted": G(support=4, absent=2),  # 4 of 6
            "non-contracted": G(support=6, can_live_with=2, oppose=4),  # 8 of 12
        },
    )

    assert result.passed
    assert "at least two thirds of each house" in result.reason


def test_gnso_exactly_three_quarters_of_one_house_and_more_than_half_of_the_other_passes() -> None:
    result = decide(
        "gnso-supermajority",
        {
            "contracted": G(support=4, oppose=3),  # 4 of 7: more than half, less than 2/3
            "non-contracted": G(support=9, abstain=3),  # 9 of 12: exactly 3/4
        },
    )

    assert result.passed
    assert "three quarters of the non-contracted house" in result.reason


def test_gnso_three_quarters_of_one_house_and_exactly_half_of_the_other_fails() -> None:
    assert not passed(
        "gnso-supermajority",
        {"contracted": G(support=3, oppose=3), "non-contracted": G(support=9, abstain=3)},
    )


def test_gnso_absent_members_count_in_their_house() -> None:
    houses = {"contracted": G(support=4, absent=2), "non-contracted": G(support=8, absent=4)}
    assert passed("gnso-supermajority", houses)

    # One more absent member: 4 of 7 is under two thirds, and 8 of 12 is under three quarters.
    houses["contracted"] = G(support=4, absent=3)
    result = decide("gnso-supermajority", houses)
    assert not result.passed
    assert "contracted 4 of 7 in favour, non-contracted 8 of 12 in favour" in result.reason


def test_gnso_a_house_without_members_fails() -> None:
    result = decide("gnso-supermajority", {"contracted": G(support=5)})

    assert not result.passed
    assert result.reason == "The non-contracted house has no members."


# --- consensus-with-blocks ----------------------------------------------------------------------


def test_consensus_one_block_stops_it() -> None:
    result = decide("consensus-with-blocks", {"a": G(support=30), "b": G(support=9, block=1)})

    assert not result.passed
    assert result.reason == "1 block: a block stops consensus (39 in favour, 1 against)."


def test_consensus_without_blocks_needs_more_in_favour_than_against() -> None:
    assert passed("consensus-with-blocks", {"a": G(support=10, oppose=3)})
    assert not passed("consensus-with-blocks", {"a": G(can_live_with=3, oppose=3)})
    assert not passed("consensus-with-blocks", {"a": G(abstain=3)})


# --- chambers -----------------------------------------------------------------------------------


def test_chambers_default_is_more_than_half_of_votes_cast_in_every_chamber() -> None:
    groups = {"government": G(support=2, oppose=1), "civil-society": G(support=1, oppose=1)}

    result = decide("chambers", groups)

    assert not result.passed
    assert result.reason.startswith("Chamber civil-society did not pass")
    groups["civil-society"] = G(support=2, oppose=1, absent=10)
    assert passed("chambers", groups)


def test_chambers_threshold_of_members_or_of_votes_cast() -> None:
    groups = {"business": G(support=3, oppose=1, absent=6)}  # 3 of 4 votes, 3 of 10 members

    assert passed("chambers", groups, chambers={"business": parse_chamber("2/3:votes")})
    assert not passed("chambers", groups, chambers={"business": parse_chamber("2/3:members")})


def test_chambers_at_exactly_the_threshold_at_least_passes_more_than_fails() -> None:
    groups = {"x": G(support=4, abstain=2)}  # 4 of 6 members

    assert passed("chambers", groups, chambers={"x": parse_chamber("2/3:members")})
    assert not passed("chambers", groups, chambers={"x": parse_chamber(">2/3:members")})


def test_chambers_a_chamber_without_a_vote_does_not_pass() -> None:
    assert not passed("chambers", {"x": G(support=3), "y": G(abstain=2)})
    # A chamber that is configured but has nobody in it does not pass either.
    result = decide("chambers", {"x": G(support=3)}, chambers={"y": parse_chamber("1/2:members")})
    assert not result.passed
    assert "y 0 of 0 members" in result.reason
    assert not passed("chambers", {})


def test_chambers_every_chamber_must_pass() -> None:
    rules = {"a": parse_chamber("3/4:members"), "b": parse_chamber(">1/2:votes")}
    groups = {"a": G(support=3, oppose=1), "b": G(support=2, oppose=1), "c": G(support=1)}

    result = decide("chambers", groups, chambers=rules)

    assert result.passed
    assert result.reason.startswith("Every chamber passed: a 3 of 4 members")


# --- one-state-one-vote -------------------------------------------------------------------------


def test_one_state_one_vote_ignores_a_thousand_non_government_supporters() -> None:
    groups = {"government": G(support=2, oppose=3), "civil-society": G(support=1000)}

    result = decide("one-state-one-vote", groups)

    assert not result.passed
    assert result.reason == (
        "2 states in favour, 3 states against: not more in favour than against. "
        "1000 voters in other groups (civil-society) were consultative."
    )
    assert result.groups["civil-society"].in_favour == 1000  # shown apart, not dropped


def test_one_state_one_vote_passes_on_the_states_alone() -> None:
    groups = {"government": G(support=3, oppose=1, block=1), "business": G(oppose=1000)}

    assert passed("one-state-one-vote", groups)


def test_one_state_one_vote_a_tie_or_no_state_fails() -> None:
    assert not passed("one-state-one-vote", {"government": G(support=2, oppose=2, abstain=5)})
    result = decide("one-state-one-vote", {"business": G(support=5)})
    assert not result.passed
    assert "no voter is in group government" in result.reason


# --- chamber thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "described"),
    [
        ("2/3:members", ChamberRule(Fraction(2, 3), "members"), "at least 2/3 of members"),
        (">1/2:votes", ChamberRule(Fraction(1, 2), "votes", True), "more than 1/2 of votes cast"),
        (">= 3/5 : votes", ChamberRule(Fraction(3, 5), "votes"), "at least 3/5 of votes cast"),
        ("60%:members", ChamberRule(Fraction(3, 5), "members"), "at least 3/5 of members"),
        ("0.75:votes", ChamberRule(Fraction(3, 4), "votes"), "at least 3/4 of votes cast"),
        ("1:members", ChamberRule(Fraction(1), "members"), "at least 1 of members"),
    ],
)
def test_parse_chamber(text: str, rule: ChamberRule, described: str) -> None:
    assert parse_chamber(text) == rule
    assert rule.describe() == described
    assert parse_chamber(rule.spec()) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2/3", "no base"),
        ("2/3:people", "base must be members or votes"),
        ("two thirds:votes", "is not a fraction"),
        ("1/0:votes", "is not a fraction"),
        ("0:votes", "above 0 and at most 1"),
        ("3/2:votes", "above 0 and at most 1"),
        ("-1/2:votes", "above 0 and at most 1"),
        (">1:members", "more than all"),
    ],
)
def test_parse_chamber_refuses_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_chamber(text)


def test_the_default_chamber_is_more_than_half_of_votes_cast() -> None:
    assert DEFAULT_CHAMBER.describe() == "more than 1/2 of votes cast"
    assert not DEFAULT_CHAMBER.passes(G(support=1, oppose=1))
    assert DEFAULT_CHAMBER.passes(G(support=2, oppose=1))


# --- properties ---------------------------------------------------------------------------------

GROUP_NAMES = ("permanent", "elected", "contracted", "non-contracted", "government", "x", "y")
count = st.integers(min_value=0, max_value=12)
tallies = st.builds(
    GroupTally,
    support=count,
    can_live_with=count,
    oppose=count,
    block=count,
    abstain=count,
    absent=count,
)
chamber_rules = st.builds(
    ChamberRule,
    threshold=st.fractions(min_value=Fraction(1, 20), max_value=1, max_denominator=20),
    base=st.sampled_from(["members", "votes"]),
    strict=st.just(False),
) | st.builds(
    ChamberRule,
    threshold=st.fractions(
        min_value=Fraction(1, 20), max_value=Fraction(19, 20), max_denominator=20
    ),
    base=st.sampled_from(["members", "votes"]),
    strict=st.just(True),
)
chamber_maps = st.dictionaries(st.sampled_from(GROUP_NAMES), chamber_rules, max_size=3)


@st.composite
def unanimous(draw: st.DrawFn, size: st.SearchStrategy[int]) -> GroupTally:
    """A group where everyone is in favour (support or can live with)."""
    n = draw(size)
    support = draw(st.integers(min_value=0, max_value=n))
    return GroupTally(support=support, can_live_with=n - support)


@st.composite
def unanimous_groups(draw: st.DrawFn, rule: str) -> dict[str, GroupTally]:
    """Everyone in favour, in the groups the rule needs."""
    some = st.integers(min_value=1, max_value=30)
    if rule == "un-security-council":
        permanent = draw(unanimous(st.integers(min_value=0, max_value=5)))
        needed = max(1, 9 - permanent.members)
        elected = draw(unanimous(st.integers(min_value=needed, max_value=needed + 10)))
        return {"permanent": permanent, "elected": elected}
    if rule == "gnso-supermajority":
        return {"contracted": draw(unanimous(some)), "non-contracted": draw(unanimous(some))}
    names = draw(st.lists(st.sampled_from(GROUP_NAMES), min_size=1, max_size=4, unique=True))
    if rule == "one-state-one-vote" and "government" not in names:
        names.append("government")
    return {name: draw(unanimous(some)) for name in names}


@pytest.mark.parametrize("rule", list(RULES))
@given(data=st.data())
def test_unanimous_support_passes_under_every_rule(rule: str, data: st.DataObject) -> None:
    groups = data.draw(unanimous_groups(rule))
    chambers = data.draw(chamber_maps.map(lambda m: {k: v for k, v in m.items() if k in groups}))

    result = decide(rule, groups, chambers=chambers)

    assert result.passed, result.reason


@given(groups=st.dictionaries(st.sampled_from(GROUP_NAMES), tallies, min_size=1), data=st.data())
def test_a_block_defeats_consensus_with_blocks(
    groups: dict[str, GroupTally], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(groups)))
    groups[name] = replace(groups[name], block=groups[name].block + 1)

    assert not decide("consensus-with-blocks", groups).passed


@settings(max_examples=300)
@given(
    groups=st.dictionaries(st.sampled_from(GROUP_NAMES), tallies, min_size=1),
    chambers=chamber_maps,
    data=st.data(),
)
def test_turning_a_vote_from_against_to_in_favour_never_turns_a_pass_into_a_fail(
    groups: dict[str, GroupTally], chambers: dict[str, ChamberRule], data: st.DataObject
) -> None:
    against = sorted(name for name, group in groups.items() if group.against)
    if not against:
        name = data.draw(st.sampled_from(sorted(groups)))
        groups[name] = replace(groups[name], oppose=1)
        against = [name]
    name = data.draw(st.sampled_from(against))
    g = groups[name]
    take = data.draw(st.sampled_from([f for f in ("oppose", "block") if getattr(g, f)]))
    give = data.draw(st.sampled_from(["support", "can_live_with"]))
    turned = replace(g, **{take: getattr(g, take) - 1, give: getattr(g, give) + 1})
    after_groups = {**groups, name: turned}

    for before, after in zip(
        what_if(groups, chambers=chambers), what_if(after_groups, chambers=chambers), strict=True
    ):
        assert not (before.passed and not after.passed), (before.rule, before.reason, after.reason)
