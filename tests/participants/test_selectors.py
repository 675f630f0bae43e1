"""Participant reads: public fields only, statement-of-interest visibility, gender only in aggregate."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from polyvox.participants.models import Profile, User
from polyvox.participants.selectors import (
    OTHER_OR_NOT_SHOWN,
    PublicProfile,
    gender_aggregates,
    has_statement_of_interest,
    public_profile,
    statements_of_interest_for,
)
from polyvox.participants.services import declare_interests, update_profile
from tests.factories import UserFactory


def test_a_public_profile_carries_public_fields_with_country_and_region(participant):
    update_profile(
        actor=participant, user=participant, subgroup="rural ISPs", organisation="Tunapanda",
        gender="SENTINEL-GENDER-7f3a",
    )  # fmt: skip

    result = public_profile(viewer=AnonymousUser(), user=participant)

    assert result == PublicProfile(
        username="amina",
        display_name="Amina",
        stakeholder_group="civil_society",
        stakeholder_group_label="Civil society",
        subgroup="rural ISPs",
        organisation="Tunapanda",
        country_code="KE",
        country_name="Kenya",
        region="Africa",
        sub_region="Sub-Saharan Africa",
        global_south=True,
    )


def test_a_public_profile_has_no_field_for_gender_or_email():
    names = {field.name for field in dataclasses.fields(PublicProfile)}

    assert not names & {"gender", "email", "languages", "interests", "timezone"}


def test_a_participant_without_country_has_no_region(participant):
    update_profile(actor=participant, user=participant, country="")

    result = public_profile(viewer=None, user=participant)

    assert (result.country_name, result.region, result.global_south) == ("", "", None)


def test_has_statement_of_interest_is_true_only_after_declaring(participant):
    before = has_statement_of_interest(participant)
    declare_interests(actor=participant, affiliations="none")

    assert (before, has_statement_of_interest(participant)) == (False, True)


def test_the_participant_sees_their_whole_statement_history_newest_first(participant):
    first = declare_interests(actor=participant, affiliations="A")
    second = declare_interests(actor=participant, affiliations="A, B")

    history = statements_of_interest_for(viewer=participant, user=participant)

    assert list(history) == [second, first]


@pytest.mark.parametrize("viewer_kind", ["anonymous", "other participant", "secretariat"])
def test_only_the_participant_reads_their_statement_of_interest_here(
    process, participant, other_participant, secretariat, viewer_kind
):
    """A secretariat reads it on its own process's page (processes.views), never here."""
    declare_interests(actor=participant, affiliations="A")
    viewer = {
        "anonymous": AnonymousUser(),
        "other participant": other_participant,
        "secretariat": secretariat,
    }[viewer_kind]

    with pytest.raises(PermissionDenied):
        statements_of_interest_for(viewer=viewer, user=participant)


def _profiles_with_genders(genders):
    users = [UserFactory() for _ in genders]
    Profile.objects.filter(user__in=users).delete()
    for user, gender in zip(users, genders, strict=True):
        Profile.objects.create(user=user, display_name=user.username, gender=gender)
    return Profile.objects.filter(user__in=users)


def test_gender_aggregates_merge_cells_smaller_than_five(db):
    genders = ["woman"] * 6 + ["Man "] * 3 + ["man"] * 2 + ["non-binary"] * 2 + [""] * 1
    profiles = _profiles_with_genders(genders)

    assert gender_aggregates(profiles) == {"woman": 6, "man": 5, OTHER_OR_NOT_SHOWN: 3}


def test_gender_aggregates_of_a_lone_unusual_gender_shows_no_label(db):
    profiles = _profiles_with_genders(["woman"] * 5 + ["SENTINEL-GENDER-7f3a"])

    result = gender_aggregates(list(profiles))

    assert result == {"woman": 5, OTHER_OR_NOT_SHOWN: 1}


def test_gender_aggregates_of_nobody_is_empty(db):
    assert gender_aggregates(Profile.objects.none()) == {}


def test_not_stated_counts_as_a_cell_when_large_enough(db):
    profiles = _profiles_with_genders([""] * 5)

    assert gender_aggregates(profiles) == {"not stated": 5}


def test_users_fixture_sanity(participant):
    assert User.objects.get(username="amina").profile.country == "KE"
