"""The electorate: seats set by the secretariat under a public label and a group, on the record
without accounts, fixed once a decision has been declared."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.outcomes.models import Elector
from polyvox.outcomes.selectors.decisions import elector_groups, elector_of, electors_of
from polyvox.outcomes.services.decisions import declare_decision
from polyvox.outcomes.services.rules import add_elector, remove_elector
from polyvox.processes.models import ParticipationPolicy
from polyvox.record.models import RecordEntry
from tests.factories import invite, make_recommendation, open_decision_phase
from tests.outcomes.conftest_decisions import person, positions

pytestmark = pytest.mark.django_db


def test_the_secretariat_gives_a_seat_under_a_public_label(process, secretariat, participant):
    elector = add_elector(
        actor=secretariat, process=process, user=participant, voter="  Kenya ", group="Government"
    )

    assert (elector.voter, elector.group) == ("Kenya", "government")
    assert elector_of(participant, process) == elector
    entry = RecordEntry.objects.get(process=process, kind="outcome.elector_added")
    assert entry.payload == {"elector_id": elector.pk, "voter": "Kenya", "group": "government"}
    assert "amina" not in str(entry.payload).lower()  # the label, never the account


def test_the_roster_is_ordered_by_group_and_counted_in_the_database(process, secretariat):
    for voter, group in [("Uruguay", "government"), ("ISOC", "technical"), ("Chile", "government")]:
        add_elector(
            actor=secretariat, process=process, user=person(voter.lower()), voter=voter, group=group
        )

    assert [(e.group, e.voter) for e in electors_of(process)] == [
        ("government", "Chile"),
        ("government", "Uruguay"),
        ("technical", "ISOC"),
    ]
    assert elector_groups(process) == {"government": 2, "technical": 1}


def test_one_seat_per_person_and_per_label(process, secretariat, participant, other_participant):
    add_elector(
        actor=secretariat, process=process, user=participant, voter="Kenya", group="government"
    )

    with pytest.raises(ValidationError) as twice:
        add_elector(
            actor=secretariat,
            process=process,
            user=participant,
            voter="Kenya 2",
            group="government",
        )
    with pytest.raises(ValidationError) as same_label:
        add_elector(
            actor=secretariat,
            process=process,
            user=other_participant,
            voter="Kenya",
            group="government",
        )

    assert "already has a seat" in twice.value.message_dict["user"][0]
    assert "Kenya" in same_label.value.message_dict["voter"][0]
    assert Elector.objects.count() == 1


@pytest.mark.parametrize(
    ("voter", "group", "field"),
    [
        ("", "government", "voter"),
        ("x" * 121, "government", "voter"),
        ("Ke\x00nya", "government", "voter"),
        ("Kenya", "", "group"),
        ("Kenya", "civil society", "group"),
        ("Kenya", "g" * 41, "group"),
    ],
)
def test_labels_and_groups_are_checked(process, secretariat, participant, voter, group, field):
    with pytest.raises(ValidationError) as refused:
        add_elector(actor=secretariat, process=process, user=participant, voter=voter, group=group)

    assert field in refused.value.message_dict


def test_a_seat_needs_someone_who_may_take_part(process, secretariat, participant):
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()

    with pytest.raises(ValidationError, match="cannot take part"):
        add_elector(
            actor=secretariat, process=process, user=participant, voter="Kenya", group="government"
        )
    invite(process, participant)
    assert add_elector(
        actor=secretariat, process=process, user=participant, voter="Kenya", group="government"
    )


def test_only_the_secretariat_sets_the_electorate(
    process, secretariat, participant, other_participant
):
    with pytest.raises(PermissionDenied):
        add_elector(
            actor=participant,
            process=process,
            user=other_participant,
            voter="Japan",
            group="government",
        )
    elector = add_elector(
        actor=secretariat,
        process=process,
        user=other_participant,
        voter="Japan",
        group="government",
    )
    with pytest.raises(PermissionDenied):
        remove_elector(actor=participant, elector=elector)


def test_removing_a_seat_is_recorded(process, secretariat, participant):
    elector = add_elector(
        actor=secretariat, process=process, user=participant, voter="Kenya", group="government"
    )

    remove_elector(actor=secretariat, elector=elector)

    assert not Elector.objects.exists()
    entry = RecordEntry.objects.get(process=process, kind="outcome.elector_removed")
    assert entry.payload == {"elector_id": elector.pk, "voter": "Kenya", "group": "government"}


def test_the_electorate_is_fixed_once_a_decision_is_declared(
    process, secretariat, participant, other_participant
):
    elector = add_elector(
        actor=secretariat, process=process, user=participant, voter="Kenya", group="government"
    )
    open_decision_phase(process)
    recommendation = make_recommendation(process)
    positions(recommendation, (participant, "support"))
    declare_decision(actor=secretariat, recommendation=recommendation)

    with pytest.raises(ValidationError, match="electorate is fixed"):
        add_elector(
            actor=secretariat,
            process=process,
            user=other_participant,
            voter="Japan",
            group="government",
        )
    with pytest.raises(ValidationError, match="electorate is fixed"):
        remove_elector(actor=secretariat, elector=elector)
    assert Elector.objects.count() == 1
