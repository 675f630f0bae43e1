"""Recording positions on recommendations: while a decision phase is open, with history, block only
where the rule set allows it, electors only where the process has an electorate."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.outcomes.models import Position, PositionRevision
from polyvox.outcomes.selectors.decisions import position_of, positions_of
from polyvox.outcomes.services.decisions import (
    allowed_positions,
    declare_decision,
    record_position,
)
from polyvox.processes.models import Membership, ParticipationPolicy, Role
from polyvox.processes.selectors import process_participants
from tests.factories import PhaseFactory, close_phase, make_recommendation, open_decision_phase
from tests.outcomes.conftest_decisions import person, rules, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision_phase(process):
    return open_decision_phase(process)


@pytest.fixture
def recommendation(process, decision_phase):
    return make_recommendation(process)


def test_a_participant_records_a_position_with_a_reason(participant, recommendation):
    position = record_position(
        actor=participant,
        recommendation=recommendation,
        position="can-live-with",
        reason="  Not ideal,\r\nbut workable.  ",
    )

    assert (position.position, position.reason) == ("can-live-with", "Not ideal,\nbut workable.")
    assert position_of(participant, recommendation) == position
    assert list(
        PositionRevision.objects.values_list("position", flat=True).filter(author=participant)
    ) == ["can-live-with"]


def test_changing_a_position_keeps_every_one_recorded(participant, recommendation):
    earlier = timezone.now() - timedelta(minutes=5)
    record_position(
        actor=participant, recommendation=recommendation, position="support", now=earlier
    )
    record_position(
        actor=participant, recommendation=recommendation, position="oppose", reason="Too costly."
    )

    current = Position.objects.get(author=participant)
    assert (current.position, current.reason) == ("oppose", "Too costly.")
    assert Position.objects.count() == 1
    history = PositionRevision.objects.filter(author=participant).order_by("recorded_at")
    assert [(r.position, r.reason) for r in history] == [
        ("support", ""),
        ("oppose", "Too costly."),
    ]


def test_recording_the_same_position_again_adds_no_revision(participant, recommendation):
    record_position(actor=participant, recommendation=recommendation, position="support")
    record_position(actor=participant, recommendation=recommendation, position="support")

    assert PositionRevision.objects.count() == 1


def test_block_is_refused_where_the_rule_set_does_not_allow_it(participant, recommendation):
    assert "block" not in allowed_positions(recommendation)

    with pytest.raises(ValidationError) as refused:
        record_position(actor=participant, recommendation=recommendation, position="block")

    message = refused.value.message_dict["position"][0]
    assert "Simple majority" in message or "simple-majority" in message
    assert "does not allow blocking" in message
    assert not Position.objects.exists()


def test_block_is_accepted_under_consensus_with_blocks(process, participant, recommendation):
    rules(process, "consensus-with-blocks")

    position = record_position(actor=participant, recommendation=recommendation, position="block")

    assert position.position == "block"
    assert "block" in allowed_positions(recommendation)


@pytest.mark.parametrize("value", ["maybe", "", "SUPPORT", "absent"])
def test_an_unknown_position_is_refused_listing_the_choices(participant, recommendation, value):
    with pytest.raises(ValidationError) as refused:
        record_position(actor=participant, recommendation=recommendation, position=value)

    assert "support, can-live-with, oppose, abstain" in refused.value.message_dict["position"][0]


def test_a_reason_with_a_nul_or_too_long_is_refused(participant, recommendation):
    with pytest.raises(ValidationError) as nul:
        record_position(
            actor=participant, recommendation=recommendation, position="oppose", reason="a\x00b"
        )
    with pytest.raises(ValidationError) as long:
        record_position(
            actor=participant, recommendation=recommendation, position="oppose", reason="x" * 5001
        )

    assert "NUL" in nul.value.message_dict["reason"][0]
    assert "5000" in long.value.message_dict["reason"][0]
    assert not Position.objects.exists()


def test_outside_a_decision_phase_the_refusal_gives_the_phase_reason(process, participant):
    PhaseFactory(process=process)  # a draft-comment phase is open, no decision phase
    recommendation = make_recommendation(process)

    with pytest.raises(PermissionDenied, match=r"The current phase \(Comments on the draft\)"):
        record_position(actor=participant, recommendation=recommendation, position="support")


def test_with_no_phase_open_the_refusal_says_so(process, participant):
    recommendation = make_recommendation(process)

    with pytest.raises(PermissionDenied, match="No phase of this process is open now"):
        record_position(actor=participant, recommendation=recommendation, position="support")


def test_after_the_decision_phase_closed_the_deadline_has_passed(
    participant, recommendation, decision_phase
):
    close_phase(decision_phase)

    with pytest.raises(PermissionDenied, match="The deadline for this has passed"):
        record_position(actor=participant, recommendation=recommendation, position="support")


def test_the_clock_is_injected_before_the_phase_opened(participant, recommendation):
    two_hours_ago = timezone.now() - timedelta(hours=2)

    with pytest.raises(PermissionDenied, match="No phase of this process is open now"):
        record_position(
            actor=participant,
            recommendation=recommendation,
            position="support",
            now=two_hours_ago,
        )


def test_a_closed_process_takes_no_position(process, participant, recommendation):
    process.closed_at = timezone.now()
    process.save()

    with pytest.raises(PermissionDenied, match="This process is closed"):
        record_position(actor=participant, recommendation=recommendation, position="support")


def test_a_visitor_must_log_in(recommendation):
    with pytest.raises(PermissionDenied, match="Log in"):
        record_position(
            actor=AnonymousUser(),  # type: ignore[arg-type]
            recommendation=recommendation,
            position="support",
        )


def test_an_observer_or_an_uninvited_person_is_refused(process, participant, recommendation):
    Membership.objects.create(process=process, user=participant, role=Role.OBSERVER)
    with pytest.raises(PermissionDenied, match="cannot take part"):
        record_position(actor=participant, recommendation=recommendation, position="support")

    process.participation_policy = ParticipationPolicy.INVITED
    process.save()
    stranger = person("stranger")
    with pytest.raises(PermissionDenied, match="invited participants only"):
        record_position(actor=stranger, recommendation=recommendation, position="support")


def test_where_the_process_has_electors_only_electors_record(
    process, participant, other_participant, recommendation
):
    seat(process, other_participant, "Japan", "government")

    with pytest.raises(PermissionDenied, match="Only the electors"):
        record_position(actor=participant, recommendation=recommendation, position="support")
    position = record_position(
        actor=other_participant, recommendation=recommendation, position="support"
    )

    assert position.author == other_participant
    assert Position.objects.count() == 1


def test_no_position_once_the_decision_is_declared(
    process, secretariat, participant, other_participant, recommendation
):
    record_position(actor=participant, recommendation=recommendation, position="support")
    declare_decision(actor=secretariat, recommendation=recommendation)

    with pytest.raises(PermissionDenied, match="has been declared"):
        record_position(actor=other_participant, recommendation=recommendation, position="oppose")
    with pytest.raises(PermissionDenied, match="has been declared"):
        record_position(actor=participant, recommendation=recommendation, position="oppose")


def test_the_named_list_shows_names_groups_and_seats(
    process, participant, other_participant, recommendation
):
    record_position(actor=participant, recommendation=recommendation, position="support")
    record_position(
        actor=other_participant, recommendation=recommendation, position="oppose", reason="No."
    )
    seat(process, other_participant, "Japan", "government")

    rows = [
        (p.author_name, p.stakeholder_group, p.voter, p.elector_group, p.position, p.reason)
        for p in positions_of(recommendation)
    ]

    assert rows == [
        ("Amina", "civil_society", None, None, "support", ""),
        ("Kenji", "private_sector", "Japan", "government", "oppose", "No."),
    ]


def test_who_records_a_position_takes_part_and_hears_of_the_process(
    process, participant, recommendation
):
    assert participant not in process_participants(process)

    record_position(actor=participant, recommendation=recommendation, position="support")

    assert participant in process_participants(process)
