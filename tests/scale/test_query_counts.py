"""Every page and API list costs the same number of queries with 5 or 40 more of everything.

The pages are those `python -m bench pages` times plus every other GET page of the process that
shows inputs, votes, signatures, record entries, campaigns, members or notifications (from the
URLconf). Each is requested as a visitor, as the secretariat (sofia) or as a participant who
is a caucus facilitator (amina), after `grow(world, 5)` and again after `grow(world, 35)` more.
A failure lists the queries the larger process added, so the page's owner can see the N+1.
"""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polyvox.participants.models import User
from tests.scale.conftest import World, grow

FEW, MORE = 5, 35

# (who, URL template, owner of a page that grows today or None). Templates are filled by
# `World.path`: {p} the process page, {api} its API root, {draft}/{v} the first version,
# {input} its first input (replies grow under it), {campaign} the largest campaign,
# {caucus}, {joint} the joint statement, {sid} a statement.
PAGES: list[tuple[str, str, str | None]] = [
    # public pages
    ("visitor", "/", None),
    ("visitor", "{p}/", None),
    ("visitor", "{p}/contributions/", None),
    ("visitor", "{p}/contributions/?page=2", None),
    ("visitor", "{p}/contributions/?q=spectrum", None),
    ("visitor", "{p}/contributions/?kind=submission", None),
    ("visitor", "{p}/contributions/{input}/", None),
    ("visitor", "{p}/drafts/{draft}/v{v}/", None),
    ("visitor", "{p}/drafts/{draft}/v2/", None),
    ("visitor", "{p}/drafts/{draft}/diff/1/2/", None),
    ("visitor", "{p}/drafts/{draft}/v{v}/feedback/", None),
    ("visitor", "{p}/drafts/{draft}/v{v}/feedback/?page=2", None),
    ("visitor", "{p}/record/", None),
    ("visitor", "{p}/record/checkpoint.txt", None),
    ("visitor", "{p}/statements/", None),
    ("visitor", "{p}/opinion-map/", None),
    ("visitor", "{p}/campaigns/", None),
    ("visitor", "{p}/campaigns/{campaign}/", None),
    ("visitor", "{p}/caucuses/", None),
    ("visitor", "{p}/joint-statements/", None),
    ("visitor", "{p}/joint-statements/{joint}/", None),
    ("visitor", "{p}/joint-statements/{joint}/signatories/", None),
    ("visitor", "{p}/outcomes/", None),
    ("visitor", "{p}/outcome/", None),
    ("visitor", "{p}/outcome.json", None),
    ("visitor", "{p}/commitments/", None),
    ("visitor", "{p}/commitments/feed.json", None),
    ("visitor", "/organisations/", None),
    ("visitor", "/accounts/people/{sofia}/", None),
    # downloads (streamed; read to the end)
    ("visitor", "{p}/contributions.csv", None),
    ("visitor", "{p}/contributions.json", None),
    ("visitor", "{p}/drafts/{draft}/v{v}/feedback.csv", None),
    ("visitor", "{p}/drafts/{draft}/v{v}/feedback.json", None),
    ("visitor", "{p}/record.jsonl", None),
    # API
    ("visitor", "/api/v1/processes", None),
    ("visitor", "{api}", None),
    ("visitor", "{api}/drafts", None),
    ("visitor", "{api}/drafts/{draft}/versions/{v}", None),
    ("visitor", "{api}/contributions", None),
    ("visitor", "{api}/contributions?answered=no", None),
    ("visitor", "{api}/drafts/{draft}/versions/{v}/feedback", None),
    ("visitor", "{api}/statements", None),
    ("visitor", "{api}/opinion-map", None),
    ("visitor", "{api}/campaigns", None),
    ("visitor", "/api/v1/organisations", None),
    ("visitor", "{api}/caucuses", None),
    ("visitor", "{api}/caucuses/{caucus}/published-threads", None),
    ("visitor", "{api}/joint-statements", None),
    ("visitor", "{api}/joint-statements/{joint}", None),
    ("visitor", "{api}/joint-statements/{joint}/signatories", None),
    ("visitor", "{api}/joint-statements/{joint}/signatories/withdrawn", None),
    ("visitor", "{api}/recommendations", None),
    ("visitor", "{api}/designations", None),
    ("visitor", "{api}/decisions", None),
    ("visitor", "{api}/electors", None),
    ("visitor", "{api}/commitments", None),
    ("visitor", "{api}/record/checkpoint", None),
    ("visitor", "{api}/record/entries?start=0&end=20", None),
    # the secretariat
    ("sofia", "{p}/", None),
    ("sofia", "{p}/workbench/", None),
    ("sofia", "{p}/workbench/?answered=no", None),
    ("sofia", "{p}/workbench/?page=2", None),
    ("sofia", "{p}/workbench/review/", None),
    # one query per shared text (up to 20), and every submission's time read into Python
    ("sofia", "{p}/signals/", None),
    ("sofia", "{p}/campaigns/", None),
    ("sofia", "{p}/campaigns/{campaign}/", None),
    ("sofia", "{p}/members/", None),
    ("sofia", "{p}/close/", None),
    ("sofia", "{p}/contributions/", None),
    ("sofia", "{p}/contributions/{input}/", None),
    ("sofia", "{p}/drafts/{draft}/v{v}/", None),
    ("sofia", "{p}/drafts/{draft}/v{v}/feedback/", None),
    ("sofia", "{p}/statements/", None),
    ("sofia", "{p}/statements/moderation/", None),
    ("sofia", "{p}/opinion-map/", None),
    ("sofia", "{p}/joint-statements/{joint}/", None),
    ("sofia", "{p}/edit/", None),
    ("sofia", "/notifications/", None),
    # a participant, facilitator of the caucus
    ("amina", "{p}/", None),
    ("amina", "{p}/vote/", None),
    ("amina", "{p}/statements/", None),
    ("amina", "{p}/caucuses/{caucus}/", None),
    ("amina", "{p}/caucuses/{caucus}/members/", None),
    ("amina", "{p}/caucuses/{caucus}/draft/", None),
    ("amina", "{p}/joint-statements/{joint}/", None),
    ("amina", "/notifications/", None),
    ("amina", "/accounts/profile/", None),
]


def _param(who: str, template: str, owner: str | None) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"owner: {owner}")] if owner else []
    return pytest.param(who, template, id=f"{who}:{template}", marks=marks)


def normalised(sql: str) -> str:
    """The query with its literals and numbers replaced, so the same query on other rows
    compares equal."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)+\)", "(?…)", sql)


def captured(client: Client, url: str) -> tuple[int, list[str]]:
    """(status, SQL of every query) of a GET, a streamed body read to its end."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, [q["sql"] for q in queries.captured_queries]


def difference(few: list[str], many: list[str]) -> str:
    """The queries whose number changed, with both counts, the most repeated first."""
    a, b = Counter(map(normalised, few)), Counter(map(normalised, many))
    changed = sorted(set(a) | set(b), key=lambda q: -abs(b[q] - a[q]))
    return "\n".join(f"  {a[q]} → {b[q]}: {q[:400]}" for q in changed if a[q] != b[q])


def client_for(who: str) -> Client:
    client = Client()
    if who != "visitor":
        client.force_login(User.objects.get(username=who))
    return client


@pytest.mark.parametrize(("who", "template"), [_param(*page) for page in PAGES])
def test_the_number_of_queries_does_not_grow_with_the_inputs(
    grown_world: World, who: str, template: str
) -> None:
    world = grown_world
    client = client_for(who)
    grow(world, FEW)
    url = world.path(template)
    captured(client, url)  # warm-up: caches of the process, the session, translations
    status, few = captured(client, url)

    grow(world, MORE)
    url_many = world.path(template)
    status_many, many = captured(client, url_many)

    assert (status, status_many) == (200, 200), f"{url}: {status}, {url_many}: {status_many}"
    assert len(many) == len(few), (
        f"{url}: {len(few)} queries with {FEW} more of everything, {len(many)} with "
        f"{FEW + MORE}:\n{difference(few, many)}"
    )
