"""The process page is assembled from the sections the apps above processes register."""

import pytest

from polyvox.core.sections import PageSection, SectionRegistry
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.record.sections import process_record_section

pytestmark = pytest.mark.django_db

HEADINGS = [
    '<h2 id="drafts">Drafts</h2>',
    "<h2>Contributions</h2>",
    "<h2>Statements and opinion map</h2>",
    "<h2>Submissions and campaigns</h2>",
    "<h2>Caucuses</h2>",
    "<h2>Joint statements</h2>",
    "<h2>Public record</h2>",
]


def test_each_app_above_processes_registers_its_section_in_ready():
    assert PROCESS_PAGE.keys() == [
        "closing",
        "drafts",
        "contributions",
        "statements",
        "campaigns",
        "caucuses",
        "joint_statements",
        "outcomes",
        "commitments",
        "indicators",
        "notifications",
        "moderation",
        "record",
    ]


def test_the_process_page_shows_every_registered_section_in_order(client, open_phase):
    html = client.get(open_phase.process.get_absolute_url()).content.decode()

    positions = [html.find(heading) for heading in HEADINGS]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_a_section_is_on_the_process_page_only_because_its_app_registered_it(
    client, open_phase, monkeypatch
):
    only_the_record = SectionRegistry("process")
    only_the_record.register(
        PageSection("record", 90, "record/_process_record.html", process_record_section)
    )
    monkeypatch.setattr("polyvox.processes.views.pages.PROCESS_PAGE", only_the_record)

    html = client.get(open_phase.process.get_absolute_url()).content.decode()

    assert [heading in html for heading in HEADINGS] == [False] * (len(HEADINGS) - 1) + [True]
    assert "<h2>Timeline</h2>" in html
