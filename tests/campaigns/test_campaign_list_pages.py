"""The campaigns page in pages: the largest first, each with its tallies and first additions, read
for the whole page in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.models import Campaign
from polyvox.campaigns.selectors import campaign_summaries, campaign_summary, first_additions
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Contribution
from polyvox.participants.models import StakeholderGroup
from tests.factories import send_submission

LETTERS = [
    "Keep the community spectrum open for rural networks, now and for the next decade.",
    "Publish every draft of the treaty text before the vote, with the comments received.",
    "Fund the national internet exchange point and keep its governance multistakeholder.",
]


def _campaigns(process, secretariat, sizes, prefix="c"):
    """One campaign per size (letter i sent sizes[i] times; one member in two adds words), the
    members of alternating stakeholder groups and countries."""
    groups = [StakeholderGroup.CIVIL_SOCIETY, StakeholderGroup.ACADEMIA]
    for i, size in enumerate(sizes):
        for n in range(size):
            text = LETTERS[i] + (f" I add point {n}." if n % 2 else "")
            sent = send_submission(process, text, f"{prefix}{i}m{n}")
            Contribution.objects.filter(pk=sent.pk).update(
                stakeholder_group=groups[n % 2], country=["KE", "FR", ""][n % 3]
            )
    detect_campaigns(actor=secretariat, process=process)
    return list(Campaign.objects.filter(process=process).order_by("-size", "id"))


@pytest.mark.django_db
def test_the_summaries_of_a_page_are_those_of_each_campaign(process, open_phase, secretariat):
    campaigns = _campaigns(process, secretariat, [7, 4, 3])

    summaries = campaign_summaries(viewer=None, campaigns=campaigns)

    assert summaries == [campaign_summary(viewer=None, campaign=c) for c in campaigns]
    first = summaries[0]
    assert first.size == 7
    assert [(t.key, t.count) for t in first.by_stakeholder_group] == [
        (StakeholderGroup.CIVIL_SOCIETY, 4),
        (StakeholderGroup.ACADEMIA, 3),
    ]
    assert sorted((t.label, t.count) for t in first.by_region) == [
        ("Africa", 3),
        ("Europe", 2),
        ("Not stated", 2),
    ]


@pytest.mark.django_db
def test_the_first_additions_of_each_campaign_come_in_member_order(
    process, open_phase, secretariat
):
    campaigns = _campaigns(process, secretariat, [9, 4])

    additions = first_additions(viewer=None, campaigns=campaigns, limit=3)

    for campaign in campaigns:
        expected = list(campaign.memberships.exclude(unique_addition="").order_by("contribution"))
        assert additions[campaign.pk] == expected[:3]
    assert [len(additions[c.pk]) for c in campaigns] == [3, 2]


def _page(client, process, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/p/{process.slug}/campaigns/", params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_twenty_campaigns_largest_first_in_the_same_queries_for_more(
    client, process, open_phase, secretariat, monkeypatch
):
    monkeypatch.setattr("polyvox.campaigns.views.CAMPAIGNS_PER_PAGE", 2)
    _campaigns(process, secretariat, [3, 4])
    few, _ = _page(client, process)

    campaigns = _campaigns(process, secretariat, [3, 5, 4], prefix="d")  # detected again
    many, first = _page(client, process)
    _, second = _page(client, process, page=2)

    assert many == few
    shown = re.findall(r'<h2 id="campaign-(\d+)"', first) + re.findall(
        r'<h2 id="campaign-(\d+)"', second
    )
    assert shown == [str(c.pk) for c in campaigns]
    assert "Page 1 of 2" in first
    assert [c.size for c in campaigns] == [9, 6, 4]  # the letters sent in both rounds
    assert "9 submissions" in first
