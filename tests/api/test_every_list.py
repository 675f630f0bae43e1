"""Every list of the API is paged the one way (docs/api.md, "Lists"): found from the routers'
OpenAPI document, so a list added without paging fails here."""

from typing import Any

import pytest
from django.core.management import call_command

from polyvox.caucuses.models import Caucus
from polyvox.config.api import api
from polyvox.joint_statements.models import JointStatement
from polyvox.organisations.models import Organisation
from polyvox.outcomes.models import Designation
from polyvox.processes.models import Process
from tests.api.conftest import next_url

PAGING_PARAMETERS = {"page_size", "cursor", "page"}
# Lists that are not paged this way, and why (docs/api.md).
NOT_PAGED = {
    # The record's log entries are addressed by index (start ≤ index < end, at most 1000 a
    # call), as RFC 9162's get-entries is: an append-only log's index is already a cursor.
    "/api/v1/processes/{slug}/record/entries",
}


def _list_operations() -> dict[str, dict[str, Any]]:
    """GET operations that answer a list (a JSON array, or an object holding a paged array)."""
    found = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        get = operations.get("get")
        if get is None or path in NOT_PAGED:
            continue
        content = get["responses"].get("200", get["responses"].get(200, {})).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if schema.get("type") == "array" or get["operationId"].split("_api_")[-1].startswith(
            ("list_", "read_history")
        ):
            found[path] = get
    return found


def test_the_routers_have_the_lists_this_test_knows_about():
    lists = _list_operations()

    assert len(lists) >= 18  # a change that hides lists from this test fails it
    assert "/api/v1/processes/{slug}/contributions" in lists


@pytest.mark.parametrize("path", sorted(_list_operations()))
def test_every_list_documents_the_paging_parameters_and_headers(path):
    operation = _list_operations()[path]
    parameters = {p["name"] for p in operation.get("parameters", [])}
    responses = operation["responses"]
    headers = responses.get("200", responses.get(200, {})).get("headers", {})

    assert parameters >= PAGING_PARAMETERS, path
    assert {"Link", "X-Total-Count"} <= set(headers), path


def _rows(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    return next(value for value in body.values() if isinstance(value, list))


def _fillings(path: str) -> list[dict[str, str]]:
    """Every way to fill the path's parameters from the demo's data."""
    if path.startswith("/api/v1/organisations/{slug}"):
        return [{"slug": o.slug} for o in Organisation.objects.all()]
    fillings: list[dict[str, str]] = [{}]
    if "{slug}" in path:
        fillings = [{"slug": p.slug} for p in Process.objects.all()]
    expanded = []
    for filling in fillings:
        process = Process.objects.filter(slug=filling.get("slug")).first()
        if "{statement_id}" in path:
            ids = JointStatement.objects.filter(process=process).values_list("pk", flat=True)
            expanded += [{**filling, "statement_id": str(i)} for i in ids]
        elif "{designation_id}" in path:
            designations = Designation.objects.filter(recommendation__process=process)
            expanded += [{**filling, "designation_id": str(d.pk)} for d in designations]
        elif "{caucus}" in path:
            slugs = Caucus.objects.filter(process=process).values_list("slug", flat=True)
            expanded += [{**filling, "caucus": s} for s in slugs]
        else:
            expanded.append(filling)
    return expanded


@pytest.mark.django_db
def test_every_list_honours_page_size_and_links_its_next_page_on_the_demo(client):
    call_command("seed_demo")
    walked_more_than_one_page = []

    for path in sorted(_list_operations()):
        fillings = _fillings(path)
        assert fillings, f"the demo has nothing to fill {path}"
        for filling in fillings:
            url = path.format(**filling)
            first = client.get(url, {"page_size": 1})
            assert first.status_code == 200, (url, first.content)
            rows = _rows(first.json())
            assert len(rows) <= 1, url
            assert "X-Total-Count" in first, url  # went through the paging
            following = next_url(first)
            if int(first["X-Total-Count"]) > 1:
                assert following is not None, url
                second = client.get(following)
                assert second.status_code == 200, (url, second.content)
                assert _rows(second.json()), url
                assert _rows(second.json()) != rows, url
                walked_more_than_one_page.append(path)
            else:
                assert following is None, url

    # Most lists have more than one row somewhere in the demo, so their Link was followed.
    assert len(set(walked_more_than_one_page)) >= 10, sorted(set(walked_more_than_one_page))
