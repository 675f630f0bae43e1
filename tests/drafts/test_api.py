"""The drafts API: published drafts and versions with their sections, public data only."""

import pytest

from polyvox.drafts.services import publish_draft_version

from .conftest import V1

pytestmark = pytest.mark.django_db


def test_drafts_are_listed_with_their_versions(client, process, version1, secretariat):
    publish_draft_version(
        actor=secretariat, draft=version1.draft, markdown=V1 + "\nMore.", note="More."
    )

    response = client.get(f"/api/v1/processes/{process.slug}/drafts")

    assert response.status_code == 200
    (draft,) = response.json()
    assert (draft["slug"], draft["title"]) == ("principles", "Draft principles")
    assert [(v["number"], v["note"], v["section_count"]) for v in draft["versions"]] == [
        (1, "First draft.", 6),
        (2, "More.", 7),
    ]
    assert draft["versions"][1]["url"] == f"/p/{process.slug}/drafts/principles/v2/"


def test_unpublished_drafts_are_not_listed_for_anonymous_callers(client, process, draft):
    response = client.get(f"/api/v1/processes/{process.slug}/drafts")

    assert (response.status_code, response.json()) == (200, [])


def test_a_version_is_read_with_its_sections(client, process, version1):
    response = client.get(f"/api/v1/processes/{process.slug}/drafts/principles/versions/1")

    body = response.json()
    assert response.status_code == 200
    assert (body["draft"], body["number"], body["note"]) == ("principles", 1, "First draft.")
    assert body["sections"][:2] == [
        {
            "anchor": "principles-for-community-networks",
            "order": 1,
            "level": 1,
            "heading": "Principles for community networks",
            "text": "",
        },
        {
            "anchor": "principles-for-community-networks-p1",
            "order": 2,
            "level": 0,
            "heading": "",
            "text": "Community networks connect people that markets leave behind.",
        },
    ]
    assert "published_by" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/processes/nope/drafts",
        "/api/v1/processes/{slug}/drafts/principles/versions/2",
        "/api/v1/processes/{slug}/drafts/nope/versions/1",
    ],
)
def test_missing_processes_drafts_and_versions_are_404(client, process, version1, path):
    response = client.get(path.format(slug=process.slug))

    assert response.status_code == 404
    assert "error" in response.json()


def test_every_drafts_operation_has_a_summary(client):
    schema = client.get("/api/v1/openapi.json").json()

    operations = [
        operation
        for item in schema["paths"].values()
        for operation in item.values()
        if operation["operationId"].startswith("polyvox_drafts_api_")
    ]
    assert len(operations) == 6  # drafts, a version; parity (2), a translation, publishing one
    assert all(operation.get("summary") for operation in operations)
