"""Indicators: each figure on a tiny made-up case worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from polyvox.analytics.indicators import (
    circulation_days,
    concentration,
    herfindahl,
    interaction,
    quantile,
    representation_score,
    responsiveness,
)
from polyvox.analytics.indicators_participation import (
    OTHER_OR_NOT_SHOWN,
    Participation,
    Slice,
    Target,
    normalise_gender,
    participation,
)


def test_median_of_an_odd_count_is_the_middle_value():
    # 1, 2, 2, 9, 30 → the third value: 2
    assert quantile({1.0: 1, 2.0: 2, 9.0: 1, 30.0: 1}, 0.5) == 2.0


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    # 1, 3, 5, 11 → (3 + 5) / 2 = 4
    assert quantile({1.0: 1, 3.0: 1, 5.0: 1, 11.0: 1}, 0.5) == 4.0


def test_90th_percentile_interpolates_between_order_statistics():
    # 0, 1, …, 10 (11 values): h = 10 x 0.9 = 9 → the 10th value, 9
    assert quantile({float(d): 1 for d in range(11)}, 0.9) == 9.0
    # 2, 4, 6, 8, 10: h = 4 x 0.9 = 3.6 → 8 + 0.6 x (10 - 8) = 9.2
    assert quantile({2.0: 1, 4.0: 1, 6.0: 1, 8.0: 1, 10.0: 1}, 0.9) == pytest.approx(9.2)


def test_quantile_of_no_values_is_none():
    assert quantile({}, 0.5) is None
    assert quantile({3.0: 0}, 0.5) is None


@given(st.dictionaries(st.integers(0, 200), st.integers(1, 6), min_size=1), st.floats(0, 1))
def test_quantile_matches_numpy_on_the_expanded_values(counts, q):
    values = [float(v) for v, n in counts.items() for _ in range(n)]
    found = quantile({float(v): n for v, n in counts.items()}, q)
    assert found == pytest.approx(float(np.quantile(values, q)))


def test_responsiveness_counts_answers_and_reasons():
    # 10 inputs, 8 answered, 6 of them with a reason; waits (days) 1, 1, 2, 3, 5, 8, 13, 21.
    # median: (3 + 5) / 2 = 4; p90: h = 7 x 0.9 = 6.3 → 13 + 0.3 x (21 - 13) = 15.4
    found = responsiveness(
        inputs=10,
        answered=8,
        answered_with_reason=6,
        days_to_answer={1.0: 2, 2.0: 1, 3.0: 1, 5.0: 1, 8.0: 1, 13.0: 1, 21.0: 1},
    )
    assert found.answered_share == 0.8
    assert found.answered_with_reason_share == 0.6
    assert found.median_days_to_answer == 4.0
    assert found.p90_days_to_answer == pytest.approx(15.4)


def test_responsiveness_of_no_inputs_has_no_shares():
    found = responsiveness(inputs=0, answered=0, answered_with_reason=0, days_to_answer={})
    assert (found.answered_share, found.median_days_to_answer) == (None, None)


def test_responsiveness_refuses_more_answers_than_inputs():
    with pytest.raises(ValueError, match="answered"):
        responsiveness(inputs=2, answered=3, answered_with_reason=0, days_to_answer={})


def test_interaction_shares_replies_across_stakeholder_groups():
    # 8 replies, 6 to someone of another group → 0.75
    found = interaction(replies=8, cross_group_replies=6, answers_given=5)
    assert (found.cross_group_share, found.answers_given) == (0.75, 5)
    assert interaction(replies=0, cross_group_replies=0, answers_given=0).cross_group_share is None


def test_herfindahl_of_equal_parties_is_one_over_n_and_of_one_party_is_one():
    assert herfindahl([5, 5, 5, 5]) == pytest.approx(0.25)
    assert herfindahl([12]) == 1.0
    # 6, 3, 1 of 10: 0.36 + 0.09 + 0.01 = 0.46
    assert herfindahl([6, 3, 1, 0]) == pytest.approx(0.46)
    assert herfindahl([]) is None


def test_concentration_merges_spellings_of_an_organisation_and_ignores_inputs_without_one():
    # "ISOC" 3 + " isoc " 1 = 4, "EFF" 4 → shares ½, ½ → HHI 0.5; 3 campaign inputs of 12 = 0.25
    found = concentration(
        by_organisation={"ISOC": 3, " isoc ": 1, "EFF": 4, "": 4}, inputs=12, campaign_inputs=3
    )
    assert found.hhi_by_organisation == pytest.approx(0.5)
    assert found.organisations == 2
    assert found.campaign_share == 0.25


def test_circulation_days_count_from_publication_to_the_deadline():
    published = datetime(2026, 3, 1, 12, tzinfo=UTC)
    # 1 March 12:00 → 31 March 00:00 = 29.5 days
    assert circulation_days(published, datetime(2026, 3, 31, tzinfo=UTC)) == 29.5
    assert circulation_days(published, datetime(2026, 2, 28, 12, tzinfo=UTC)) == -1.0
    assert circulation_days(published, None) is None


def test_representation_score_is_lowest_rate_over_highest():
    assert representation_score([0.5, 1.0, 2.0]) == 0.25
    assert representation_score([1.0, None]) is None
    assert representation_score([]) is None


def slices(*rows: tuple[str, str, bool, str, int]) -> list[Slice]:
    return [Slice(*row) for row in rows]


def test_participation_counts_by_group_region_gender_and_global_south():
    # 20 inputs: civil society in Kenya (Africa, Global South) 12 by women; private sector in
    # France (Europe) 8 by men. Every cell is 0 or ≥ 5: nothing is suppressed.
    found = participation(
        slices(
            ("civil_society", "Africa", True, "Woman", 12),
            ("private_sector", "Europe", False, "man ", 8),
        ),
        groups=["government", "private_sector", "civil_society"],
    )
    assert [(r.value, r.count) for r in found.by_group] == [
        ("government", 0),
        ("private_sector", 8),
        ("civil_society", 12),
    ]
    assert [(r.value, r.count, r.share) for r in found.by_region] == [
        ("Africa", 12, 0.6),
        ("Europe", 8, 0.4),
    ]
    assert [(r.value, r.count) for r in found.by_gender] == [("man", 8), ("woman", 12)]
    assert (found.global_south_inputs, found.global_south_share) == (12, 0.6)
    assert (found.inputs, found.representation_score) == (20, None)  # no targets


def test_a_single_small_cell_is_hidden_and_the_total_does_not_give_it_away():
    # Groups: civil society 12, private sector 8, academia 3 (total 23). Hiding academia alone
    # leaves 23 - 12 - 8 = 3, and the cross-tabulation's academia cells add up to it too: more
    # cells go, until academia can be anything from 0 to 3 (checked by integer programming).
    given_slices = slices(
        ("civil_society", "Africa", True, "woman", 12),
        ("private_sector", "Africa", True, "man", 8),
        ("academia", "Africa", True, "man", 3),
    )
    found = participation(
        given_slices, groups=["government", "private_sector", "civil_society", "academia"]
    )
    counts = {r.value: r.count for r in found.by_group}
    assert counts["academia"] is None
    assert counts["government"] == 0
    attacker = Attacker(found, given_slices)
    low, high = attacker.range(lambda atom: atom[0] == "academia")
    assert (low, high) == (0, 3)


def test_a_gender_with_fewer_than_five_inputs_merges_into_other_and_is_never_named():
    # 6 women, 5 men, 2 "non-binary": the label "non-binary" must not appear; the merged cell of
    # 2 is suppressed, with a complement (otherwise 13 - 6 - 5 = 2).
    found = participation(
        slices(
            ("civil_society", "Africa", True, "woman", 6),
            ("civil_society", "Africa", True, "man", 5),
            ("civil_society", "Africa", True, "Non-binary", 2),
        )
    )
    genders = {r.value: r.count for r in found.by_gender}
    assert "non-binary" not in genders
    assert genders[OTHER_OR_NOT_SHOWN] is None
    assert sum(v is None for v in genders.values()) >= 2


def test_a_lone_gender_is_not_named_since_it_would_say_everyones():
    found = participation(slices(("government", "Europe", False, "woman", 9)))
    assert [(r.value, r.count) for r in found.by_gender] == [(OTHER_OR_NOT_SHOWN, 9)]


def test_targets_give_rates_and_the_representation_score():
    # 36 inputs: civil society 24 (2/3), academia 12 (1/3), government 0. Targets: civil society
    # ≥ 0.3 (rate 2/3 ÷ 0.3 = 20/9), academia ≥ 0.2 (rate 1/3 ÷ 0.2 = 5/3): score (5/3)/(20/9) = 0.75.
    found = participation(
        slices(
            ("civil_society", "Africa", True, "woman", 24),
            ("academia", "Europe", False, "man", 12),
        ),
        groups=["government", "private_sector", "civil_society", "academia"],
        targets=[
            Target("stakeholder_group", "civil_society", 0.3),
            Target("stakeholder_group", "academia", 0.2),
        ],
    )
    rows = {r.value: r for r in found.by_group}
    assert rows["civil_society"].meets_target is True
    assert rows["academia"].meets_target is True
    assert rows["government"].target is None
    assert found.representation_scores["stakeholder_group"] == pytest.approx(0.75)
    assert found.representation_score == pytest.approx(0.75)


def test_a_missed_target_on_a_suppressed_count_says_missed_but_gives_no_score():
    # Government 4 of 40 (0.1) against ≥ 0.2: missed. Its count is hidden, and a score (its rate
    # ÷ the highest) would give the count back, so the score is None.
    found = participation(
        slices(
            ("civil_society", "Africa", True, "woman", 24),
            ("academia", "Europe", False, "man", 12),
            ("government", "Europe", False, "man", 4),
        ),
        groups=["government", "civil_society", "academia"],
        targets=[
            Target("stakeholder_group", "government", 0.2),
            Target("stakeholder_group", "civil_society", 0.3),
        ],
    )
    government = next(r for r in found.by_group if r.value == "government")
    assert (government.count, government.meets_target) == (None, False)
    assert found.representation_score is None


def test_global_south_target():
    # 12 of 20 from the Global South (0.6) against ≥ 0.5: met.
    found = participation(
        slices(
            ("civil_society", "Africa", True, "woman", 12),
            ("private_sector", "Europe", False, "man", 8),
        ),
        targets=[Target("global_south", "", 0.5)],
    )
    assert (found.global_south_target, found.global_south_meets_target) == (0.5, True)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="≥ 0"):
        participation(slices(("civil_society", "Africa", True, "", -1)))


# The attacker: what can be worked out from the published figures alone ----------------------------

# What anyone knows of M49: Africa is all Global South, Europe none, the Americas both.
REGION_GLOBAL_SOUTH = {
    "Africa": (True,),
    "Europe": (False,),
    "Americas": (True, False),
    "": (False,),
}


class Attacker:
    """Whole numbers >= 0 for every (group, region, Global South, gender) the published figures
    leave possible, constrained by every published figure; ranges by integer programming."""

    def __init__(self, found: Participation, truth: list[Slice]) -> None:
        genders = [r.value for r in found.by_gender]
        present = {(c.stakeholder_group, c.region) for c in found.cross}
        self.atoms = [
            (g, r, gs, s)
            for g, r in sorted(present)
            for gs in REGION_GLOBAL_SOUTH[r]
            for s in genders
        ]
        merged = {}
        for piece in truth:
            gender = normalise_gender(piece.gender)
            gender = gender if gender in genders else OTHER_OR_NOT_SHOWN
            key = (piece.stakeholder_group, piece.region, piece.global_south, gender)
            merged[key] = merged.get(key, 0) + piece.count
        assert set(merged) <= set(self.atoms) | {k for k, v in merged.items() if v == 0}
        self.true = [merged.get(atom, 0) for atom in self.atoms]
        equations = [(lambda a: True, found.inputs)]
        for dimension, rows in ((0, found.by_group), (1, found.by_region), (3, found.by_gender)):
            equations += [
                (lambda a, d=dimension, v=row.value: a[d] == v, row.count)
                for row in rows
                if row.count is not None
            ]
        if found.global_south_inputs is not None:
            equations.append((lambda a: a[2], found.global_south_inputs))
        equations += [
            (
                lambda a, c=c: (a[0], a[1], a[3]) == (c.stakeholder_group, c.region, c.gender),
                c.count,
            )
            for c in found.cross
            if c.count is not None
        ]
        self.matrix = np.array(
            [[1.0 if test(atom) else 0.0 for atom in self.atoms] for test, _ in equations]
        )
        self.values = np.array([float(value) for _, value in equations])

    def truth(self, test) -> int:
        return sum(n for atom, n in zip(self.atoms, self.true, strict=True) if test(atom))

    def range(self, test) -> tuple[int, int]:
        objective = np.array([1.0 if test(atom) else 0.0 for atom in self.atoms])
        ends = []
        for sign in (1.0, -1.0):
            result = milp(
                -sign * objective,
                constraints=[LinearConstraint(self.matrix, self.values, self.values)],
                integrality=np.ones(len(self.atoms)),
                bounds=Bounds(0, np.inf),
            )
            assert result.status == 0, "the true counts are a solution"
            ends.append(round(float(objective @ result.x)))
        return ends[1], ends[0]


GROUPS = ("government", "civil_society", "academia")
REGIONS = st.sampled_from(
    [("Africa", True), ("Europe", False), ("Americas", True), ("Americas", False)]
)
small_tables = st.lists(
    st.tuples(
        st.sampled_from(GROUPS),
        REGIONS,
        st.sampled_from(["woman", "man", "", "non-binary"]),
        st.integers(0, 9),
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables)
def test_suppression_never_reveals_a_cell_under_five_through_totals_or_differences(table):
    truth = [Slice(g, region, gs, gender, n) for g, (region, gs), gender, n in table]
    found = participation(truth, groups=list(GROUPS))
    if found.inputs == 0:
        return
    if found.inputs < 5:  # too few to break down: the total only
        assert found.cross == ()
        assert all(r.count in (0, None) for r in (*found.by_group, *found.by_region))
        assert all(r.count is None for r in found.by_gender)
        assert found.global_south_inputs is None
        return
    attacker = Attacker(found, truth)
    cells = (
        [lambda a, v=v: a[0] == v for v in GROUPS]
        + [lambda a, v=r.value: a[1] == v for r in found.by_region]
        + [lambda a, v=r.value: a[3] == v for r in found.by_gender]
        + [lambda a: a[2], lambda a: not a[2]]
        + [
            lambda a, c=c: (a[0], a[1], a[3]) == (c.stakeholder_group, c.region, c.gender)
            for c in found.cross
        ]
    )
    for cell in cells:
        value = attacker.truth(cell)
        if 0 < value < 5:
            low, high = attacker.range(cell)
            assert low < high, f"a cell of {value} can be worked out"
    # A gender's label shows only with 5 or more inputs, and a gender holding every input can
    # never be worked out (it would say each person's).
    for row in found.by_gender:
        if row.value != OTHER_OR_NOT_SHOWN:
            value = attacker.truth(lambda a, v=row.value: a[3] == v)
            assert value >= 5
            if value == found.inputs:
                low, high = attacker.range(lambda a, v=row.value: a[3] == v)
                assert low < high


def test_a_targeted_gender_with_few_inputs_shows_no_count_but_says_the_target_is_missed():
    # 3 "Non-binary" inputs of 23 merge into "other / not shown"; the target row for
    # "non-binary" (≥ 0.1, i.e. 2.3 inputs) shows no count, and the target is met (3 ≥ 2.3).
    found = participation(
        slices(
            ("civil_society", "Africa", True, "woman", 12),
            ("civil_society", "Africa", True, "man", 8),
            ("civil_society", "Africa", True, "Non-binary", 3),
        ),
        targets=[Target("gender", "Non-Binary", 0.1)],
    )
    row = next(r for r in found.by_gender if r.value == "non-binary")
    assert (row.count, row.target, row.meets_target) == (None, 0.1, True)


def test_a_lone_target_gives_no_score_only_whether_it_is_met():
    # One target: lowest ÷ highest of a single rate is always 1, which would say nothing.
    found = participation(
        slices(
            ("civil_society", "Africa", True, "woman", 24),
            ("academia", "Europe", False, "man", 12),
        ),
        targets=[Target("stakeholder_group", "academia", 0.5)],
    )
    academia = next(r for r in found.by_group if r.value == "academia")
    assert academia.meets_target is False  # 12 / 36 < 0.5
    assert found.representation_score is None
