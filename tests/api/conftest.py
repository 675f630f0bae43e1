"""Helpers of the API list tests: a draft version to comment on, and walking a list by its Link."""

from typing import Any

import pytest
from django.test import Client

from polyvox.drafts.models import DraftVersion
from polyvox.processes.models import Process
from tests.factories import make_version


@pytest.fixture
def version(process: Process) -> DraftVersion:
    return make_version(process)


def next_url(response: Any) -> str | None:
    """The URL of the Link rel=next header, or None on the last page."""
    link = response.get("Link")
    if link is None:
        return None
    assert link.endswith('>; rel="next"'), link
    return str(link[1 : link.index(">")])


def walk(client: Client, url: str, params: dict[str, Any], between: Any = None) -> list[Any]:
    """Every row of a list, following Link rel=next; `between(n)` runs after page n is read."""
    rows: list[Any] = []
    response = client.get(url, params)
    pages = 0
    while True:
        assert response.status_code == 200, response.content
        rows.extend(response.json())
        pages += 1
        if between is not None:
            between(pages)
        following = next_url(response)
        if following is None:
            return rows
        assert pages < 1000  # a Link that never ends would loop
        response = client.get(following)
