"""The caucuses API: public facts and published threads, never unpublished content."""

import pytest

from polyvox.caucuses.services.content import publish_thread, start_thread
from tests.caucuses.conftest import request_from

pytestmark = pytest.mark.django_db


def test_the_caucus_list_gives_public_facts_and_counts_approved_members_only(
    client, caucus, outsider
):
    request_from(caucus, outsider, message="private")

    response = client.get(f"/api/v1/processes/{caucus.process.slug}/caucuses")

    assert response.status_code == 200
    assert response.json() == [
        {
            "name": "Civil society caucus",
            "slug": "civil-society-caucus",
            "purpose": "Coordinate civil society's positions.",
            "stakeholder_group": "",
            "members": 2,
        }
    ]


def test_published_threads_come_with_their_posts_and_unpublished_ones_not_at_all(
    client, caucus, facilitator, member
):
    shown = start_thread(actor=member, caucus=caucus, title="Spectrum", body="Open spectrum.")
    start_thread(actor=member, caucus=caucus, title="Tactics", body="Keep this inside.")
    publish_thread(actor=facilitator, thread=shown)

    response = client.get(
        f"/api/v1/processes/{caucus.process.slug}/caucuses/{caucus.slug}/published-threads"
    )

    body = response.json()
    assert response.status_code == 200
    assert [(t["id"], t["title"]) for t in body] == [(shown.pk, "Spectrum")]
    assert [(p["author_name"], p["text"]) for p in body[0]["posts"]] == [
        ("Marta", "Open spectrum.")
    ]
    assert "Keep this inside." not in response.content.decode()


def test_an_unknown_caucus_answers_404(client, caucus):
    response = client.get(
        f"/api/v1/processes/{caucus.process.slug}/caucuses/nope/published-threads"
    )

    assert response.status_code == 404
    assert response.json() == {"error": "No such caucus."}
