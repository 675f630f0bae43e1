"""The feedback report at scale: figures by aggregate queries, one page of inputs, streamed
downloads, and as many queries for 60 inputs as for 10."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.models import Campaign, CampaignMembership
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Contribution, Disposition, Outcome
from polyvox.contributions.selectors.feedback_report import Share, feedback_report
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.drafts.models import Draft, DraftVersion
from polyvox.participants.models import User
from tests.factories import UserFactory, make_version, submit_comment, submit_to_version

LETTER = "Keep the internet open: no blocking, no throttling, no paid priority."


@pytest.fixture
def government(db: None) -> User:
    return UserFactory(
        username="claire", profile={"stakeholder_group": "government", "country": "FR"}
    )


def bulk_inputs(version: DraftVersion, author: User, secretariat: User, n: int) -> None:
    """`n` general comments on `version` written straight to the database, every other one
    answered, the last four in a campaign whose template is the first of them (answered)."""
    process = version.draft.process
    rows = Contribution.objects.bulk_create(
        Contribution(
            process=process, kind="general", draft_version=version, author=author,
            author_name=f"Writer {k}", stakeholder_group="civil_society" if k % 3 else "academia",
            country=("KE", "JP", "FR", "")[k % 4], tracking_number=f"BULK-{n}-{k:04}",
            body=f"Input number {k}.",
        )
        for k in range(n)
    )  # fmt: skip
    Disposition.objects.bulk_create(
        Disposition(contribution=c, outcome="noted", reason="Seen.", decided_by=secretariat)
        for k, c in enumerate(rows)
        if k % 2 == 0
    )
    members = rows[-4:]
    campaign = Campaign.objects.create(process=process, template=members[0], size=len(members))
    CampaignMembership.objects.bulk_create(
        CampaignMembership(campaign=campaign, contribution=c) for c in members
    )


def test_figures_count_a_campaign_once_by_its_template_and_every_submission_by_its_own_answer(
    open_phase, participant, other_participant, government, secretariat, version
):
    letters = [
        submit_to_version(u, version, LETTER) for u in (participant, other_participant, government)
    ]
    comment = submit_comment(participant, version.sections.get(anchor="scope"))
    campaign = detect_campaigns(actor=secretariat, process=open_phase.process)[0]
    member = next(c for c in letters if c.pk != campaign.template_id)
    # A member answered on its own does not make the campaign answered; the template does.
    record_disposition(actor=secretariat, contribution=member, outcome=Outcome.NOTED, reason="A.")
    record_disposition(actor=secretariat, contribution=comment, outcome=Outcome.NOTED, reason="B.")

    report = feedback_report(version=version)

    assert report.overall == Share("all", "All inputs", 1, 2)
    assert report.submissions == Share(
        "submissions", "All submissions (every campaign member counted)", 2, 4
    )
    answered_group = member.stakeholder_group
    assert {s.key: (s.answered, s.total) for s in report.by_stakeholder_group} == {
        "civil_society": (1 + (answered_group == "civil_society"), 2),
        "government": (int(answered_group == "government"), 1),
        "private_sector": (int(answered_group == "private_sector"), 1),
    }
    assert [s.key for s in report.by_region] == ["Africa", "Asia", "Europe"]
    assert sum(s.answered for s in report.by_region) == 2
    assert len(report.inputs) == 2
    assert [i.tracking_number for i in report.inputs] == [
        campaign.template.tracking_number,
        comment.tracking_number,
    ]


def test_a_campaign_whose_template_is_hidden_stands_as_its_first_visible_member(
    open_phase, participant, other_participant, government, secretariat, version
):
    letters = [
        submit_to_version(u, version, LETTER) for u in (participant, other_participant, government)
    ]
    campaign = detect_campaigns(actor=secretariat, process=open_phase.process)[0]
    hide_contribution(
        actor=secretariat, contribution=campaign.template, reason_code="spam", reason="Spam."
    )
    first = next(c for c in letters if c.pk != campaign.template_id)
    record_disposition(actor=secretariat, contribution=first, outcome=Outcome.NOTED, reason="A.")

    report = feedback_report(version=version)

    assert [(i.tracking_number, i.outcome, i.supporters) for i in report.inputs] == [
        (first.tracking_number, "noted", 3)
    ]
    assert (report.overall.answered, report.overall.total) == (1, 1)
    assert (report.submissions.answered, report.submissions.total) == (1, 2)


def test_regions_come_from_the_countries_and_inputs_without_a_country_are_not_stated(
    open_phase, participant, secretariat, version
):
    bulk_inputs(version, participant, secretariat, 10)

    report = feedback_report(version=version)

    # Countries KE, JP, FR, "" in turn over inputs 0..9; even inputs answered.
    assert report.by_region == (
        Share("Africa", "Africa", 3, 3),
        Share("Asia", "Asia", 0, 3),
        Share("Europe", "Europe", 2, 2),
        Share("", "Not stated", 0, 2),
    )
    assert report.by_stakeholder_group == (
        Share("academia", "Academia", 2, 4),
        Share("civil_society", "Civil society", 3, 6),
    )
    # Six inputs alone and one campaign of four (its template, input 6, answered).
    assert (report.overall.answered, report.overall.total) == (4, 7)


def test_the_page_shows_one_page_of_entries_and_the_figures_of_all(
    client, open_phase, participant, secretariat, version, monkeypatch
):
    from polyvox.contributions.views import feedback as views

    monkeypatch.setattr(views, "REPORT_PAGE_SIZE", 3)
    bulk_inputs(version, participant, secretariat, 10)
    base = f"/p/{open_phase.process.slug}/drafts/principles/v1/feedback/"

    first = client.get(base).content.decode()
    third = client.get(f"{base}?page=3").content.decode()

    assert "4 of 7 inputs answered (57%), each campaign counted once." in first
    assert "5 of 10 submissions answered (50%), every campaign member counted." in first
    assert [f"Input number {k}." in first for k in (0, 1, 2, 3)] == [True, True, True, False]
    assert "Page 1 of 3" in first
    assert ("Input number 6." in third, "4 supporters" in third) == (True, True)
    assert "Input number 7." not in third


def test_the_api_pages_the_entries_and_links_the_next_page(
    client, open_phase, participant, secretariat, version
):
    bulk_inputs(version, participant, secretariat, 10)
    api = f"/api/v1/processes/{open_phase.process.slug}/drafts/principles/versions/1/feedback"

    numbers, url, pages = [], f"{api}?page_size=3", 0
    while url:
        response = client.get(url)
        data = response.json()
        numbers += [i["tracking_number"] for i in data["inputs"]]
        assert (response["X-Total-Count"], data["figures"]["overall"]["total"]) == ("7", 7)
        link = response.get("Link", "")
        url = link[1 : link.index(">")] if link else ""
        pages += 1

    assert pages == 3
    assert numbers == [f"BULK-10-{k:04}" for k in range(7)]


def test_the_api_refuses_a_page_size_beyond_the_maximum(client, open_phase, version):
    api = f"/api/v1/processes/{open_phase.process.slug}/drafts/principles/versions/1/feedback"

    assert client.get(f"{api}?page_size=100000").status_code in (400, 422)


def test_the_next_version_lists_the_first_inputs_of_a_section_and_counts_them_all(
    client, open_phase, participant, secretariat, version, monkeypatch
):
    from polyvox.contributions.selectors import feedback_report as selector
    from polyvox.contributions.views import feedback as views

    v2 = make_version(open_phase.process, number=2, draft=version.draft)
    scope = v2.sections.get(anchor="scope")
    bulk_inputs(version, participant, secretariat, 10)
    for disposition in Disposition.objects.filter(contribution__draft_version=version):
        disposition.changed_sections.add(scope)
    monkeypatch.setattr(views, "SECTION_INPUTS_SHOWN", 2)
    monkeypatch.setattr(selector, "SECTION_INPUTS_SHOWN", 2)

    page = client.get(f"/p/{open_phase.process.slug}/drafts/principles/v1/feedback/")
    full = json.loads(
        b"".join(
            client.get(
                f"/p/{open_phase.process.slug}/drafts/principles/v1/feedback.json"
            ).streaming_content
        )
    )

    # Answered: inputs 0, 2, 4 alone and the campaign's template, input 6.
    assert full["next_version_sections"][0] == {
        "section": "scope",
        "heading": "Scope",
        "inputs": ["BULK-10-0000", "BULK-10-0002", "BULK-10-0004", "BULK-10-0006"],
    }
    assert "4 inputs in all: every one is in the JSON download" in page.content.decode()
    assert "BULK-10-0004</a>" not in page.content.decode().split("What changed each section")[1]


def _queries(client, paths: list[str]) -> list[int]:
    counts = []
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    return counts


def test_the_page_api_and_downloads_take_as_many_queries_for_60_inputs_as_for_10(
    client, open_phase, participant, secretariat, version, monkeypatch
):
    from polyvox.contributions.views import feedback as views

    monkeypatch.setattr(views, "REPORT_PAGE_SIZE", 5)
    draft = Draft.objects.create(process=open_phase.process, slug="other", title="Other")
    other = make_version(open_phase.process, draft=draft)
    slug = open_phase.process.slug
    paths = {}
    for n, target in ((10, version), (60, other)):
        bulk_inputs(target, participant, secretariat, n)
        base = f"/p/{slug}/drafts/{target.draft.slug}/v1/feedback"
        api = f"/api/v1/processes/{slug}/drafts/{target.draft.slug}/versions/1/feedback"
        last = (n - 3 + 4) // 5  # the last page, which holds the campaign: n - 3 entries
        paths[n] = [f"{base}/", f"{base}/?page={last}", f"{base}.csv", f"{base}.json", api]

    assert _queries(client, paths[10]) == _queries(client, paths[60])


def test_the_downloads_stream(client, open_phase, participant, secretariat, version):
    bulk_inputs(version, participant, secretariat, 10)
    base = f"/p/{open_phase.process.slug}/drafts/principles/v1/feedback"

    as_csv, as_json = client.get(f"{base}.csv"), client.get(f"{base}.json")

    assert (as_csv.streaming, as_json.streaming) == (True, True)
    assert b"".join(as_csv.streaming_content).count(b"\n") == 1 + 7
    assert len(json.loads(b"".join(as_json.streaming_content))["inputs"]) == 7
