"""The rule set of a process: defaults until the secretariat sets one, chamber thresholds checked
group by group, the objection window, and rules fixed once a decision is declared."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.outcomes.models import OutcomeSettings
from polyvox.outcomes.selectors.decisions import chamber_rules, outcome_settings
from polyvox.outcomes.services.decisions import declare_decision
from polyvox.outcomes.services.rules import update_outcome_settings
from polyvox.record.models import RecordEntry
from tests.factories import make_chair, make_recommendation, open_decision_phase
from tests.outcomes.conftest_decisions import positions

pytestmark = pytest.mark.django_db


def update(actor, process, rule_set="chambers", chambers=None, objection_days=7):
    return update_outcome_settings(
        actor=actor,
        process=process,
        rule_set=rule_set,
        chambers={} if chambers is None else chambers,
        objection_days=objection_days,
    )


def test_a_process_without_settings_decides_by_simple_majority_with_seven_days(process):
    settings = outcome_settings(process)

    assert settings.pk is None
    assert (settings.rule_set, settings.chambers, settings.objection_days) == (
        "simple-majority",
        {},
        7,
    )
    assert not OutcomeSettings.objects.exists()


def test_the_secretariat_sets_chambers_and_the_record_describes_them(process, secretariat):
    settings = update(
        secretariat,
        process,
        chambers={"government": "2/3:members", " Civil_Society ": " >1/2:votes"},
        objection_days=14,
    )

    assert settings.pk is not None
    assert settings.chambers == {"government": "2/3:members", "civil_society": ">1/2:votes"}
    assert chamber_rules(settings)["government"].describe() == "at least 2/3 of members"
    entry = RecordEntry.objects.get(process=process, kind="outcome.rules_changed")
    assert entry.payload == {
        "rule_set": "chambers",
        "rule_title": "Chambers (each stakeholder group decides)",
        "chambers": {"government": "2/3:members", "civil_society": ">1/2:votes"},
        "chambers_described": {
            "government": "at least 2/3 of members",
            "civil_society": "more than 1/2 of votes cast",
        },
        "objection_days": 14,
    }


def test_saving_the_same_settings_again_records_nothing_new(process, secretariat):
    update(secretariat, process, rule_set="simple-majority")
    update(secretariat, process, rule_set="simple-majority")

    assert RecordEntry.objects.filter(kind="outcome.rules_changed").count() == 1


def test_a_bad_chamber_threshold_is_refused_naming_the_group(process, secretariat):
    with pytest.raises(ValidationError) as refused:
        update(
            secretariat,
            process,
            chambers={"civil_society": ">1/2:votes", "government": "2/x:members"},
        )

    message = refused.value.message_dict["chambers"][0]
    assert "government" in message
    assert "2/x" in message
    assert not OutcomeSettings.objects.exists()


@pytest.mark.parametrize("threshold", ["", "2/3", "3/2:members", "2/3:people", ">1:votes"])
def test_other_bad_thresholds_are_refused(process, secretariat, threshold):
    with pytest.raises(ValidationError) as refused:
        update(secretariat, process, chambers={"academia": threshold})

    assert "academia" in refused.value.message_dict["chambers"][0]


@pytest.mark.parametrize("group", ["civil society", "Société", "", "a" * 41, "gov\x00"])
def test_chamber_names_must_be_slugs(process, secretariat, group):
    with pytest.raises(ValidationError) as refused:
        update(secretariat, process, chambers={group: "1/2:votes"})

    assert "chambers" in refused.value.message_dict


@pytest.mark.parametrize("days", [0, 91, -3, True])
def test_the_objection_window_is_one_to_ninety_days(process, secretariat, days):
    with pytest.raises(ValidationError) as refused:
        update(secretariat, process, objection_days=days)

    assert "between 1 and 90 days" in refused.value.message_dict["objection_days"][0]


def test_an_unknown_rule_set_is_refused_listing_the_known_ones(process, secretariat):
    with pytest.raises(ValidationError) as refused:
        update(secretariat, process, rule_set="dictatorship")

    assert "one-state-one-vote" in refused.value.message_dict["rule_set"][0]


def test_only_the_secretariat_of_an_open_process_sets_the_rules(process, secretariat, participant):
    chair = make_chair(process)
    for actor in (participant, chair):
        with pytest.raises(PermissionDenied, match="Only the secretariat"):
            update(actor, process)

    process.closed_at = timezone.now()
    process.save()
    with pytest.raises(PermissionDenied):
        update(secretariat, process)


def test_after_a_decision_the_rules_are_fixed_but_the_objection_window_may_change(
    process, secretariat, participant
):
    update(secretariat, process, rule_set="simple-majority")
    open_decision_phase(process)
    recommendation = make_recommendation(process)
    positions(recommendation, (participant, "support"))
    declare_decision(actor=secretariat, recommendation=recommendation)

    with pytest.raises(ValidationError, match="can no longer change"):
        update(secretariat, process, rule_set="two-thirds-present-voting")
    with pytest.raises(ValidationError, match="can no longer change"):
        update(secretariat, process, rule_set="simple-majority", chambers={"academia": "1/2:votes"})
    settings = update(secretariat, process, rule_set="simple-majority", objection_days=21)

    assert (settings.rule_set, settings.objection_days) == ("simple-majority", 21)
