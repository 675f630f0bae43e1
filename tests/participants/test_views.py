"""Participant pages: register, log in and out, own profile, interests, public pages, privacy."""

import pytest
from django.urls import reverse

from polyvox.participants.models import Profile, StatementOfInterest, User
from polyvox.participants.services import declare_interests, update_profile
from tests.factories import ProcessFactory

SENTINEL_GENDER = "SENTINEL-GENDER-7f3a"
SENTINEL_EMAIL = "sentinel-mail-9c2e@example.org"
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def planted(participant):
    """The participant with sentinel private values planted."""
    User.objects.filter(pk=participant.pk).update(email=SENTINEL_EMAIL)
    update_profile(
        actor=participant, user=participant, gender=SENTINEL_GENDER, subgroup="rural ISPs"
    )
    participant.refresh_from_db()
    return participant


def test_the_register_page_renders_with_labelled_fields(client, db):
    response = client.get(reverse("participants:register"))

    assert response.status_code == 200
    assert b'<label for="id_username">' in response.content
    assert b'<label for="id_stakeholder_group">' in response.content


def test_registering_logs_in_and_sends_to_the_profile_form(client, db):
    response = client.post(
        reverse("participants:register"),
        {
            "username": "lucia", "email": "lucia@example.org", "password": PASSWORD,
            "password_again": PASSWORD, "display_name": "Lucía", "stakeholder_group": "academia",
            "accept_terms": "on", "accept_privacy": "on",
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("participants:profile_edit")
    user = User.objects.get(username="lucia")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Profile.objects.get(user=user).stakeholder_group == "academia"


def test_registering_with_a_taken_email_shows_the_error_and_creates_nothing(client, participant):
    response = client.post(
        reverse("participants:register"),
        {
            "username": "lucia", "email": "amina@example.org", "password": PASSWORD,
            "password_again": PASSWORD, "display_name": "Lucía", "stakeholder_group": "academia",
            "accept_terms": "on", "accept_privacy": "on",
        },
    )  # fmt: skip

    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in response.text
    assert User.objects.count() == 1


def test_registering_with_differing_passwords_is_refused(client, db):
    response = client.post(
        reverse("participants:register"),
        {
            "username": "lucia", "email": "lucia@example.org", "password": PASSWORD,
            "password_again": PASSWORD + "x", "display_name": "Lucía", "stakeholder_group": "academia",
        },
    )  # fmt: skip

    assert "The two passwords differ." in response.text
    assert User.objects.count() == 0


def test_logging_in_and_out(client, participant):
    page = client.get(reverse("participants:login"))
    logged_in = client.post(
        reverse("participants:login"),
        {"username": "amina", "password": "correct horse battery staple"},
    )
    logged_out = client.post(reverse("participants:logout"))

    assert page.status_code == 200
    assert (logged_in.status_code, logged_in["Location"]) == (302, reverse("processes:list"))
    assert (logged_out.status_code, logged_out["Location"]) == (302, reverse("processes:list"))
    assert "_auth_user_id" not in client.session


def test_logout_refuses_get(client, participant):
    client.force_login(participant)

    response = client.get(reverse("participants:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_own_profile_needs_login(client, db):
    response = client.get(reverse("participants:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("participants:login"))


def test_editing_the_profile_without_javascript(client, participant):
    client.force_login(participant)
    form = client.get(reverse("participants:profile_edit"))

    response = client.post(
        reverse("participants:profile_edit"),
        {
            "display_name": "Amina O.", "stakeholder_group": "technical_community",
            "subgroup": "", "organisation": "", "country": "KE", "languages": ["en", "fr"],
            "other_languages": "sw, luo", "interests": "", "gender": "", "timezone": "Africa/Nairobi",
        },
    )  # fmt: skip

    assert form.status_code == 200
    assert (response.status_code, response["Location"]) == (302, reverse("participants:profile"))
    profile = Profile.objects.get(user=participant)
    assert (profile.display_name, profile.stakeholder_group) == ("Amina O.", "technical_community")
    assert (profile.languages, profile.timezone) == (["en", "fr", "sw", "luo"], "Africa/Nairobi")


def test_an_invalid_language_code_is_shown_on_the_form_and_nothing_changes(client, participant):
    client.force_login(participant)

    response = client.post(
        reverse("participants:profile_edit"),
        {"display_name": "Amina", "stakeholder_group": "civil_society", "country": "KE",
         "other_languages": "Kiswahili!"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Not a language code: kiswahili!." in response.text
    assert Profile.objects.get(user=participant).languages == []


def test_the_profile_form_offers_m49_countries_and_time_zones(client, participant):
    client.force_login(participant)

    response = client.get(reverse("participants:profile_edit"))

    assert '<option value="KE" selected>Kenya</option>' in response.text
    assert '<option value="Africa/Nairobi">Africa/Nairobi</option>' in response.text
    assert "<legend>Languages you can work in</legend>" in response.text


def test_declaring_interests_adds_a_revision_and_shows_the_history(client, participant):
    client.force_login(participant)
    declare_interests(actor=participant, affiliations="First affiliation")

    response = client.post(
        reverse("participants:interests"),
        {"affiliations": "Second affiliation", "funding": "", "interests": ""},
        follow=True,
    )

    assert StatementOfInterest.objects.filter(user=participant).count() == 2
    assert response.text.index("Second affiliation") < response.text.index("First affiliation")


def test_declaring_interests_without_affiliations_shows_an_error(client, participant):
    client.force_login(participant)

    response = client.post(reverse("participants:interests"), {"affiliations": ""})

    assert "This field is required." in response.text
    assert StatementOfInterest.objects.count() == 0


def test_the_public_profile_page_of_an_unknown_person_is_404(client, db):
    assert client.get(reverse("participants:public_profile", args=["nobody"])).status_code == 404


def test_the_secretariat_sees_a_participants_interest_history(
    client, process, secretariat, participant
):
    declare_interests(actor=participant, affiliations="Declared affiliation")
    client.force_login(secretariat)

    response = client.get(reverse("processes:participant_interests", args=[process.slug, "amina"]))

    assert response.status_code == 200
    assert "Declared affiliation" in response.text


@pytest.mark.parametrize("viewer", ["anonymous", "other participant", "other secretariat"])
def test_others_get_403_on_the_interest_history(
    client, process, participant, other_participant, viewer
):
    declare_interests(actor=participant, affiliations="Declared affiliation")
    if viewer == "other participant":
        client.force_login(other_participant)
    elif viewer == "other secretariat":
        client.force_login(ProcessFactory().created_by)

    response = client.get(reverse("processes:participant_interests", args=[process.slug, "amina"]))

    assert response.status_code == 403
    assert "Declared affiliation" not in response.text


def test_interest_history_for_an_unknown_process_is_404(client, secretariat, participant):
    client.force_login(secretariat)

    response = client.get(reverse("processes:participant_interests", args=["nope", "amina"]))

    assert response.status_code == 404


def test_own_profile_shows_private_fields_with_the_privacy_note(client, planted):
    client.force_login(planted)

    response = client.get(reverse("participants:profile"))

    assert response.status_code == 200
    assert SENTINEL_GENDER in response.text
    assert SENTINEL_EMAIL in response.text
    assert "Your gender is private." in response.text


@pytest.mark.parametrize("viewer", ["anonymous", "other participant", "self"])
def test_the_public_profile_never_shows_gender_or_email(client, planted, other_participant, viewer):
    if viewer == "other participant":
        client.force_login(other_participant)
    elif viewer == "self":
        client.force_login(planted)

    response = client.get(reverse("participants:public_profile", args=["amina"]))

    assert response.status_code == 200
    assert "Amina" in response.text
    assert "Kenya · Africa, Sub-Saharan Africa" in response.text
    assert "rural ISPs" in response.text
    assert SENTINEL_GENDER not in response.text
    assert SENTINEL_EMAIL not in response.text


def test_the_secretariat_view_of_interests_never_shows_gender_or_email(
    client, process, secretariat, planted
):
    declare_interests(actor=planted, affiliations="A")
    client.force_login(secretariat)

    response = client.get(reverse("processes:participant_interests", args=[process.slug, "amina"]))

    assert SENTINEL_GENDER not in response.text
    assert SENTINEL_EMAIL not in response.text


def test_the_admin_lists_accounts_and_shows_statements_read_only(client, participant):
    statement = declare_interests(actor=participant, affiliations="A")
    client.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))

    users = client.get(reverse("admin:participants_user_changelist"))
    user_page = client.get(reverse("admin:participants_user_change", args=[participant.pk]))
    statement_page = client.get(
        reverse("admin:participants_statementofinterest_change", args=[statement.pk])
    )
    add_statement = client.get(reverse("admin:participants_statementofinterest_add"))

    assert (users.status_code, user_page.status_code, statement_page.status_code) == (200, 200, 200)
    assert add_statement.status_code == 403
    assert 'name="affiliations"' not in statement_page.text
