"""The feedback report page and its downloads: public, paginated, a campaign counted once."""

import json

from django.urls import reverse

from polyvox.campaigns.services.decisions import answer_campaign
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Outcome
from polyvox.contributions.services.dispositions import record_disposition
from tests.factories import contribution_url as url
from tests.factories import submit_comment, submit_to_version


def test_the_feedback_report_page_and_downloads_are_public(
    client, open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Thank you."
    )
    kwargs = {"draft": "principles", "number": 1}

    page = client.get(url("feedback_report", open_phase.process, **kwargs))
    as_csv = client.get(url("feedback_report_csv", open_phase.process, **kwargs))
    as_json = client.get(url("feedback_report_json", open_phase.process, **kwargs))

    assert "1 of 1 inputs answered (100%), each campaign counted once." in page.content.decode()
    assert "1 of 1 submissions answered (100%), every campaign member counted." in (
        page.content.decode()
    )
    assert (
        '<th scope="row">Civil society</th><td>1</td><td>1</td><td>100%</td>'
        in page.content.decode()
    )
    assert '<th scope="row">Africa</th><td>1</td><td>1</td><td>100%</td>' in page.content.decode()
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    data = json.loads(b"".join(as_json.streaming_content))
    assert data["inputs"][0]["tracking_number"] == contribution.tracking_number


def test_the_feedback_report_of_an_unknown_version_is_not_found(client, open_phase, version):
    response = client.get(url("feedback_report", open_phase.process, draft="principles", number=9))

    assert response.status_code == 404


def test_the_feedback_report_shows_a_campaign_once_and_members_show_the_campaigns_answer(
    client, open_phase, participant, other_participant, secretariat, section
):
    version = section.version
    letters = [
        submit_to_version(author, version, "Keep the internet open and neutral.")
        for author in (participant, other_participant)
    ]
    campaign = detect_campaigns(actor=secretariat, process=open_phase.process)[0]
    answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="See §3.")
    member = letters[1] if campaign.template_id == letters[0].pk else letters[0]

    report = client.get(
        url("feedback_report", open_phase.process, draft="principles", number=1)
    ).content.decode()
    detail = client.get(
        url("detail", open_phase.process, tracking_number=member.tracking_number)
    ).content.decode()

    campaign_url = reverse(
        "campaigns:detail", kwargs={"slug": open_phase.process.slug, "campaign_id": campaign.pk}
    )
    assert "1 of 1 inputs answered (100%), each campaign counted once." in report
    assert "2 of 2 submissions answered (100%), every campaign member counted." in report
    assert ("2 supporters" in report, campaign_url in report) == (True, True)
    assert report.count("Keep the internet open and neutral.") == 1
    assert "campaign of 2 near-identical submissions" in detail
    assert (campaign_url in detail, "The campaign's answer:" in detail) == (True, True)


def test_the_feedback_report_page_is_paginated_and_the_downloads_are_whole(
    client, process, open_phase, participant, version, monkeypatch
):
    from polyvox.contributions.views import feedback as views

    monkeypatch.setattr(views, "REPORT_PAGE_SIZE", 2)
    for n in range(3):
        submit_to_version(participant, version, f"Point {n}", kind="general")
    base = f"/p/{process.slug}/drafts/principles/v1/feedback"

    first = client.get(f"{base}/").content.decode()
    second = client.get(f"{base}/?page=2").content.decode()
    csv = b"".join(client.get(f"{base}.csv").streaming_content).decode()

    assert "Point 0" in first
    assert "Point 2" not in first
    assert "Point 2" in second
    assert "Page 1 of 2" in first
    assert all(f"Point {n}" in csv for n in range(3))
