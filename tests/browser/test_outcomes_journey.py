"""Outcomes and commitments in a real browser (issue 10's journeys).

A participant objects to the chair's proposed designation; once the objection period is over the
chair makes the designation final, and the objection stands beside it as a minority view, on the
recommendation's page and in the outcome document. A participant commits to carry a
recommendation out; the due date passes without "done" and the commitment shows as overdue until
its owner reports it done. Every new page is checked with axe-core.

The live server runs on the real clock, so "time passes" is written into the rows the clock is
compared with (the objection deadline, the due date), as the service tests do with `now=`.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from polyvox.commitments.models import Commitment
from polyvox.outcomes.models import Designation, Level, MinorityView
from polyvox.outcomes.services.designations import propose_designation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import (
    ProcessFactory,
    UserFactory,
    make_chair,
    make_recommendation,
    open_decision_phase,
)

OBJECTION = (
    "Secondary use needs coordination with satellite downlinks, case by case: there is no "
    "consensus on a notification regime — «pas de consensus»."
)


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def _switch_to(page: Page, base: str, username: str | None) -> None:
    page.context.clear_cookies()
    if username:
        log_in(page, base, username)


@pytest.fixture
def decision(transactional_db: None) -> dict[str, object]:
    """An open decision phase, a chair, a participant and a recommendation the chair proposed
    "consensus" on (arranged through the services, not driven)."""
    process: Process = ProcessFactory(slug="cn-follow-up", title="Community network follow-up")
    open_decision_phase(process)
    chair = _with_password(make_chair(process, username="chidi"))
    _with_password(UserFactory(username="hiro"))
    recommendation = make_recommendation(process, "Reserve unused spectrum for community networks")
    proposal = propose_designation(
        actor=chair,
        recommendation=recommendation,
        level=Level.CONSENSUS,
        rationale="A large majority of every stakeholder group supports it.",
    )
    return {"process": process, "recommendation": recommendation, "proposal": proposal}


def test_an_objection_becomes_a_minority_view_of_the_final_designation(
    page: Page, live_server, decision
):
    base = live_server.url
    process = decision["process"]
    proposal = decision["proposal"]
    assert isinstance(process, Process)
    assert isinstance(proposal, Designation)
    recommendation_url = f"{base}{proposal.recommendation.get_absolute_url()}"

    # Hiro reads the proposal and objects, with his reasons.
    _switch_to(page, base, "hiro")
    page.goto(recommendation_url)
    expect(page.get_by_role("heading", name="Consensus designation")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your objection and its reasons").fill(OBJECTION)
    page.get_by_role("button", name="Publish my objection").click()
    expect(page.get_by_role("heading", name="Your objection")).to_be_visible()
    expect(page.get_by_text(OBJECTION)).to_be_visible()
    assert_accessible(page)

    # The objection period ends.
    Designation.objects.filter(pk=proposal.pk).update(
        objections_close_at=timezone.now() - timedelta(minutes=1)
    )

    # The chair confirms "consensus"; the objection stands.
    _switch_to(page, base, "chidi")
    page.goto(recommendation_url)
    page.get_by_role("link", name="Confirm or revise the designation").click()
    expect(page.get_by_text(OBJECTION)).to_be_visible()  # what will become a minority view
    assert_accessible(page)
    page.get_by_label("Consensus", exact=True).check()
    page.get_by_label("Rationale").fill("Confirmed: one objection, attached as a minority view.")
    page.get_by_role("button", name="Make the designation final").click()
    expect(page.get_by_role("heading", name="Minority views")).to_be_visible()

    # Anyone reads the final designation with the minority view verbatim, here and in the
    # outcome document.
    _switch_to(page, base, None)
    page.goto(recommendation_url)
    minority = page.locator("section#designation")
    expect(minority.get_by_role("heading", name="Minority views")).to_be_visible()
    expect(minority.get_by_text(OBJECTION)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/p/{process.slug}/outcome/")
    expect(page.get_by_text(OBJECTION)).to_be_visible()
    assert_accessible(page)
    assert list(MinorityView.objects.values_list("text", flat=True)) == [OBJECTION]


def test_a_commitment_past_its_due_date_shows_as_overdue_until_it_is_done(
    page: Page, live_server, decision
):
    base = live_server.url
    process = decision["process"]
    assert isinstance(process, Process)
    list_url = f"{base}/p/{process.slug}/commitments/"
    tomorrow = (timezone.now() + timedelta(days=1)).date()

    # Hiro commits to carry the recommendation out, by tomorrow.
    _switch_to(page, base, "hiro")
    page.goto(list_url)
    assert_accessible(page)
    page.get_by_role("link", name="Make a commitment").click()
    page.get_by_label("What you commit to").fill("Map the unused spectrum in three provinces")
    page.get_by_label("Due by").fill(tomorrow.isoformat())
    page.get_by_label("Reserve unused spectrum for community networks").check()
    assert_accessible(page)
    page.get_by_role("button", name="Commit").click()
    expect(
        page.get_by_role("heading", name="Map the unused spectrum in three provinces")
    ).to_be_visible()
    expect(page.get_by_text("Planned").first).to_be_visible()
    commitment_url = page.url

    # Two days pass: the due date is behind us, and nothing was reported.
    Commitment.objects.filter(process=process).update(
        due_on=(timezone.now() - timedelta(days=1)).date()
    )

    # Anyone sees it overdue, on its page and in the list filtered to overdue commitments.
    _switch_to(page, base, None)
    page.goto(commitment_url)
    expect(page.get_by_text("Overdue").first).to_be_visible()
    assert_accessible(page)
    page.goto(list_url)
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    expect(
        page.get_by_role("link", name="Map the unused spectrum in three provinces")
    ).to_be_visible()
    assert_accessible(page)

    # Hiro reports it done, with evidence: it is no longer overdue.
    _switch_to(page, base, "hiro")
    page.goto(commitment_url)
    page.get_by_role("link", name="Post an update").click()
    assert_accessible(page)
    page.get_by_label("Done").check()
    page.get_by_label("What happened").fill("The map is published for all three provinces.")
    page.get_by_label("Evidence links").fill("https://example.org/spectrum-map")
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_role("link", name="https://example.org/spectrum-map")).to_be_visible()
    _switch_to(page, base, None)
    page.goto(list_url)
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No commitment matches these filters.")).to_be_visible()
