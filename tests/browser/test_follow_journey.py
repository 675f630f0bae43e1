"""Circulation to all in a real browser: a visitor follows a process by e-mail, confirms by the link
a real SMTP server receives, receives the new draft version, and unsubscribes in one click; a
participant follows in one click and sets their e-mail preferences.

Every new page of the journey is checked with axe-core and must report no violations.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from polyvox.drafts.models import Draft
from polyvox.drafts.services import publish_draft_version
from polyvox.notifications.models import Follow
from tests.browser.conftest import assert_accessible
from tests.factories import PhaseFactory, UserFactory, make_secretariat
from tests.smtp import Inbox, body_of, inbox, link_in  # noqa: F401

V1 = "# Scope\n\nText one.\n\n# Access\n\nText two.\n"
V2 = "# Scope\n\nText one, revised.\n\n# Access\n\nText two.\n"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def journey(
    transactional_db: None,
    inbox: Inbox,  # noqa: F811 (the fixture imported from tests.smtp)
    live_server,
    settings,
    page: Page,
) -> dict[str, object]:
    """An open process with a published draft; mail goes to the local SMTP server, links point at
    the live server."""
    settings.SITE_URL = live_server.url
    page.set_default_timeout(60_000)  # the mail goes through a real SMTP server: give it time
    process = PhaseFactory().process
    secretariat = make_secretariat(process, username="sofia")
    draft = Draft.objects.create(process=process, slug="principles", title="Draft principles")
    publish_draft_version(actor=secretariat, draft=draft, markdown=V1)
    inbox.messages.clear()
    return {
        "process": process,
        "draft": draft,
        "secretariat": secretariat,
        "base": live_server.url,
        "inbox": inbox,
    }


def test_a_visitor_follows_by_e_mail_confirms_receives_the_new_version_and_unsubscribes(
    page: Page, journey
):
    base, mailbox, process = journey["base"], journey["inbox"], journey["process"]

    page.goto(f"{base}{process.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("reader@example.net")
    page.get_by_label("How often").select_option("immediate")
    page.get_by_role("button", name="Follow by e-mail").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert_accessible(page)

    [confirmation] = mailbox.wait_for(1)
    assert confirmation["To"] == "reader@example.net"
    page.goto(base + link_in(confirmation, r"/notifications/confirm/[^/\s]+/", base))
    assert_accessible(page)
    assert Follow.objects.get().confirmed_at is None  # opening the link alone confirms nothing
    page.get_by_role("button", name="Confirm and follow").click()
    expect(page.get_by_role("heading", name="You follow this process")).to_be_visible()
    assert_accessible(page)

    version = publish_draft_version(
        actor=journey["secretariat"], draft=journey["draft"], markdown=V2
    )

    news = mailbox.wait_for(2)[1]
    assert news["To"] == "reader@example.net"
    assert "version 2" in str(news["Subject"])
    assert f"{base}{version.get_absolute_url()}" in body_of(news)
    assert str(news["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"\s*<(.+)>\s*", str(news["List-Unsubscribe"]))
    assert unsubscribe is not None
    assert unsubscribe.group(1) in body_of(news)

    page.goto(unsubscribe.group(1))
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    assert_accessible(page)
    assert Follow.objects.count() == 0


def test_a_mail_client_unsubscribes_in_one_click_without_a_visit(page: Page, journey):
    base, mailbox, process = journey["base"], journey["inbox"], journey["process"]
    page.goto(f"{base}/notifications/follow/{process.slug}/email/")
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("reader@example.net")
    page.get_by_role("button", name="Follow by e-mail").click()
    [confirmation] = mailbox.wait_for(1)
    page.goto(base + link_in(confirmation, r"/notifications/confirm/[^/\s]+/", base))
    page.get_by_role("button", name="Confirm and follow").click()
    expect(page.get_by_role("heading", name="You follow this process")).to_be_visible()
    publish_draft_version(actor=journey["secretariat"], draft=journey["draft"], markdown=V2)
    news = mailbox.wait_for(2)[1]
    link = str(news["List-Unsubscribe"]).strip().strip("<>")

    # What a mail client does for RFC 8058: a POST with this body, no cookie, no CSRF token.
    response = page.request.post(
        link,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status == 200
    assert Follow.objects.count() == 0


def test_a_participant_follows_in_one_click_and_chooses_a_daily_digest(page: Page, journey):
    base, process = journey["base"], journey["process"]
    UserFactory(username="amina")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base}{process.get_absolute_url()}")
    page.get_by_role("button", name="Follow this process").click()
    expect(page.get_by_text("You follow this process.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Your e-mail preferences").click()
    assert_accessible(page)
    page.get_by_role("group", name="New versions of drafts").get_by_label(
        "One daily digest"
    ).check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your e-mail preferences are saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="New versions of drafts").get_by_label("One daily digest")
    ).to_be_checked()
    expect(page.get_by_role("link", name=process.title)).to_be_visible()
