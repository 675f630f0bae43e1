"""Opinion maps in a real browser: a participant votes, the map refreshes, and they see their group,
the bridging statements and who agrees with them. axe-core must report no violations."""

import re

import pytest
from playwright.sync_api import Page, expect

from polyvox.demo.deliberation import STATEMENTS, build_deliberation_process
from polyvox.statements.models import OpinionMapSnapshot
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def deliberation(transactional_db: None):
    sofia = UserFactory(username="sofia", is_staff=True)
    process = build_deliberation_process(secretariat=sofia, seed=1, delegates=40)
    voter = UserFactory(
        username="nadia", profile={"stakeholder_group": "academia", "country": "EG"}
    )
    voter.set_password(PASSWORD)
    voter.save()
    return process


def test_a_participant_votes_and_sees_their_group_bridges_and_allies(
    page: Page, live_server, deliberation
):
    base = live_server.url
    slug = deliberation.slug
    before = OpinionMapSnapshot.objects.filter(process=deliberation).count()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("nadia")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the boosted POST has landed

    page.goto(f"{base}/p/{slug}/vote/")
    assert_accessible(page)
    for number in range(len(STATEMENTS)):
        expect(
            page.get_by_text(f"You have voted on {number} of {len(STATEMENTS)} statements")
        ).to_be_visible()
        page.get_by_role("button", name="Agree" if number % 3 else "Disagree", exact=True).click()
    expect(page.get_by_text("You have voted on every statement.")).to_be_visible()

    page.goto(f"{base}/p/{slug}/opinion-map/")
    assert_accessible(page)
    expect(page.get_by_text("41 participants voted enough to be placed")).to_be_visible()
    expect(page.get_by_text(re.compile(r"You are in Group [A-E]\."))).to_be_visible()
    expect(page.get_by_role("heading", name="Bridging statements")).to_be_visible()
    expect(page.get_by_text(STATEMENTS[0][0]).first).to_be_visible()
    expect(page.get_by_role("heading", name="Who agrees with you")).to_be_visible()
    # Only groups above the average are named, in words, or the page says none is.
    expect(page.locator("#who-agrees")).to_contain_text(
        re.compile(r"matched yours, against \d+% for all participants|No stakeholder group")
    )
    expect(page.locator("svg .you-are-here")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert OpinionMapSnapshot.objects.filter(process=deliberation).count() > before
