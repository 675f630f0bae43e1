"""Oversized bodies, too many fields and CSRF failures: 413/400/403, never a 500, in one shape."""

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/accounts/register/"
THREE_MB = 3 * 1024 * 1024


def test_a_3_mb_json_body_to_the_api_answers_413_in_the_error_shape(client: Client) -> None:
    body = json.dumps({"title": "x", "text": "a" * THREE_MB})

    response = client.post(
        "/api/v1/processes/any/submissions", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "The request is too large: at most 2.6 MB may be sent at once."
    }


def test_a_3_mb_form_post_answers_413_with_a_page(client: Client) -> None:
    response = client.post(REGISTER, {"username": "a" * THREE_MB})

    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>Too large</h1>" in page
    assert "at most 2.6 MB may be sent at once" in page


def test_a_3_mb_multipart_form_without_files_answers_413(client: Client) -> None:
    # Multipart: the length is not refused up front (files may be large); the fields are.
    response = client.post(REGISTER, {"username": "a" * THREE_MB, "note": "x"}, format="multipart")

    assert response.status_code == 413


def test_too_many_fields_answer_400_with_a_page_and_in_the_api(client: Client) -> None:
    fields = "&".join(f"f{i}=1" for i in range(1500))

    page = client.post(REGISTER, fields, content_type="application/x-www-form-urlencoded")
    api = client.post("/api/v1/processes", fields, content_type="application/x-www-form-urlencoded")

    assert page.status_code == 400
    assert "The form sent too many fields: at most 1000." in page.content.decode()
    assert api.status_code == 400
    assert api.json() == {"error": "The form sent too many fields: at most 1000."}


def test_a_form_without_its_csrf_token_answers_403_with_a_clear_page() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(REGISTER, {"username": "someone"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Form expired</h1>" in page
    assert "reload the page and send it again" in page


def test_an_api_write_with_the_session_but_no_csrf_header_answers_403_in_json() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response: Any = client.post(
        "/api/v1/processes/any/submissions",
        json.dumps({"text": "Hello"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"error"}, response.json()
    assert "CSRF" in response.json()["error"]


def test_a_bad_content_length_answers_400_not_500(client: Client) -> None:
    response = client.generic(
        "POST",
        REGISTER,
        b"a=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="lots",
    )

    assert response.status_code == 400
