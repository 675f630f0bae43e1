"""Tallies counted in the database (with and without an electorate), decisions declared once under
the process's rule set, with the what-if table kept as `decision_rules` computed it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.analytics.decision_rules import GroupTally, decide, what_if
from polyvox.notifications.models import Notification
from polyvox.outcomes.models import Decision
from polyvox.outcomes.selectors.decisions import (
    chamber_rules,
    decision_data,
    live_what_if,
    outcome_settings,
    tallies,
)
from polyvox.outcomes.services import decisions as decision_services
from polyvox.outcomes.services.decisions import declare_decision, record_position
from polyvox.record.models import RecordEntry
from tests.factories import make_chair, make_recommendation, open_decision_phase
from tests.outcomes.conftest_decisions import person, positions, rules, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(process):
    open_decision_phase(process)
    return make_recommendation(process)


@pytest.fixture
def chair(process):
    return make_chair(process, username="chair")


@pytest.fixture
def mixed(recommendation, participant, other_participant):
    """Six participants of three stakeholder groups, each with a position."""
    positions(
        recommendation,
        (participant, "support"),  # civil society
        (person("carla"), "can-live-with"),  # civil society
        (person("chidi"), "oppose"),  # civil society
        (other_participant, "abstain"),  # private sector
        (person("pierre", "private_sector"), "support"),
        (person("gloria", "government"), "oppose"),
    )
    return recommendation


def security_council(process, recommendation, outsider):
    """Three permanent and ten elected members; `outsider` recorded a position before the
    electorate was set, so it does not count."""
    record_position(actor=outsider, recommendation=recommendation, position="oppose")
    permanent = [person(f"p{i}") for i in range(3)]
    elected = [person(f"e{i}") for i in range(10)]
    for i, user in enumerate(permanent):
        seat(process, user, f"Permanent {i}", "permanent")
    for i, user in enumerate(elected):
        seat(process, user, f"Elected {i}", "elected")
    positions(
        recommendation,
        (permanent[0], "support"),
        (permanent[1], "abstain"),  # permanent[2] is absent
        *((user, "support") for user in elected[:8]),
        (elected[8], "oppose"),  # elected[9] is absent
    )


# Tallies -----------------------------------------------------------------------------------------


def test_without_electors_each_author_counts_in_their_stakeholder_group(mixed):
    assert tallies(mixed) == {
        "civil_society": GroupTally(support=1, can_live_with=1, oppose=1),
        "government": GroupTally(oppose=1),
        "private_sector": GroupTally(support=1, abstain=1),
    }


def test_with_electors_the_seats_count_and_those_without_a_position_are_absent(
    process, recommendation, participant
):
    security_council(process, recommendation, participant)

    assert tallies(recommendation) == {
        "elected": GroupTally(support=8, oppose=1, absent=1),
        "permanent": GroupTally(support=1, abstain=1, absent=1),
    }


def test_with_electors_nobody_has_a_position_yet_all_are_absent(process, recommendation):
    seat(process, person("a"), "Argentina", "government")
    seat(process, person("b"), "Benin", "government")

    assert tallies(recommendation) == {"government": GroupTally(absent=2)}


def test_tallies_are_one_grouped_query_however_many_positions(
    recommendation, django_assert_max_num_queries
):
    positions(recommendation, *((person(f"v{i}"), "support") for i in range(30)))

    with django_assert_max_num_queries(3):
        counted = tallies(recommendation)

    assert counted == {"civil_society": GroupTally(support=30)}


def test_the_live_what_if_is_every_preset_on_the_current_positions(mixed):
    table = live_what_if(mixed)

    assert [row.to_json() for row in table] == [row.to_json() for row in what_if(tallies(mixed))]
    by_rule = {row.rule: row for row in table}
    assert len(table) == 7
    assert by_rule["simple-majority"].passed is True
    assert by_rule["simple-majority"].reason == (
        "3 in favour, 2 against: more in favour than against."
    )
    assert by_rule["two-thirds-present-voting"].passed is False  # 3 of 5 is less than 2/3


# Declaring -----------------------------------------------------------------------------------------


def test_the_secretariat_declares_under_the_default_rule_set(process, secretariat, mixed):
    decision = declare_decision(actor=secretariat, recommendation=mixed)

    assert outcome_settings(process).pk is None  # unsaved defaults decided
    assert (decision.rule_set, decision.passed) == ("simple-majority", True)
    assert decision.reason == "3 in favour, 2 against: more in favour than against."
    assert decision.groups["civil_society"] == {
        "in_favour": 2,
        "against": 1,
        "abstain": 0,
        "absent": 0,
        "members": 3,
    }


def test_the_chair_declares_and_the_stored_what_if_equals_the_pure_function(
    process, chair, recommendation, participant
):
    rules(process, "un-security-council")
    security_council(process, recommendation, participant)
    counted = tallies(recommendation)

    decision = declare_decision(actor=chair, recommendation=recommendation)

    expected = decide("un-security-council", counted)
    assert (decision.passed, decision.reason) == (expected.passed, expected.reason)
    assert decision.passed is True
    assert "2 permanent members abstaining or absent: not a veto" in decision.reason
    assert decision.what_if == [row.to_json() for row in what_if(counted)]
    assert decision.groups == {group: tally.to_json() for group, tally in counted.items()}


def test_a_decision_under_chambers_uses_each_chambers_threshold(process, chair, recommendation):
    rules(process, "chambers", government="2/3:members", civil_society=">1/2:votes")
    positions(
        recommendation,
        (person("g1", "government"), "support"),
        (person("g2", "government"), "support"),
        (person("g3", "government"), "oppose"),
        (person("c1"), "support"),
        (person("c2"), "oppose"),
    )
    settings = outcome_settings(process)

    decision = declare_decision(actor=chair, recommendation=recommendation)

    assert decision.passed is False  # government 2 of 3 passes; civil society 1 of 2 does not
    assert "Chamber civil_society did not pass" in decision.reason
    assert decision.what_if == [
        row.to_json() for row in what_if(tallies(recommendation), chambers=chamber_rules(settings))
    ]


def test_a_decision_is_recorded_with_the_tallies_and_notifies_those_who_took_a_position(
    process, chair, mixed, participant, monkeypatch
):
    monkeypatch.setattr(decision_services, "NOTIFY_BATCH", 2)  # several batches

    declare_decision(actor=chair, recommendation=mixed)

    entry = RecordEntry.objects.filter(process=process, kind="decision.declared").get()
    assert entry.payload["recommendation"] == mixed.number
    assert entry.payload["rule_set"] == "simple-majority"
    assert entry.payload["passed"] is True
    assert entry.payload["groups"]["government"]["against"] == 1
    assert [row["rule"] for row in entry.payload["what_if"]][:2] == [
        "simple-majority",
        "two-thirds-present-voting",
    ]
    assert "amina" not in str(entry.payload).lower()  # counts, never names
    notified = Notification.objects.filter(subject__startswith="Decision on recommendation 1")
    assert notified.count() == 6
    assert notified.filter(recipient=participant).get().url == mixed.get_absolute_url()
    assert not Notification.objects.filter(recipient=chair).exists()


def test_a_decision_is_declared_once(secretariat, chair, mixed):
    declare_decision(actor=secretariat, recommendation=mixed)

    with pytest.raises(ValidationError, match="was declared on"):
        declare_decision(actor=chair, recommendation=mixed)
    assert Decision.objects.count() == 1


def test_only_the_secretariat_or_the_chair_declares(participant, mixed):
    with pytest.raises(PermissionDenied, match="secretariat or the chair"):
        declare_decision(actor=participant, recommendation=mixed)


def test_a_closed_process_declares_nothing(process, secretariat, mixed):
    process.closed_at = timezone.now()
    process.save()

    with pytest.raises(PermissionDenied):
        declare_decision(actor=secretariat, recommendation=mixed)


def test_no_decision_without_a_single_position(secretariat, recommendation):
    with pytest.raises(ValidationError, match="No one has recorded a position"):
        declare_decision(actor=secretariat, recommendation=recommendation)


def test_decision_data_is_the_stored_decision_json_ready(secretariat, mixed):
    assert decision_data(mixed) is None
    decision = declare_decision(actor=secretariat, recommendation=mixed)
    mixed.refresh_from_db()

    data = decision_data(mixed)

    assert data == {
        "rule_set": "simple-majority",
        "rule_title": "Simple majority",
        "passed": True,
        "reason": "3 in favour, 2 against: more in favour than against.",
        "groups": decision.groups,
        "what_if": decision.what_if,
        "declared_at": decision.declared_at.isoformat(),
    }
