"""Starting a caucus, asking to join, deciding, leaving, removing and appointing facilitators."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.caucuses.models import Caucus, CaucusMembership, CaucusRole
from polyvox.caucuses.services.membership import (
    appoint_facilitator,
    create_caucus,
    decide_membership,
    leave_caucus,
    remove_member,
    request_membership,
)
from polyvox.processes.models import ParticipationPolicy, Role
from polyvox.record.models import RecordEntry
from tests.caucuses.conftest import close, inbox, request_from, status_of
from tests.factories import UserFactory, add_caucus_member, invite, make_caucus

pytestmark = pytest.mark.django_db


def entries(process, kind):
    return [e.payload for e in RecordEntry.objects.filter(process=process, kind=kind)]


# Starting a caucus -------------------------------------------------------------------------------


def test_a_participant_starts_a_caucus_and_becomes_its_facilitator(process, participant):
    caucus = create_caucus(
        actor=participant,
        process=process,
        name="  Community networks ",
        purpose="Spectrum for community networks.",
        stakeholder_group="civil_society",
    )

    assert (caucus.name, caucus.slug, caucus.stakeholder_group) == (
        "Community networks",
        "community-networks",
        "civil_society",
    )
    membership = CaucusMembership.objects.get(caucus=caucus)
    assert (membership.user, membership.role, membership.status) == (
        participant,
        "facilitator",
        "approved",
    )


def test_starting_a_caucus_puts_its_public_facts_on_the_record_and_never_its_members(
    process, participant
):
    create_caucus(actor=participant, process=process, name="Academia", purpose="Research.")

    assert entries(process, "caucus_created") == [
        {"caucus": "academia", "name": "Academia", "purpose": "Research.", "stakeholder_group": ""}
    ]


def test_two_caucuses_with_names_of_one_slug_get_different_addresses(process, participant):
    first = create_caucus(actor=participant, process=process, name="Women in tech")
    second = create_caucus(actor=participant, process=process, name="Women in tech!")
    third = create_caucus(actor=participant, process=process, name="new")

    assert [first.slug, second.slug, third.slug] == ["women-in-tech", "women-in-tech-2", "new-2"]


def test_a_name_in_a_script_without_latin_letters_still_gets_an_address(process, participant):
    caucus = create_caucus(actor=participant, process=process, name="المجتمع المدني")

    assert caucus.slug == "caucus"


def test_a_caucus_name_already_used_in_the_process_is_refused(process, participant):
    create_caucus(actor=participant, process=process, name="Academia")

    with pytest.raises(ValidationError) as error:
        create_caucus(actor=participant, process=process, name="ACADEMIA")

    assert error.value.message_dict == {
        "name": ["This process already has a caucus with this name."]
    }
    assert Caucus.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": "   "}, {"name": ["Give the caucus a name."]}),
        (
            {"name": "Tech", "stakeholder_group": "aliens"},
            {"stakeholder_group": ["Choose a stakeholder group from the list."]},
        ),
    ],
)
def test_a_caucus_without_a_name_or_with_an_unknown_group_is_refused(
    process, participant, fields, errors
):
    with pytest.raises(ValidationError) as error:
        create_caucus(actor=participant, process=process, **fields)

    assert error.value.message_dict == errors
    assert not Caucus.objects.exists()
    assert not RecordEntry.objects.filter(kind="caucus_created").exists()


def test_an_observer_cannot_start_a_caucus(process):
    observer = UserFactory()
    process.memberships.create(user=observer, role=Role.OBSERVER)

    with pytest.raises(PermissionDenied, match="Only people taking part in this process"):
        create_caucus(actor=observer, process=process, name="Observers")

    assert not Caucus.objects.exists()


def test_in_an_invitation_only_process_the_secretariat_may_start_a_caucus_and_others_not(
    process, secretariat, participant
):
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()

    with pytest.raises(PermissionDenied):
        create_caucus(actor=participant, process=process, name="Uninvited")
    invite(process, participant)
    create_caucus(actor=participant, process=process, name="Invited")
    create_caucus(actor=secretariat, process=process, name="Secretariat's")

    assert Caucus.objects.count() == 2


def test_no_caucus_starts_in_a_closed_process(process, participant):
    close(process)

    with pytest.raises(PermissionDenied, match=re.escape("This process is closed.")):
        create_caucus(actor=participant, process=process, name="Late")


# Asking to join ----------------------------------------------------------------------------------


def test_asking_to_join_creates_a_request_and_tells_the_facilitators_only(
    caucus, facilitator, member, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_membership(actor=outsider, caucus=caucus, message="I run a community network.")

    assert status_of(caucus, outsider) == ["requested"]
    assert inbox(facilitator) == [
        "Request to join Civil society caucus\n"
        "Omar asks to join the caucus “Civil society caucus”.\n\nI run a community network.",
        "Request to join Civil society caucus\n"
        "Omar asks to join the caucus “Civil society caucus”.\n\nI run a community network.\n\n"
        f"{settings.SITE_URL}{caucus.get_absolute_url()}",
    ]
    assert inbox(member) == []
    assert inbox(outsider) == []


def test_asking_twice_is_refused(caucus, outsider):
    request_membership(actor=outsider, caucus=caucus)

    with pytest.raises(ValidationError) as error:
        request_membership(actor=outsider, caucus=caucus)

    assert error.value.messages == ["You have already asked to join; the facilitators will decide."]
    assert status_of(caucus, outsider) == ["requested"]


def test_a_member_asking_to_join_is_told_they_are_already_in(caucus, member):
    with pytest.raises(
        ValidationError, match=re.escape("You are already a member of this caucus.")
    ):
        request_membership(actor=member, caucus=caucus)


def test_a_stakeholder_group_caucus_accepts_requests_only_from_that_group(
    process, facilitator, outsider
):
    caucus = make_caucus(process, facilitator, "Governments", stakeholder_group="government")
    official = UserFactory(profile={"stakeholder_group": "government"})

    with pytest.raises(PermissionDenied, match=r"^This caucus is for Government\.$"):
        request_membership(actor=outsider, caucus=caucus)
    request_membership(actor=official, caucus=caucus)

    assert status_of(caucus, outsider) == []
    assert status_of(caucus, official) == ["requested"]


def test_visitors_and_observers_cannot_ask_to_join(caucus, process):
    observer = UserFactory()
    process.memberships.create(user=observer, role=Role.OBSERVER)

    with pytest.raises(PermissionDenied, match="Only people taking part"):
        request_membership(actor=observer, caucus=caucus)
    assert status_of(caucus, observer) == []


def test_no_one_asks_to_join_in_a_closed_process(caucus, process, outsider):
    close(process)

    with pytest.raises(PermissionDenied, match=re.escape("This process is closed.")):
        request_membership(actor=outsider, caucus=caucus)


def test_after_a_refusal_one_may_ask_again(caucus, facilitator, outsider):
    refused = request_from(caucus, outsider)
    decide_membership(actor=facilitator, membership=refused, approve=False)

    request_membership(actor=outsider, caucus=caucus)

    assert status_of(caucus, outsider) == ["refused", "requested"]


# Deciding ----------------------------------------------------------------------------------------


def test_a_facilitator_approves_a_request_and_the_requester_is_told(
    caucus, facilitator, outsider, django_capture_on_commit_callbacks
):
    pending = request_from(caucus, outsider)

    with django_capture_on_commit_callbacks(execute=True):
        decide_membership(actor=facilitator, membership=pending, approve=True)

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("approved", facilitator)
    assert inbox(outsider)[0] == (
        "You joined the caucus Civil society caucus\n"
        "The facilitators approved your request to join the caucus “Civil society caucus”."
    )


def test_a_facilitator_refuses_a_request_and_the_requester_is_told(caucus, facilitator, outsider):
    pending = request_from(caucus, outsider)

    decide_membership(actor=facilitator, membership=pending, approve=False)

    assert status_of(caucus, outsider) == ["refused"]
    assert inbox(outsider) == [
        "Your request to join Civil society caucus\n"
        "The facilitators did not approve your request to join the caucus “Civil society caucus”."
    ]


def test_a_plain_member_cannot_decide_requests(caucus, member, outsider):
    pending = request_from(caucus, outsider)

    with pytest.raises(PermissionDenied, match="Only the caucus's facilitators decide who joins"):
        decide_membership(actor=member, membership=pending, approve=True)

    assert status_of(caucus, outsider) == ["requested"]


def test_no_one_approves_themselves(caucus, outsider):
    pending = request_from(caucus, outsider)

    with pytest.raises(PermissionDenied):
        decide_membership(actor=outsider, membership=pending, approve=True)

    assert status_of(caucus, outsider) == ["requested"]


def test_a_decided_request_cannot_be_decided_again(caucus, facilitator, outsider):
    pending = request_from(caucus, outsider)
    decide_membership(actor=facilitator, membership=pending, approve=False)

    with pytest.raises(ValidationError, match=re.escape("This request has already been decided.")):
        decide_membership(actor=facilitator, membership=pending, approve=True)

    assert status_of(caucus, outsider) == ["refused"]


# Leaving, removing, appointing -------------------------------------------------------------------


def test_a_member_leaves_and_the_row_stays_as_history(caucus, member):
    leave_caucus(actor=member, caucus=caucus)

    assert status_of(caucus, member) == ["left"]


def test_a_requester_withdraws_their_request_by_leaving(caucus, outsider):
    request_from(caucus, outsider)

    leave_caucus(actor=outsider, caucus=caucus)

    assert status_of(caucus, outsider) == ["left"]


def test_someone_outside_cannot_leave(caucus, outsider):
    with pytest.raises(ValidationError, match=re.escape("You are not a member of this caucus.")):
        leave_caucus(actor=outsider, caucus=caucus)


def test_the_last_facilitator_cannot_leave_while_members_remain(caucus, facilitator):
    with pytest.raises(ValidationError, match="appoint another facilitator before you leave"):
        leave_caucus(actor=facilitator, caucus=caucus)

    assert status_of(caucus, facilitator) == ["approved"]


def test_the_last_facilitator_leaves_after_appointing_another(caucus, facilitator, member):
    appoint_facilitator(
        actor=facilitator, membership=CaucusMembership.objects.get(caucus=caucus, user=member)
    )

    leave_caucus(actor=facilitator, caucus=caucus)

    assert status_of(caucus, facilitator) == ["left"]
    assert CaucusMembership.objects.get(caucus=caucus, user=member).role == "facilitator"


def test_a_facilitator_alone_in_the_caucus_may_leave_it(process, facilitator):
    caucus = make_caucus(process, facilitator, "Alone")

    leave_caucus(actor=facilitator, caucus=caucus)

    assert status_of(caucus, facilitator) == ["left"]


def test_a_facilitator_removes_a_member_who_is_told(caucus, facilitator, member):
    membership = CaucusMembership.objects.get(caucus=caucus, user=member)

    remove_member(actor=facilitator, membership=membership)

    assert status_of(caucus, member) == ["removed"]
    assert inbox(member) == [
        "You were removed from the caucus Civil society caucus\n"
        "A facilitator removed you from the caucus “Civil society caucus”."
    ]


def test_a_plain_member_cannot_remove_anyone(caucus, facilitator, member):
    membership = CaucusMembership.objects.get(caucus=caucus, user=facilitator)

    with pytest.raises(
        PermissionDenied, match=re.escape("Only the caucus's facilitators remove members.")
    ):
        remove_member(actor=member, membership=membership)

    assert status_of(caucus, facilitator) == ["approved"]


def test_the_last_facilitator_cannot_be_removed_while_members_remain(caucus, facilitator):
    own = CaucusMembership.objects.get(caucus=caucus, user=facilitator)

    with pytest.raises(ValidationError, match="This is its last facilitator"):
        remove_member(actor=facilitator, membership=own)

    assert status_of(caucus, facilitator) == ["approved"]


def test_a_second_facilitator_can_remove_the_first(caucus, facilitator, member):
    add_caucus_member(caucus, other := UserFactory(), role=CaucusRole.FACILITATOR)

    remove_member(
        actor=other, membership=CaucusMembership.objects.get(caucus=caucus, user=facilitator)
    )

    assert status_of(caucus, facilitator) == ["removed"]


def test_a_pending_request_is_not_removed_but_decided(caucus, facilitator, outsider):
    pending = request_from(caucus, outsider)

    with pytest.raises(
        ValidationError, match=re.escape("This person is not a member of this caucus.")
    ):
        remove_member(actor=facilitator, membership=pending)


def test_only_facilitators_appoint_facilitators(caucus, member):
    own = CaucusMembership.objects.get(caucus=caucus, user=member)

    with pytest.raises(PermissionDenied, match="Only the caucus's facilitators appoint"):
        appoint_facilitator(actor=member, membership=own)

    own.refresh_from_db()
    assert own.role == "member"


def test_appointing_a_facilitator_twice_or_a_requester_is_refused(caucus, facilitator, outsider):
    own = CaucusMembership.objects.get(caucus=caucus, user=facilitator)

    with pytest.raises(ValidationError, match="already a facilitator"):
        appoint_facilitator(actor=facilitator, membership=own)
    with pytest.raises(ValidationError, match="Only members can be appointed"):
        appoint_facilitator(actor=facilitator, membership=request_from(caucus, outsider))


def test_membership_changes_are_refused_in_a_closed_process(caucus, process, facilitator, member):
    membership = CaucusMembership.objects.get(caucus=caucus, user=member)
    close(process)

    for call in (
        lambda: leave_caucus(actor=member, caucus=caucus),
        lambda: remove_member(actor=facilitator, membership=membership),
        lambda: appoint_facilitator(actor=facilitator, membership=membership),
    ):
        with pytest.raises(PermissionDenied, match=re.escape("This process is closed.")):
            call()

    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("approved", "member")
