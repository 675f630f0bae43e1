"""The public list of inputs: pages, search, filters, each campaign shown once with its count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Contribution
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.contributions.views.public import PAGE_SIZE
from tests.factories import contribution_url as url
from tests.factories import send_submission, submit_comment, submit_to_version

LETTER = "We ask the forum to keep licence-exempt spectrum open for community networks."


def _page(client, process, **params):
    response = client.get(url("list", process), params)
    assert response.status_code == 200
    return response.content.decode()


def _tracking_numbers(content):
    return re.findall(r"<strong>(PV[^<]+)</strong>", content)


@pytest.fixture
def campaign(process, open_phase, secretariat):
    """Five copies of one letter (a campaign) and one submission that stands alone."""
    members = [send_submission(process, LETTER, f"signer{n}") for n in range(5)]
    alone = send_submission(process, "Satellite broadband needs spectrum too.", "solo")
    [found] = detect_campaigns(actor=secretariat, process=process)
    return found, members, alone


def test_pages_hold_page_size_inputs_and_keep_the_search_in_their_links(
    client, process, open_phase, participant, version
):
    for n in range(PAGE_SIZE + 1):
        submit_to_version(participant, version, f"Spectrum input {n}", kind="general")

    first = _page(client, process, q="spectrum")
    second = _page(client, process, q="spectrum", page=2)

    assert len(_tracking_numbers(first)) == PAGE_SIZE
    assert "Page 1 of 2" in first
    assert 'href="?q=spectrum&amp;page=2"' in first
    assert "Spectrum input 50" in second
    assert "Spectrum input 50" not in first


def test_a_search_lists_only_the_inputs_that_match(
    client, process, open_phase, participant, version
):
    wanted = submit_to_version(
        participant, version, "Encryption protects defenders.", kind="general"
    )
    other = submit_to_version(participant, version, "Fund community networks.", kind="general")

    content = _page(client, process, q="encryption")

    assert _tracking_numbers(content) == [wanted.tracking_number]
    assert other.tracking_number not in content
    assert "1 input" in content


def test_a_search_that_matches_nothing_says_so(client, process, open_phase, participant, version):
    submit_to_version(participant, version, "Fund community networks.", kind="general")

    assert "No contribution matches this search." in _page(client, process, q="zebra")


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "a AND OR", "x" * 5000, "\u0000"])
def test_a_hostile_search_is_answered_not_an_error(client, process, open_phase, query):
    _page(client, process, q=query)


def test_the_list_can_be_filtered_by_kind_and_by_section(
    client, process, open_phase, participant, version, section
):
    comment = submit_comment(participant, section, "On the scope.")
    general = submit_to_version(participant, version, "In general.", kind="general")
    omission = submit_to_version(participant, version, "Missing: access.", kind="omission")

    assert _tracking_numbers(_page(client, process, kind="omission")) == [omission.tracking_number]
    assert _tracking_numbers(_page(client, process, section="scope")) == [comment.tracking_number]
    assert _tracking_numbers(_page(client, process, kind="general")) == [general.tracking_number]


def test_an_unknown_filter_value_is_shown_as_an_error_and_the_others_still_apply(
    client, process, open_phase, participant, version
):
    wanted = submit_to_version(participant, version, "Encryption matters.", kind="general")
    submit_to_version(participant, version, "Networks matter.", kind="general")

    content = _page(client, process, kind="reply-or-worse", q="encryption")

    assert "Select a valid choice." in content
    assert _tracking_numbers(content) == [wanted.tracking_number]


def test_hidden_inputs_are_neither_listed_nor_found(
    client, process, open_phase, participant, secretariat, version
):
    hidden = submit_to_version(participant, version, "Spam about zebras.", kind="general")
    hide_contribution(actor=secretariat, contribution=hidden, reason_code="spam", reason="Spam.")

    assert hidden.tracking_number not in _page(client, process)
    assert hidden.tracking_number not in _page(client, process, q="zebras")


def test_a_campaign_is_shown_once_with_its_count(client, campaign):
    found, members, alone = campaign
    process = alone.process

    content = _page(client, process)

    assert _tracking_numbers(content) == [members[0].tracking_number, alone.tracking_number]
    assert "Campaign: 5 identical submissions, see all" in content
    assert f'href="/p/{process.slug}/campaigns/{found.pk}/"' in content
    assert "6 inputs" in content
    assert "Each campaign is shown once, with its count: 2 entries." in content


def test_a_search_that_matches_a_campaign_shows_it_once(client, campaign):
    _campaign, members, alone = campaign

    content = _page(client, alone.process, q="licence-exempt spectrum")

    assert _tracking_numbers(content) == [members[0].tracking_number]
    assert "Campaign: 5 identical submissions, see all" in content


def test_when_the_first_member_is_filtered_out_the_next_one_stands_for_the_campaign(
    client, campaign, secretariat
):
    _campaign, members, alone = campaign
    hide_contribution(
        actor=secretariat, contribution=members[0], reason_code="spam", reason="Duplicate account."
    )

    content = _page(client, alone.process)

    assert _tracking_numbers(content) == [members[1].tracking_number, alone.tracking_number]


def test_the_downloads_are_linked_with_the_current_search(client, process, open_phase):
    content = _page(client, process, q="spectrum", kind="general")

    assert f'href="/p/{process.slug}/contributions.csv?q=spectrum&amp;kind=general"' in content
    assert f'href="/p/{process.slug}/contributions.json?q=spectrum&amp;kind=general"' in content


def _queries(client, process, **params):
    with CaptureQueriesContext(connection) as captured:
        _page(client, process, **params)
    return len(captured)


def test_a_page_costs_the_same_queries_for_few_or_many_inputs_and_campaigns(
    client, process, open_phase, secretariat, participant, version
):
    send_submission(process, LETTER, "early")
    send_submission(process, LETTER, "early2")
    submit_to_version(participant, version, "Spectrum again.", kind="general")
    detect_campaigns(actor=secretariat, process=process)
    few = (_queries(client, process), _queries(client, process, q="spectrum"))

    for n in range(30):
        send_submission(process, f"{LETTER} Signed, number {n}.", f"late{n}")
        submit_to_version(participant, version, f"Spectrum matters {n}.", kind="general")
    detect_campaigns(actor=secretariat, process=process)
    assert Contribution.objects.filter(process=process).count() == 63

    assert (_queries(client, process), _queries(client, process, q="spectrum")) == few


def test_the_api_list_is_paged_with_a_link_to_the_next_page_and_searchable(
    client, process, open_phase, participant, version
):
    made = [
        submit_to_version(participant, version, f"Spectrum point {n}.", kind="general")
        for n in range(3)
    ]
    submit_to_version(participant, version, "Something else.", kind="general")
    api = f"/api/v1/processes/{process.slug}/contributions"

    first = client.get(api, {"q": "spectrum", "page_size": 2})
    second = client.get(api, {"q": "spectrum", "page_size": 2, "page": 2})

    assert [i["tracking_number"] for i in first.json()] == [c.tracking_number for c in made[:2]]
    assert [i["tracking_number"] for i in second.json()] == [made[2].tracking_number]
    assert first["X-Total-Count"] == "3"
    assert first["Link"].startswith(f"<{api}?q=spectrum&page_size=2&cursor=")
    assert first["Link"].endswith('>; rel="next"')
    following = client.get(first["Link"][1 : first["Link"].index(">")])
    assert [i["tracking_number"] for i in following.json()] == [made[2].tracking_number]
    assert "Link" not in second
    assert "Link" not in following
    assert client.get(api, {"page": 0}).status_code == 422
    assert client.get(api, {"q": '"NEAR(*'}).status_code == 200
