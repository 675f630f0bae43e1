"""/healthz (liveness, no database) and /readyz (the database answers, every migration applied).

The database being down is checked against a real unreachable server in test_production.py."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from polyvox.operations import views


@pytest.fixture(autouse=True)
def forget_readiness() -> Iterator[None]:
    """Each test asks about the migrations afresh (a ready process remembers it for a minute)."""
    views._migrated_at = None
    yield
    views._migrated_at = None


def test_healthz_answers_ok_without_touching_the_database(client: Client) -> None:
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_whatever_the_host_header(client: Client) -> None:
    """A load balancer asks by IP address, which ALLOWED_HOSTS does not list."""
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_health_checks_are_not_redirected_to_https(client: Client, settings: object) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]

    assert client.get("/").status_code == 301  # pages are
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_answers_and_is_migrated(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_names_an_unapplied_migration(client: Client) -> None:
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied(
        "record", "0002_transparency_log"
    )  # as if the upgrade had not migrated

    response = client.get("/readyz")

    assert response.status_code == 503
    assert b"not ready: unapplied migrations: record.0002_transparency_log" in response.content


@pytest.mark.django_db
def test_readyz_remembers_a_ready_database_but_still_asks_it(
    client: Client, django_assert_num_queries: object
) -> None:
    client.get("/readyz")

    with django_assert_num_queries(1):  # type: ignore[operator]  # SELECT 1, no migration graph
        response = client.get("/readyz")

    assert response.status_code == 200


def test_health_checks_answer_only_get_and_head(client: Client) -> None:
    assert client.head("/healthz").status_code == 200
    # Not a health check: the usual URL routing, which allows GET only.
    assert client.post("/healthz").status_code == 405
