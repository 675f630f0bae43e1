"""Accounts in a real browser: sign up (no preselected group, consent), confirm the address by the
link a real SMTP server receives, then take part; reset a forgotten password by mail.

Every new page of the journey is checked with axe-core and must report no violations.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from polyvox.participants.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import PhaseFactory, UserFactory
from tests.smtp import Inbox, inbox, link_in  # noqa: F401

PASSWORD = "a long and unusual passphrase 42"
NEW_PASSWORD = "another long and unusual passphrase 7"


@pytest.fixture
def journey(
    transactional_db: None,
    inbox: Inbox,  # noqa: F811 (the fixture imported from tests.smtp)
    live_server,
    settings,
    page: Page,
) -> dict[str, object]:
    """An open process; mail goes to the local SMTP server, links point at the live server."""
    settings.SITE_URL = live_server.url
    page.set_default_timeout(60_000)  # the mail goes through a real SMTP server: give it time
    phase = PhaseFactory()
    return {"process": phase.process, "base": live_server.url, "inbox": inbox}


def test_signing_up_confirming_the_address_by_mail_then_taking_part(page: Page, journey):
    base, mailbox, process = journey["base"], journey["inbox"], journey["process"]

    page.goto(f"{base}/accounts/register/")
    assert_accessible(page)
    expect(page.get_by_label("Stakeholder group")).to_have_value("")  # nothing preselected
    page.get_by_label("Username").fill("amina")
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Display name").fill("Amina Diallo")
    # Without a group and the consents, the form comes back with the reasons.
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Choose your stakeholder group.")).to_be_visible()
    expect(page.get_by_text("To register, accept the terms of use.")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Stakeholder group").select_option("civil_society")
    page.get_by_label("I accept the terms of use").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text(re.compile("We sent a link to amina@example.org"))).to_be_visible()

    # Before confirming, the process says why she cannot take part.
    page.goto(f"{base}/p/{process.slug}/contribute/general/")
    expect(page.get_by_text("Confirm your e-mail address to take part.")).to_be_visible()
    page.goto(f"{base}/accounts/profile/")
    expect(page.get_by_role("button", name="Send me a new link")).to_be_visible()
    assert_accessible(page)

    # The mail arrives over SMTP; its link confirms the address.
    [message] = mailbox.wait_for(1)
    assert message["To"] == "amina@example.org"
    page.goto(base + link_in(message, r"/accounts/verify/[^/\s]+/", site_url=base))
    expect(
        page.get_by_text(re.compile("your e-mail address amina@example.org is confirmed"))
    ).to_be_visible()
    assert User.objects.get(username="amina").email_verified_at is not None

    # Now the general comment form is offered.
    page.goto(f"{base}/p/{process.slug}/contribute/general/")
    expect(page.get_by_text("Confirm your e-mail address to take part.")).to_have_count(0)
    expect(page.locator("form textarea").first).to_be_visible()


def test_a_forgotten_password_is_reset_by_mail(page: Page, journey):
    base, mailbox = journey["base"], journey["inbox"]
    UserFactory(username="kofi")

    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("kofi@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your mailbox")).to_be_visible()
    assert_accessible(page)

    [message] = mailbox.wait_for(1)
    page.goto(base + link_in(message, r"/accounts/password/reset/[\w-]+/[\w-]+/", site_url=base))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("Username").fill("kofi")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_account_documents_and_the_lock_out_page_are_accessible(page: Page, journey):
    base = journey["base"]
    UserFactory(username="kofi")
    for path in ("/accounts/terms/", "/accounts/privacy/"):
        page.goto(base + path)
        assert_accessible(page)

    for _ in range(6):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("kofi")
        page.locator("#id_password").fill("wrong")
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed log-ins")).to_be_visible()
    assert_accessible(page)
