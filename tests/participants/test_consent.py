"""Consent to the versioned terms of use and privacy notice, and the middleware that asks for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polyvox.participants.models import Consent
from polyvox.participants.services import accept_consents, consents_missing
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def consent_required(settings):
    settings.POLYVOX_REQUIRE_CONSENT = True
    settings.POLYVOX_TERMS_VERSION = "2026-12-02"
    settings.POLYVOX_PRIVACY_VERSION = "2026-12-02"


def test_a_new_account_misses_both_documents(participant):
    assert consents_missing(participant) == ["terms", "privacy"]


def test_accepting_records_the_current_versions_once(participant):
    accept_consents(participant, ["terms", "privacy"])
    accept_consents(participant, ["terms"])

    assert consents_missing(participant) == []
    assert sorted(Consent.objects.values_list("document", "version")) == [
        ("privacy", "2026-12-02"),
        ("terms", "2026-12-02"),
    ]


def test_a_new_version_of_one_document_asks_for_that_one_again(participant, settings):
    accept_consents(participant, ["terms", "privacy"])
    settings.POLYVOX_PRIVACY_VERSION = "2027-01-15"

    assert consents_missing(participant) == ["privacy"]


def test_a_signed_in_person_without_consent_is_sent_to_the_consent_page_and_back(
    client, participant
):
    client.force_login(participant)
    profile = reverse("participants:profile")

    asked = client.get(profile)

    assert asked.status_code == 302
    assert asked["Location"] == f"{reverse('participants:consent')}?next=%2Faccounts%2Fprofile%2F"
    page = client.get(asked["Location"])
    assert "I accept the terms of use" in page.text
    assert "version 2026-12-02" in page.text
    accepted = client.post(
        reverse("participants:consent"),
        {"accept_terms": "on", "accept_privacy": "on", "next": profile},
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == profile
    assert client.get(profile).status_code == 200


def test_consenting_to_only_one_document_is_refused(client, participant):
    client.force_login(participant)

    response = client.post(reverse("participants:consent"), {"accept_terms": "on"})

    assert response.status_code == 200
    assert "confirm that you have read the privacy notice" in response.text
    assert consents_missing(participant) == ["terms", "privacy"]


def test_next_is_never_another_site(client, participant):
    client.force_login(participant)

    response = client.post(
        reverse("participants:consent"),
        {"accept_terms": "on", "accept_privacy": "on", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("participants:profile")


def test_a_post_without_consent_is_refused_with_the_reason_and_changes_nothing(client, participant):
    client.force_login(participant)

    response = client.post(
        reverse("participants:interests"), {"affiliations": "Rhizomatica", "funding": ""}
    )

    assert response.status_code == 403
    assert "you have not accepted the current version" in response.text
    assert not participant.statements_of_interest.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/terms/",
        "/accounts/privacy/",
        "/accounts/consent/",
        "/healthz",
        "/api/v1/processes",
        "/account/data/",
        "/account/close/",
    ],
)
def test_the_documents_the_consent_page_and_the_api_stay_open(client, participant, path):
    client.force_login(participant)

    response = client.get(path)

    assert response.status_code not in (302, 403), response.get("Location")


def test_logging_out_stays_possible(client, participant):
    client.force_login(participant)

    response = client.post(reverse("participants:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_visitors_are_never_asked(client, db):
    assert client.get(reverse("participants:register")).status_code == 200


def test_once_accepted_the_check_costs_no_query(client, participant):
    accept_consents(participant, ["terms", "privacy"])
    client.force_login(participant)
    client.get(reverse("participants:terms"))  # exempt: nothing cached yet
    client.get(reverse("participants:profile"))  # one query: consented, remembered
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("participants:terms"))
        terms_page = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("participants:profile"))
    consent_queries = [q for q in queries.captured_queries if "participants_consent" in q["sql"]]

    assert consent_queries == []
    assert terms_page > 0


def test_a_new_version_asks_again_even_when_remembered(client, participant, settings):
    accept_consents(participant, ["terms", "privacy"])
    client.force_login(participant)
    assert client.get(reverse("participants:profile")).status_code == 200

    settings.POLYVOX_TERMS_VERSION = "2027-01-15"

    assert client.get(reverse("participants:profile")).status_code == 302


def test_with_the_setting_off_nobody_is_asked(client, participant, settings):
    settings.POLYVOX_REQUIRE_CONSENT = False
    client.force_login(participant)

    assert client.get(reverse("participants:profile")).status_code == 200


def test_the_terms_and_privacy_pages_show_their_version_and_what_is_private(client, db, settings):
    settings.POLYVOX_PRIVACY_VERSION = "2027-02-01"

    terms = client.get(reverse("participants:terms"))
    privacy = client.get(reverse("participants:privacy"))

    assert "Version 2026-12-02" in terms.text
    assert "Version 2027-02-01" in privacy.text
    for private in ("gender", "verified identity", "Caucus content", "internal notes"):
        assert private in privacy.text
    assert "Download all your data" in privacy.text
    assert "anonymised" in privacy.text


def test_a_second_user_in_the_same_browser_is_asked_for_their_own(client, participant):
    accept_consents(participant, ["terms", "privacy"])
    client.force_login(participant)
    client.get(reverse("participants:profile"))
    other = UserFactory(username="kofi")

    client.force_login(other)

    assert client.get(reverse("participants:profile")).status_code == 302
