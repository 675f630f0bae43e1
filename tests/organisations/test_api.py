"""Organisations API: public lists and details with filters, signed-in writes, errors in one shape."""

import pytest

from polyvox.organisations.models import Organisation, Representative
from polyvox.organisations.services.representatives import request_to_represent
from polyvox.organisations.services.verification import merge_organisations, verify_organisation
from tests.factories import approve_representative, make_organisation

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations"


def test_the_list_filters_in_the_database_and_pages(client, staff):
    verified = make_organisation("Internet Society", stakeholder_group="technical_community")
    verify_organisation(actor=staff, organisation=verified, verified=True)
    make_organisation("Rhizomatica", country="MX")
    make_organisation("Derechos Digitales", country="CL")
    merge_organisations(
        actor=staff, duplicate=make_organisation("ISOC"), into=verified, reason="Same."
    )

    def names(**params):
        return [o["name"] for o in client.get(API, params).json()]

    assert names() == ["Derechos Digitales", "Internet Society", "Rhizomatica"]
    assert names(q="rhizo") == ["Rhizomatica"]
    assert names(stakeholder_group="technical_community") == ["Internet Society"]
    assert names(country="cl") == ["Derechos Digitales"]
    assert names(verified="true") == ["Internet Society"]
    assert names(verified="false") == ["Derechos Digitales", "Rhizomatica"]
    first = client.get(API, {"page_size": 2})
    assert first["X-Total-Count"] == "3"
    assert 'rel="next"' in first["Link"]
    assert [o["name"] for o in client.get(API, {"page_size": 2, "page": 2}).json()] == [
        "Rhizomatica"
    ]
    [row] = client.get(API, {"q": "rhizo"}).json()
    assert row == {
        "name": "Rhizomatica",
        "slug": "rhizomatica",
        "stakeholder_group": "civil_society",
        "country": "MX",
        "region": "Americas",
        "verified": False,
        "url": "/organisations/rhizomatica/",
    }


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"stakeholder_group": "lobbyists"}, 400),
        ({"country": "XX"}, 400),
        ({"page": 0}, 422),
        ({"page_size": 5000}, 422),
        ({"verified": "perhaps"}, 422),
    ],
)
def test_bad_list_parameters_are_4xx_in_the_one_error_shape(client, db, params, status):
    response = client.get(API, params)

    assert response.status_code == status
    assert response.json()["error"] == "Invalid input."


def test_the_detail_names_its_people_and_verification(client, organisation, participant, staff):
    approve_representative(organisation, participant)
    verify_organisation(actor=staff, organisation=organisation, verified=True)

    body = client.get(f"{API}/rhizomatica").json()

    assert body["name"] == "Rhizomatica"
    assert body["region"] == "Americas"
    assert body["verified"] is True
    assert body["verified_at"]
    assert body["merged_into"] is None
    assert body["representatives"] == [
        {"name": "Rosa", "role": "administrator"},
        {"name": "Amina", "role": "representative"},
    ]
    assert body["representative_count"] == 2


def test_a_merged_duplicate_names_the_survivor(client, organisation, staff):
    survivor = make_organisation("Rhizomatica A.C.")
    merge_organisations(actor=staff, duplicate=organisation, into=survivor, reason="Same.")

    body = client.get(f"{API}/rhizomatica").json()

    assert body["merged_into"] == survivor.slug


def test_an_unknown_organisation_is_404_in_the_one_shape(client, db):
    response = client.get(f"{API}/nobody")

    assert response.status_code == 404
    assert "error" in response.json()


def test_the_history_is_public_and_paged(client, organisation, staff):
    verify_organisation(actor=staff, organisation=organisation, verified=True)
    verify_organisation(actor=staff, organisation=organisation, verified=False)

    response = client.get(f"{API}/rhizomatica/history", {"page_size": 1})

    assert [e["kind"] for e in response.json()] == ["unverified"]
    assert response["X-Total-Count"] == "2"


def test_a_signed_in_participant_registers_an_organisation(client, participant):
    client.force_login(participant)

    response = client.post(
        API,
        {"name": "Derechos Digitales", "stakeholder_group": "civil_society", "country": "CL"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["slug"] == "derechos-digitales"
    assert response.json()["representatives"] == [{"name": "Amina", "role": "administrator"}]


def test_a_bad_registration_is_400_with_the_fields(client, participant, organisation):
    client.force_login(participant)

    response = client.post(
        API,
        {"name": "RHIZOMATICA", "stakeholder_group": "civil_society", "website": "javascript:1"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"website"}
    assert Organisation.objects.count() == 1


def test_a_duplicate_registration_is_400(client, participant, organisation):
    client.force_login(participant)

    response = client.post(
        API, {"name": "RHIZOMATICA", "stakeholder_group": "civil_society"},
        content_type="application/json",
    )  # fmt: skip

    assert response.status_code == 400
    assert "is already registered" in response.json()["fields"]["name"][0]


def test_anonymous_writes_are_401(client, organisation):
    registered = client.post(
        API, {"name": "X", "stakeholder_group": "civil_society"}, content_type="application/json"
    )
    requested = client.post(
        f"{API}/rhizomatica/representatives", {}, content_type="application/json"
    )

    assert (registered.status_code, requested.status_code) == (401, 401)
    assert Organisation.objects.count() == 1


def test_asking_to_represent_through_the_api(client, organisation, participant):
    client.force_login(participant)
    url = f"{API}/rhizomatica/representatives"

    first = client.post(url, {"message": "Hello"}, content_type="application/json")
    again = client.post(url, {"message": "Hello"}, content_type="application/json")

    assert first.status_code == 201
    assert first.json()["status"] == "requested"
    assert "message" not in first.json()
    assert again.status_code == 400
    assert "is waiting" in again.json()["fields"]["__all__"][0]
    assert Representative.objects.filter(user=participant).count() == 1


def test_asking_a_merged_organisation_is_400(client, organisation, participant, staff):
    merge_organisations(
        actor=staff, duplicate=organisation, into=make_organisation("Other"), reason="Same."
    )
    client.force_login(participant)

    response = client.post(
        f"{API}/rhizomatica/representatives", {}, content_type="application/json"
    )

    assert response.status_code == 400


def test_a_request_made_through_the_api_is_the_same_as_on_the_page(
    client, organisation, participant
):
    request_to_represent(actor=participant, organisation=organisation)

    body = client.get(f"{API}/rhizomatica").json()

    assert body["representatives"] == [{"name": "Rosa", "role": "administrator"}]


def test_a_nul_character_is_a_400_naming_the_field_never_a_500(client, participant, organisation):
    client.force_login(participant)

    registered = client.post(
        "/api/v1/organisations",
        {"name": "Rhizo\u0000matica Norte", "stakeholder_group": "civil_society"},
        content_type="application/json",
    )
    requested = client.post(
        f"/api/v1/organisations/{organisation.slug}/representatives",
        {"message": "Hello\u0000"},
        content_type="application/json",
    )

    assert registered.status_code == 400
    assert "name" in registered.json()["fields"]
    assert requested.status_code == 400
    assert "message" in requested.json()["fields"]
    assert not Representative.objects.filter(user=participant).exists()
