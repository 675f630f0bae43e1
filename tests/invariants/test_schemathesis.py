"""schemathesis against the API's own OpenAPI document: no operation answers a 5xx, whatever it is
sent, as an anonymous caller or as a secretariat member with a write token (issue 12, point 8).

Bounded and deterministic: 25 examples per operation, derandomized (the same cases on every run).
Each case is sent twice: as generated (random slugs and ids: mostly 404s), then with the path
pointed at a real process, draft, statement and organisation, so the handlers themselves are
reached with hostile bodies and query parameters.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from polyvox.accounts.services.tokens import create_token
from polyvox.config.api import api
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import integrate_pending
from tests.factories import (
    PhaseFactory,
    ProcessFactory,
    UserFactory,
    make_organisation,
    make_secretariat,
    make_statement,
    make_version,
    submit_comment,
)

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
APP = WSGIHandler()
SLUG = "fuzzed"
# Path parameters that name something real in the arranged process.
REAL: dict[str, Any] = {"slug": SLUG, "draft": "principles", "number": 1, "version": 1}

# PostgreSQL's run (the second half of `make test`) looks for what only it refuses (NUL in text,
# out-of-range integers) with fewer examples; SQLite's run explores more of each operation.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
BOUNDED = settings(
    max_examples=10 if ON_POSTGRESQL else 25,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection at the start and end of each request
    (request_started, request_finished: inside the test's transaction the connection is not in
    autocommit, so it counts as obsolete); on PostgreSQL every later request was then a 503.
    Django's test client disconnects the same receiver while it calls the application."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_rate_limits(settings: Any) -> None:
    """Hundreds of calls from one address: the limits have their own tests."""
    settings.POLYVOX_RATE_LIMITS_ENABLED = False


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """A process with a draft version, an input, a statement, an organisation; a secretariat
    member holding a write token."""
    process: Process = ProcessFactory(slug=SLUG)
    PhaseFactory(process=process)
    version = make_version(process)
    amina = UserFactory(username="amina")
    comment = submit_comment(amina, version.sections.get(anchor="scope"), "A comment.")
    statement = make_statement(process, "Access is a right.")
    organisation = make_organisation("Rhizomatica", admin=amina)
    sofia: User = make_secretariat(process, username="sofia")
    key = create_token(actor=sofia, name="fuzzing", scope="write").key
    # A signed checkpoint: without one the checkpoint endpoint answers its documented 503
    # ("503 until the first checkpoint is signed", record/api.py).
    integrate_pending()
    return {
        "token": key,
        "real": {
            **REAL,
            "statement_id": statement.pk,
            "tracking_number": comment.tracking_number,
            "organisation": organisation.slug,
            "org_slug": organisation.slug,
        },
    }


def pointed_at_real_rows(case: Any, real: dict[str, Any]) -> None:
    parameters = case.path_parameters or {}
    for name in list(parameters):
        if name in real:
            parameters[name] = real[name]
    if "slug" in parameters and "organisations" in case.path:
        parameters["slug"] = real["organisation"]


def call_both_ways(case: Any, real: dict[str, Any], headers: dict[str, str]) -> None:
    response = case.call(app=APP, headers=headers)
    case.validate_response(response, checks=[not_a_server_error], headers=headers)
    pointed_at_real_rows(case, real)
    response = case.call(app=APP, headers=headers)
    case.validate_response(response, checks=[not_a_server_error], headers=headers)


@schema.parametrize()
@BOUNDED
def test_no_operation_answers_a_server_error_to_an_anonymous_caller(case, world):
    call_both_ways(case, world["real"], {})


@schema.parametrize()
@BOUNDED
def test_no_operation_answers_a_server_error_to_a_secretariat_token(case, world):
    call_both_ways(case, world["real"], {"Authorization": f"Bearer {world['token']}"})


@pytest.mark.django_db
def test_the_secretariat_token_is_accepted_so_the_second_run_is_signed_in(client, world):
    """The signed-in run is not an anonymous run in disguise: the token authenticates."""
    headers = {"Authorization": f"Bearer {world['token']}"}
    body = {"kind": "general", "text": "Sent with a token."}

    anonymous = client.post(
        f"/api/v1/processes/{SLUG}/contributions", body, content_type="application/json"
    )
    signed = client.post(
        f"/api/v1/processes/{SLUG}/contributions",
        body,
        content_type="application/json",
        headers=headers,
    )

    assert anonymous.status_code == 401
    assert signed.status_code == 201, signed.content
