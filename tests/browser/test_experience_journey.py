"""A participant's experience in Arabic, in a real browser: the home page shows each process's
current phase and deadline, right to left with English content kept readable (dir=auto); the
vote card has distinct Agree / Disagree / Pass, shows progress and reveals a statement's counts
only after one's vote; the back arrow points right. axe-core must report no violations."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from polyvox.processes.phase_types import PhaseKind
from tests.browser.conftest import assert_accessible
from tests.factories import (
    PhaseFactory,
    ProcessFactory,
    UserFactory,
    make_statement,
    make_voters,
    vote_all,
)

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def arabic(browser: Browser):
    context = browser.new_context(locale="ar", timezone_id="Africa/Cairo")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def consultation(transactional_db: None):
    process = ProcessFactory(
        slug="cn", title="Principles for community networks", mandate="Gather **inputs**."
    )
    PhaseFactory(
        process=process,
        kind=PhaseKind.DELIBERATION,
        title="Deliberation",
        ends_at=timezone.now() + timedelta(days=6, hours=3),
    )
    claims = [make_statement(process, f"Claim number {i}.") for i in range(3)]
    vote_all(make_voters(4, "crowd"), claims, [1, -1, 1])
    voter = UserFactory(username="nadia", profile={"stakeholder_group": "academia"})
    voter.set_password(PASSWORD)
    voter.save()
    return process


def test_the_home_page_and_the_vote_card_in_arabic(arabic: Page, live_server, consultation):
    base = live_server.url
    page = arabic
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    card = page.locator("article.process-card").first
    title = card.get_by_role("link", name="Principles for community networks")
    expect(title).to_have_attribute("dir", "auto")
    expect(card.locator(".deadline")).to_be_visible()
    expect(card.locator(".process-phase time")).to_be_visible()
    expect(card.locator(".mandate strong")).to_have_text("inputs")  # Markdown rendered
    assert_accessible(page)

    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("nadia")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{base}/p/cn/vote/")
    vote_card = page.locator("#vote-card")
    expect(vote_card.locator("#vote-tally")).to_have_count(0)  # no counts before voting
    agree = vote_card.locator("button.vote-agree")
    disagree = vote_card.locator("button.vote-disagree")
    colours = [
        b.evaluate("e => getComputedStyle(e).backgroundColor")
        for b in (agree, disagree, vote_card.locator("button.vote-pass"))
    ]
    assert len(set(colours)) == 3, colours
    expect(vote_card.locator("progress")).to_have_attribute("value", "0")
    expect(vote_card.locator("progress")).to_have_attribute("max", "3")
    # In right-to-left the back arrow is turned to point right, the way back in Arabic.
    arrow = page.locator(".icon-back").first
    assert arrow.evaluate("e => getComputedStyle(e).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    assert_accessible(page)

    agree.click()
    tally = page.locator("#vote-tally")
    expect(tally).to_be_visible()
    expect(tally.locator("span[dir=auto]")).to_have_text("Claim number 0.")
    expect(page.locator("#vote-card progress")).to_have_attribute("value", "1")
    assert_accessible(page)
