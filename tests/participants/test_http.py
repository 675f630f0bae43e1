"""The signed-in participant of a request, as every view and API operation acting as one reads it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from polyvox.participants.http import signed_in_user


def request_by(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_a_signed_in_participant_is_returned_as_the_user(participant):
    assert signed_in_user(request_by(participant)) == participant


def test_an_anonymous_visitor_is_refused(db):
    with pytest.raises(PermissionDenied, match=r"^Log in to take part\.$"):
        signed_in_user(request_by(AnonymousUser()))


def test_a_deactivated_account_is_refused(participant):
    participant.is_active = False
    participant.save()

    with pytest.raises(PermissionDenied, match=r"^Log in to take part\.$"):
        signed_in_user(request_by(participant))


def test_the_api_answers_401_to_an_anonymous_caller_before_acting(client, open_phase):
    response = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {"kind": "general", "text": "Hello"},
        content_type="application/json",
    )

    assert response.status_code == 401
