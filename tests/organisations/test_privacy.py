"""A requester's message (and a refusal's or revocation's reason) is for the people concerned
only: never on the public page, its history, the list, or the API."""

import pytest
from django.urls import reverse

from polyvox.organisations.services.representatives import (
    decide_representative,
    request_to_represent,
    revoke_representative,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "SENTINEL-message-7f3a my manager is on leave"
REFUSAL = "SENTINEL-refusal-91c2"
REVOCATION = "SENTINEL-revocation-55d0"


@pytest.fixture
def planted(organisation, admin_user, participant, other_participant):
    request_to_represent(actor=participant, organisation=organisation, message=MESSAGE)
    refused = request_to_represent(
        actor=other_participant, organisation=organisation, message=MESSAGE
    )
    decide_representative(actor=admin_user, representative=refused, approve=False, reason=REFUSAL)
    third = UserFactory(username="lucia")
    row = request_to_represent(actor=third, organisation=organisation, message=MESSAGE)
    decide_representative(actor=admin_user, representative=row, approve=True)
    revoke_representative(actor=admin_user, representative=row, reason=REVOCATION)
    return organisation


def _public_bodies(client, organisation):
    urls = [
        reverse("organisations:list"),
        organisation.get_absolute_url(),
        "/api/v1/organisations",
        f"/api/v1/organisations/{organisation.slug}",
        f"/api/v1/organisations/{organisation.slug}/history",
    ]
    responses = [client.get(url) for url in urls]
    assert [r.status_code for r in responses] == [200] * len(urls)
    return "\n".join(r.content.decode() for r in responses)


@pytest.mark.parametrize("sentinel", [MESSAGE, REFUSAL, REVOCATION])
def test_private_texts_never_reach_visitors_or_other_participants(client, planted, sentinel):
    anonymous = _public_bodies(client, planted)
    client.force_login(UserFactory(username="stranger"))
    signed_in = _public_bodies(client, planted)

    assert sentinel not in anonymous
    assert sentinel not in signed_in


def test_the_administrators_read_the_message(client, planted, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("organisations:manage", kwargs={"slug": planted.slug}))

    assert MESSAGE in page.content.decode()
