"""A secretariat runs a process over its whole life in a real browser (issue 8's journey).

From the ICANN template (a too-short comment period refused, then accepted with a published
reason), a deadline extension, the workbench (search, assign, one answer for a selection), a new
version previewed and published, an answer linked to a suggested section, and the closing.
Every new page is checked with axe-core.
"""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.demo.drafts import V1, V2
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import UserFactory

SHORT_REASON = "The board meets in three weeks; the regional consultations ran before."
EXTENSION_REASON = "Extended at the request of two advisory committees."
CLOSING_REASON = "The remaining input arrived after the report was drafted; it goes to phase two."
COMMENTS = (
    ("amina", "definitions-p1", "Please add cooperatives to the definition of community networks."),
    ("kenji", "definitions-p1", "Cooperatives should be covered by the definition as well."),
    ("oleg", "principle-1-access-to-spectrum-p1", "Secondary use of unused spectrum matters most."),
)


@pytest.fixture
def staff(transactional_db: None) -> User:
    sofia = UserFactory(username="sofia", is_staff=True)
    sofia.set_password(PASSWORD)
    sofia.save()
    return sofia


def _local(value: str, days: int) -> str:
    """A datetime-local field's value moved by `days`."""
    return (datetime.fromisoformat(value) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _comments_arrive(process: Process, sofia: User) -> list[Contribution]:
    """What participants would send while the comment period is open (arranged, not driven)."""
    draft = create_draft(actor=sofia, process=process, slug="principles", title="Principles")
    v1 = publish_draft_version(actor=sofia, draft=draft, markdown=V1)
    return [
        submit_contribution(
            author=UserFactory(username=username),
            process=process,
            kind="comment",
            section=v1.sections.get(anchor=anchor),
            draft_version=v1,
            body=body,
        )
        for username, anchor, body in COMMENTS
    ]


def test_a_secretariat_runs_a_process_from_template_to_closing(page: Page, live_server, staff):
    base = live_server.url
    log_in(page, base, "sofia")

    # From the ICANN template: a 20-day comment period is refused, then accepted with a reason.
    page.goto(f"{base}/p/new/from-template/")
    assert_accessible(page)
    page.goto(f"{base}/p/new/from-template/?template=icann-public-comment")
    assert_accessible(page)
    page.locator("#id_slug").fill("idn-comment")
    page.locator("#id_title").fill("Public comment on IDN variants")
    page.locator("#id_opens").fill(timezone.now().date().isoformat())
    page.locator("#id_phase_1_days").fill("20")
    page.get_by_role("button", name="Create the process").click()
    expect(page.get_by_text(re.compile("minimum of 40 days"))).to_be_visible()
    assert not Process.objects.filter(slug="idn-comment").exists()
    page.locator("#id_phase_1_reason").fill(SHORT_REASON)
    page.get_by_role("button", name="Create the process").click()
    page.wait_for_url(f"{base}/p/idn-comment/")
    expect(page.get_by_text(SHORT_REASON)).to_be_visible()
    assert_accessible(page)
    process = Process.objects.get(slug="idn-comment")
    contributions = _comments_arrive(process, staff)

    # The deadline is extended by a week: the staff report moves first, then the comment period.
    comment_period, report = process.phases.order_by("starts_at")
    for phase in (report, comment_period):
        page.goto(f"{base}/p/idn-comment/phases/{phase.pk}/edit/")
        assert_accessible(page)
        if phase == report:
            starts = page.locator("#id_starts_at")
            starts.fill(_local(starts.input_value(), 7))
        ends = page.locator("#id_ends_at")
        ends.fill(_local(ends.input_value(), 7))
        page.locator("#id_reason").fill(EXTENSION_REASON)
        page.get_by_role("button", name="Save the new dates").click()
        page.wait_for_url(f"{base}/p/idn-comment/")
    expect(page.get_by_text(EXTENSION_REASON).first).to_be_visible()
    comment_period.refresh_from_db()
    assert comment_period.ends_at - comment_period.starts_at == timedelta(days=27)

    # The workbench: search, assign two inputs to herself, then answer both at once.
    page.goto(f"{base}/p/idn-comment/workbench/")
    assert_accessible(page)
    duplicate_ids = "ids => ids.length - new Set(ids).size"
    ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(node => node.id)")
    assert page.evaluate(duplicate_ids, ids) == 0  # each label points at one field
    page.get_by_label("Search the text").fill("cooperatives")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="2 contributions")).to_be_visible()
    assert_accessible(page)
    cooperatives = contributions[:2]
    for contribution in cooperatives:
        page.get_by_label(f"Select {contribution.tracking_number}").check()
    page.locator("input[name=action][value=assign]").check()
    page.locator("select[name=assignee]").last.select_option(label="sofia")
    page.get_by_role("button", name="Apply to the selected inputs").click()
    expect(page.get_by_text("2 inputs assigned.")).to_be_visible()
    page.goto(f"{base}/p/idn-comment/workbench/?assignee=mine")
    expect(page.get_by_role("heading", name="2 contributions")).to_be_visible()
    for contribution in cooperatives:
        page.get_by_label(f"Select {contribution.tracking_number}").check()
    page.locator("input[name=action][value=answer]").check()
    page.locator("select[name=outcome]").last.select_option("noted")
    page.locator("textarea[name=reason]").fill("The definition is being reworked for version 2.")
    page.get_by_role("button", name="Apply to the selected inputs").click()
    expect(page.get_by_text(re.compile(r"2 inputs answered"))).to_be_visible()
    assert all(
        Contribution.objects.get(pk=c.pk).disposition.outcome == "noted" for c in cooperatives
    )

    # Version 2 is previewed with its diff, then published with hashes on the record.
    page.goto(f"{base}/p/idn-comment/drafts/principles/publish/")
    page.get_by_label(re.compile("Text of the new version")).fill(V2)
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r"/preview/$"))
    expect(page.locator("ins").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/p/idn-comment/drafts/principles/v2/")
    page.wait_for_url(re.compile(r"/preview/$"))  # not public yet: the publisher sees the preview
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(re.compile(r"/v2/$"))
    entry = RecordEntry.objects.get(process=process, kind="version.published", payload__version=2)
    assert len(entry.payload["sha256"]) == 64

    # Answering the spectrum input offers the sections version 2 changed; she links one.
    spectrum = contributions[2]
    page.goto(f"{base}/p/idn-comment/contributions/{spectrum.tracking_number}/answer/")
    assert_accessible(page)
    page.get_by_label("Incorporated", exact=True).check()
    page.get_by_label(re.compile(r"v2 §principle-1-access-to-spectrum-p1")).check()
    page.get_by_role("button", name="Publish the answer").click()
    page.wait_for_url(lambda url: "/answer/" not in url)
    spectrum.refresh_from_db()
    assert [s.anchor for s in spectrum.disposition.changed_sections.all()] == [
        "principle-1-access-to-spectrum-p1"
    ]

    # Closing: refused while an input is unanswered, accepted with a published reason.
    late = submit_contribution(
        author=UserFactory(username="priya"),
        process=process,
        kind="general",
        body="A general remark that came in last.",
    )
    page.goto(f"{base}/p/idn-comment/close/")
    assert_accessible(page)
    expect(page.get_by_role("link", name=late.tracking_number)).to_be_visible()
    page.get_by_role("button", name="Close the process").click()
    expect(page.get_by_text(re.compile(r"1 input is still unanswered\."))).to_be_visible()
    page.get_by_label("Why the process closes with inputs unanswered").fill(CLOSING_REASON)
    page.get_by_role("button", name="Close the process").click()
    page.wait_for_url(f"{base}/p/idn-comment/")
    expect(page.get_by_text(CLOSING_REASON)).to_be_visible()
    assert_accessible(page)
    closed = RecordEntry.objects.get(process=process, kind="process.closed")
    assert closed.payload["inputs"] == {"answered": 3, "unanswered": 1}
    assert [text["version"] for text in closed.payload["final_texts"]] == [2]
