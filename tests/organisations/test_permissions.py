"""Who may speak for, manage, verify, merge and ask to represent an organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from polyvox.organisations.permissions import (
    can_administer,
    can_manage_organisation,
    can_request_to_represent,
    can_speak_for,
    can_verify_organisations,
    represented_by,
)
from polyvox.organisations.services.representatives import (
    request_to_represent,
    revoke_representative,
)
from polyvox.organisations.services.verification import merge_organisations
from tests.factories import UserFactory, approve_representative, make_organisation

pytestmark = pytest.mark.django_db


def _standing(user, organisation):
    return (
        can_speak_for(user, organisation),
        can_administer(user, organisation),
        can_manage_organisation(user, organisation),
        can_request_to_represent(user, organisation),
    )


def test_each_kind_of_person(organisation, admin_user, participant, other_participant, staff):
    approve_representative(organisation, participant)
    stranger = UserFactory(username="tomas")
    request_to_represent(actor=other_participant, organisation=organisation)

    assert _standing(admin_user, organisation) == (True, True, True, False)
    assert _standing(participant, organisation) == (True, False, False, False)
    assert _standing(other_participant, organisation) == (False, False, False, False)
    assert _standing(stranger, organisation) == (False, False, False, True)
    assert _standing(staff, organisation) == (False, False, True, True)
    assert _standing(AnonymousUser(), organisation) == (False, False, False, False)
    assert _standing(None, organisation) == (False, False, False, False)


def test_only_active_staff_verify():
    inactive = UserFactory(username="gone", is_staff=True, is_active=False)

    assert can_verify_organisations(UserFactory(username="boss", is_staff=True))
    assert not can_verify_organisations(inactive)
    assert not can_verify_organisations(UserFactory(username="plain"))
    assert not can_verify_organisations(AnonymousUser())


def test_a_revoked_representative_speaks_no_more_and_may_ask_again(
    organisation, admin_user, participant
):
    row = approve_representative(organisation, participant)
    revoke_representative(actor=admin_user, representative=row, reason="Left.")

    assert _standing(participant, organisation) == (False, False, False, True)
    assert list(represented_by(participant)) == []


def test_nobody_speaks_for_or_manages_a_merged_duplicate(organisation, admin_user, staff):
    survivor = make_organisation("Rhizomatica A.C.")
    merge_organisations(actor=staff, duplicate=organisation, into=survivor, reason="Same.")
    organisation.refresh_from_db()

    assert _standing(admin_user, organisation) == (False, False, False, False)
    assert _standing(staff, organisation) == (False, False, False, False)
    # The administrator moved with the merge and speaks for the survivor now.
    assert _standing(admin_user, survivor) == (True, True, True, False)
    assert list(represented_by(admin_user)) == [survivor]
