"""Every kind of answer carries the security headers: CSP, Referrer-, Permissions-Policy, nosniff, frames."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from polyvox.campaigns.services.intake import receive_submission
from polyvox.processes.models import Process
from tests.factories import MINIMAL_PDF, PhaseFactory, ProcessFactory, UserFactory, make_secretariat

# What each directive of the Content-Security-Policy must say.
DIRECTIVES_REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


@pytest.fixture
def arranged(db: None) -> dict[str, Any]:
    """A process with one submission (with its PDF) and a secretariat member."""
    process: Process = ProcessFactory(slug="headers")
    PhaseFactory(process=process)
    author = UserFactory(username="amina")
    sent = receive_submission(
        author=author,
        process=process,
        text="A position paper on open access to the network.",
        attachment=SimpleUploadedFile("paper.pdf", MINIMAL_PDF, content_type="application/pdf"),
    ).contribution
    secretariat = make_secretariat(process, username="sofia")
    return {"process": process, "contribution": sent, "secretariat": secretariat}


def answers(client: Client, arranged: dict[str, Any]) -> dict[str, Any]:
    """One answer of each kind the site gives, by a name that says which kind it is."""
    tracking = arranged["contribution"].tracking_number
    csrf_client = Client(enforce_csrf_checks=True)
    return {
        "HTML page": client.get("/"),
        "HTML page of a process": client.get("/p/headers/"),
        "redirect to log in": client.get("/p/headers/workbench/"),
        "HTML 404": client.get("/no-such-page/"),
        "API 405": client.delete("/api/v1/processes"),
        "CSRF refusal": csrf_client.post("/accounts/login/", {"username": "x", "password": "y"}),
        "API JSON": client.get("/api/v1/processes"),
        "API JSON 404": client.get("/api/v1/processes/no-such-process"),
        "API JSON refusal": client.post(
            "/api/v1/processes/headers/contributions", {}, content_type="application/json"
        ),
        "API OpenAPI document": client.get("/api/v1/openapi.json"),
        "API docs page": client.get("/api/v1/docs"),
        "streamed CSV download": client.get("/p/headers/contributions.csv"),
        "streamed JSON Lines download": client.get("/p/headers/record.jsonl"),
        "attachment download": client.get(f"/p/headers/c/{tracking}/attachment"),
        "static stylesheet": client.get("/static/css/polyvox.css"),
        "static script": client.get("/static/js/htmx.min.js"),
    }


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
def test_every_kind_of_answer_carries_the_security_headers(client, arranged):
    missing = {}
    for kind, response in answers(client, arranged).items():
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # read to the end: the response is complete
        absent = [
            header
            for header in (
                "Content-Security-Policy",
                "Referrer-Policy",
                "Permissions-Policy",
                "X-Content-Type-Options",
                "X-Frame-Options",
            )
            if header not in response.headers
        ]
        if absent:
            missing[f"{kind} ({response.status_code})"] = absent

    assert missing == {}


@pytest.mark.django_db
def test_the_answers_are_the_kinds_they_claim_to_be(client, arranged):
    """The walk above is honest: each answer is what its name says (a 404 is a 404…)."""
    statuses = {kind: response.status_code for kind, response in answers(client, arranged).items()}

    assert statuses == {
        "HTML page": 200,
        "HTML page of a process": 200,
        "redirect to log in": 302,
        "HTML 404": 404,
        "API 405": 405,
        "CSRF refusal": 403,
        "API JSON": 200,
        "API JSON 404": 404,
        "API JSON refusal": 401,
        "API OpenAPI document": 200,
        "API docs page": 200,
        "streamed CSV download": 200,
        "streamed JSON Lines download": 200,
        "attachment download": 200,
        "static stylesheet": 200,
        "static script": 200,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/v1/processes", "/static/css/polyvox.css"])
def test_the_content_security_policy_allows_nothing_inline_and_nothing_from_elsewhere(client, path):
    header = client.get(path).headers["Content-Security-Policy"]
    directives = csp_directives(header)

    for directive, value in DIRECTIVES_REQUIRED.items():
        assert directives.get(directive) == [value], (directive, header)
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    for elsewhere in ("http:", "https:", "*"):
        assert elsewhere not in header


@pytest.mark.django_db
def test_referrer_policy_sends_no_address_to_other_sites(client):
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_permissions_policy_denies_camera_microphone_location_payment_usb_and_cohorts(client):
    header = client.get("/").headers["Permissions-Policy"]
    policy = dict(item.strip().split("=", 1) for item in header.split(","))

    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
        "display-capture",
    ):
        assert policy[feature] == "()", feature
    assert set(policy.values()) == {"()"}  # every feature listed is denied, none allowed


@pytest.mark.django_db
def test_pages_may_not_be_framed_and_content_types_are_not_sniffed(client):
    response = client.get("/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_scripts_and_styles_from_this_site(client):
    page = client.get("/api/v1/docs").content.decode()
    linked = re.findall(r'(?:src|href)="([^"]*)"', page)

    assert 'id="swagger-ui"' in page
    assert "/static/ninja/swagger-ui-bundle.js" in linked
    assert "/static/ninja/swagger-ui.css" in linked
    assert [address for address in linked if not address.startswith("/")] == []
    for address in linked:
        assert client.get(address).status_code == 200, address
