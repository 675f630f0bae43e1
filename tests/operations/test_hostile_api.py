"""The API's parser: strict JSON, nothing unstorable, bounded nesting; errors in one shape (400)."""

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/processes/any/submissions"


@pytest.fixture
def signed_in(client: Client) -> Client:
    client.force_login(UserFactory())
    return client


def send(client: Client, body: bytes) -> Any:
    return client.generic("POST", URL, body, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"text": "caf\xe9"}', "The body is not UTF-8 (byte 13)."),
        (b'{"text": NaN}', "The body is not valid JSON: NaN is not a JSON number."),
        (b'{"text": "x",}', "The body is not valid JSON: "),
        (b"[" * 40 + b"]" * 40, "The JSON is nested deeper than 32 levels at $"),
        (b"[" * 100_000 + b"]" * 100_000, "The JSON is nested deeper than 32 levels"),
    ],
)
def test_hostile_json_answers_400_with_the_path(
    signed_in: Client, body: bytes, message: str
) -> None:
    response = send(signed_in, body)

    assert response.status_code == 400
    assert list(response.json()) == ["error"]
    assert response.json()["error"].startswith(message), response.json()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (b'{"title": "x", "text": "a\\u0000b"}', "text", "The text contains U+0000, which cannot"),
        (b'{"title": "x", "text": "\\ud800"}', "text", "The text contains U+D800, which cannot"),
        (b'{"tags": ["ok", "\\ufdd0"]}', "tags[1]", "The text contains U+FDD0"),
        (b'{"\\u0000": "x"}', "(a key)", "The text contains U+0000"),
    ],
)
def test_unstorable_text_answers_400_naming_the_field(
    signed_in: Client, body: bytes, field: str, message: str
) -> None:
    response = send(signed_in, body)

    assert response.status_code == 400
    assert response.json()["error"] == "Invalid input."
    assert list(response.json()["fields"]) == [field]
    assert response.json()["fields"][field][0].startswith(message), response.json()


def test_a_request_without_credentials_answers_401_in_the_error_shape(client: Client) -> None:
    response = send(client, b'{"text": "Hello"}')

    assert response.status_code == 401
    assert list(response.json()) == ["error"]
