"""The commitments API (paged, filtered, public data only) and the JSON Feed 1.1."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polyvox.commitments.models import Commitment, CommitmentUpdate
from polyvox.commitments.services.following import answer_contestation, contest_update
from tests.commitments.conftest import commit, report
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


def base(process):  # type: ignore[no-untyped-def]
    return f"/api/v1/processes/{process.slug}/commitments"


def feed_url(process):  # type: ignore[no-untyped-def]
    return reverse("commitments:feed", kwargs={"slug": process.slug})


def test_the_list_has_state_updates_and_recommendation_numbers(
    client, participant, process, organisation_commitment
):
    make_recommendation(process)
    second = make_recommendation(process, "Publish the minutes")
    mine = commit(participant, process, recommendations=[second])
    report(participant, mine)
    Commitment.objects.filter(pk=mine.pk).update(due_on=timezone.now().date() - timedelta(days=1))

    response = client.get(base(process))

    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    first, other = response.json()
    assert first["title"] == "Translate the guidelines"
    assert first["owner"] == "Amina"
    assert first["status"] == "in_progress"
    assert first["overdue"] is True
    assert first["state"] == "overdue"
    assert first["recommendations"] == [2]
    assert first["updates"] == 1
    assert other["organisation"] == {"name": "Rhizomatica", "slug": "rhizomatica"}
    assert other["overdue"] is False
    assert "email" not in response.content.decode()


def test_the_list_filters_and_pages(client, participant, process, organisation_commitment):
    commit(participant, process, "Mine")

    overdue = client.get(base(process), {"status": "overdue"}).json()
    planned = client.get(base(process), {"status": "planned", "page_size": 1})
    theirs = client.get(base(process), {"organisation": "rhizomatica"}).json()

    assert overdue == []
    assert planned["X-Total-Count"] == "2"
    assert 'rel="next"' in planned["Link"]
    assert [c["title"] for c in theirs] == ["Connect ten villages"]


def test_bad_filters_are_400_with_the_field(client, process, commitment):
    bad_status = client.get(base(process), {"status": "late"})
    bad_organisation = client.get(base(process), {"organisation": "nobody"})

    assert bad_status.status_code == 400
    assert "status" in bad_status.json()["fields"]
    assert bad_organisation.status_code == 400
    assert "organisation" in bad_organisation.json()["fields"]


def test_one_commitment_with_its_updates_contestations_and_answers(
    client, participant, other_participant, commitment
):
    update = report(participant, commitment, evidence=["https://example.org/proof"])
    contestation = contest_update(actor=other_participant, update=update, reason="Not enough.")
    answer_contestation(actor=participant, contestation=contestation, answer="More soon.")

    response = client.get(f"{base(commitment.process)}/{commitment.pk}")

    data = response.json()
    assert response.status_code == 200
    [shown] = data["updates_list"]
    assert shown["evidence"] == ["https://example.org/proof"]
    assert shown["author"] == "Amina"
    [contested] = shown["contestations"]
    assert contested["author"] == "Kenji"
    assert contested["reason"] == "Not enough."
    assert contested["answer"] == "More soon."
    assert contested["answered_by"] == "Amina"


def test_an_unknown_commitment_is_404(client, process):
    assert client.get(f"{base(process)}/999").status_code == 404


# The feed ----------------------------------------------------------------------------------------


def test_the_feed_is_json_feed_1_1_newest_first(client, participant, commitment):
    report(participant, commitment, status="done", evidence=["https://example.org/done"])

    response = client.get(feed_url(commitment.process))

    assert response["Content-Type"] == "application/feed+json"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"].endswith(f"/p/{commitment.process.slug}/commitments/")
    assert feed["feed_url"].endswith("/commitments/feed.json")
    assert "next_url" not in feed
    update, made = feed["items"]
    assert update["title"] == "Translate the guidelines: Done"
    assert update["external_url"] == "https://example.org/done"
    assert update["authors"] == [{"name": "Amina"}]
    assert update["url"].startswith("http://testserver/p/")
    assert made["title"] == "Commitment: Translate the guidelines"
    assert "commits to “Translate the guidelines”" in made["content_text"]
    assert update["id"] != made["id"]


def test_the_feed_pages_by_fifty_with_next_url(client, participant, process):
    commitment = commit(participant, process)
    for i in range(55):
        report(participant, commitment, text=f"Update {i}")
    updates = CommitmentUpdate.objects.order_by("-created_at", "-id")
    # Newest first: spread the updates in time.
    for i, update in enumerate(updates):
        CommitmentUpdate.objects.filter(pk=update.pk).update(
            created_at=timezone.now() + timedelta(minutes=100 - i)
        )

    first = json.loads(client.get(feed_url(process)).content)
    second = json.loads(client.get(first["next_url"]).content)

    assert len(first["items"]) == 50
    assert len(second["items"]) == 6  # 5 updates and the commitment itself
    assert "next_url" not in second
    assert second["items"][-1]["title"] == "Commitment: Translate the guidelines"
    dates = [i["date_published"] for i in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)


def test_a_hostile_feed_page_is_the_first_page(client, commitment):
    response = client.get(feed_url(commitment.process), {"page": "-1\x00"})

    assert response.status_code == 200
    assert len(json.loads(response.content)["items"]) == 1
