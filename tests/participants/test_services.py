"""Participants' writes: registration, profile, statement of interest — success, denied, invalid."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.participants.models import Profile, StatementOfInterest, User
from polyvox.participants.services import declare_interests, register_participant, update_profile

GOOD_PASSWORD = "a long and unusual passphrase 42"


def register(**overrides):
    fields = {
        "username": "lucia",
        "email": "lucia@example.org",
        "password": GOOD_PASSWORD,
        "display_name": "Lucía Pérez",
        "stakeholder_group": "academia",
    }
    return register_participant(**{**fields, **overrides})


def test_registration_creates_the_account_and_its_profile(db):
    user = register(country="br", languages=["es", "PT"], gender="woman")

    assert user.check_password(GOOD_PASSWORD)
    assert (user.username, user.email) == ("lucia", "lucia@example.org")
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.stakeholder_group) == ("Lucía Pérez", "academia")
    assert (profile.country, profile.languages, profile.gender) == ("BR", ["es", "pt"], "woman")


def test_registration_refuses_a_taken_username_whatever_its_case(participant):
    with pytest.raises(ValidationError) as raised:
        register(username="AMINA")

    assert raised.value.message_dict == {
        "username": ["This username is taken. Please choose another."]
    }
    assert User.objects.count() == 1


def test_registration_refuses_a_taken_email_whatever_its_case(participant):
    with pytest.raises(ValidationError) as raised:
        register(email="Amina@Example.org")

    assert raised.value.message_dict == {
        "email": ["An account with this e-mail address already exists. Log in instead."]
    }
    assert User.objects.count() == 1


def test_registration_applies_the_password_validators(db):
    with pytest.raises(ValidationError) as raised:
        register(password="qwerty")

    assert raised.value.message_dict["password"] == [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
    ]
    assert User.objects.count() == 0


def test_registration_reports_every_invalid_field_at_once_and_creates_nothing(db):
    with pytest.raises(ValidationError) as raised:
        register(
            username="no spaces allowed",
            email="not-an-address",
            display_name="  ",
            stakeholder_group="lobbyist",
            country="XX",
        )

    assert sorted(raised.value.message_dict) == [
        "country", "display_name", "email", "stakeholder_group", "username",
    ]  # fmt: skip
    assert raised.value.message_dict["country"] == [
        "Choose a country or area from the UN M49 list."
    ]
    assert (User.objects.count(), Profile.objects.count()) == (0, 0)


def test_a_participant_updates_their_own_profile(participant):
    profile = update_profile(
        actor=participant,
        user=participant,
        display_name="  Amina   Odhiambo ",
        subgroup="community network operator",
        organisation="Tunapanda",
        country="ke",
        languages=["en", "sw", "SW"],
        gender="Woman",
        timezone="Africa/Nairobi",
    )

    profile.refresh_from_db()
    assert profile.display_name == "Amina Odhiambo"
    assert profile.organisation == "Tunapanda"
    assert (profile.country, profile.languages) == ("KE", ["en", "sw"])
    assert (profile.gender, profile.timezone) == ("Woman", "Africa/Nairobi")
    assert profile.subgroup == "community network operator"


def test_fields_not_given_to_update_profile_are_kept(participant):
    update_profile(actor=participant, user=participant, subgroup="rural ISPs")

    profile = Profile.objects.get(user=participant)
    assert (profile.display_name, profile.country, profile.subgroup) == (
        "Amina",
        "KE",
        "rural ISPs",
    )


def test_nobody_else_may_update_a_profile(participant, other_participant):
    with pytest.raises(PermissionDenied):
        update_profile(actor=other_participant, user=participant, display_name="Hacked")

    assert Profile.objects.get(user=participant).display_name == "Amina"


def test_even_a_superuser_may_not_update_someone_elses_profile(participant):
    admin = User.objects.create_superuser("root", "root@example.org", GOOD_PASSWORD)

    with pytest.raises(PermissionDenied):
        update_profile(actor=admin, user=participant, display_name="Changed")

    assert Profile.objects.get(user=participant).display_name == "Amina"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"stakeholder_group": "lobbyist"}, {"stakeholder_group": ["Choose one of the listed stakeholder groups."]}),
        ({"country": "TW"}, {"country": ["Choose a country or area from the UN M49 list."]}),
        ({"languages": ["en", "Swahili"]}, {"languages": ["Not a language code: swahili. Use codes such as “sw” or “pt-br”."]}),
        ({"timezone": "Mars/Olympus"}, {"timezone": ["Choose a time zone from the list."]}),
        ({"display_name": " "}, {"display_name": ["Enter the name others will see."]}),
    ],
)  # fmt: skip
def test_invalid_profile_values_are_refused_and_nothing_changes(participant, fields, errors):
    before = Profile.objects.filter(user=participant).values().get()

    with pytest.raises(ValidationError) as raised:
        update_profile(actor=participant, user=participant, **fields)

    assert raised.value.message_dict == errors
    assert Profile.objects.filter(user=participant).values().get() == before


def test_an_unknown_profile_field_is_a_programming_error(participant):
    with pytest.raises(TypeError, match="Unknown profile fields: email"):
        update_profile(actor=participant, user=participant, email="x@example.org")


def test_a_profile_no_longer_says_it_speaks_for_its_organisation(participant):
    # Speaking for an organisation takes its administrators' approval (`organisations`), not a
    # box on one's own profile.
    with pytest.raises(TypeError, match="Unknown profile fields: speaks_for_organisation"):
        update_profile(actor=participant, user=participant, speaks_for_organisation=True)


def test_update_profile_creates_a_missing_profile(db):
    user = User.objects.create_user("nora", "nora@example.org", GOOD_PASSWORD)

    update_profile(actor=user, user=user, display_name="Nora", country="NO")

    assert Profile.objects.filter(user=user).values_list("display_name", "country").get() == (
        "Nora",
        "NO",
    )


def test_declaring_interests_twice_keeps_both_revisions(participant):
    first = declare_interests(actor=participant, affiliations="Tunapanda", funding="", interests="")
    second = declare_interests(
        actor=participant, affiliations="Tunapanda\nKICTANet", funding="Ford Foundation grant"
    )

    history = list(StatementOfInterest.objects.filter(user=participant).order_by("id"))
    assert history == [first, second]
    assert (second.affiliations, second.funding) == ("Tunapanda\nKICTANet", "Ford Foundation grant")


def test_a_statement_of_interest_needs_affiliations(participant):
    with pytest.raises(ValidationError) as raised:
        declare_interests(actor=participant, affiliations="   ", funding="x")

    assert raised.value.message_dict == {
        "affiliations": ["List your affiliations, or write “none”."]
    }
    assert StatementOfInterest.objects.count() == 0


def test_an_anonymous_visitor_cannot_declare_interests(db):
    with pytest.raises(PermissionDenied):
        declare_interests(actor=AnonymousUser(), affiliations="None")

    assert StatementOfInterest.objects.count() == 0


def test_a_participant_registered_without_a_password_cannot_log_in(db):
    user = register_participant(
        username="placeholder",
        email="placeholder@example.org",
        password=None,
        display_name="Placeholder",
        stakeholder_group="individual",
    )

    assert user.has_usable_password() is False
    assert Profile.objects.get(user=user).display_name == "Placeholder"
