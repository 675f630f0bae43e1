"""A participant with an input makes an API token, downloads their data and closes their account;
the input stays, under "Former participant". Every page is checked with axe-core."""

import json

import pytest
from playwright.sync_api import Page, expect

from polyvox.contributions.services.submitting import submit_contribution
from polyvox.participants.models import Profile, User
from tests.browser.conftest import assert_accessible
from tests.factories import PhaseFactory, UserFactory

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def amina(transactional_db: None) -> dict[str, object]:
    process = PhaseFactory().process
    user = UserFactory(username="amina")
    user.set_password(PASSWORD)
    user.save()
    Profile.objects.filter(user=user).update(display_name="Amina Diallo")
    user.refresh_from_db()
    contribution = submit_contribution(
        author=user, process=process, kind="general", body="Keep the spectrum open to all."
    )
    return {"user": user, "contribution": contribution}


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("amina")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_participant_closes_their_account_and_their_input_stays_anonymised(
    page: Page, live_server, amina
):
    base = live_server.url
    contribution = amina["contribution"]
    input_url = f"{base}{contribution.get_absolute_url()}"
    page.goto(input_url)
    expect(page.get_by_text("Amina Diallo").first).to_be_visible()

    log_in(page, base)

    # A token: shown once, then only its first characters.
    page.goto(f"{base}/account/tokens/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Our mirror")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    key = page.get_by_label("Token “Our mirror”").input_value()
    assert key.startswith("pvx_")
    assert_accessible(page)
    page.get_by_role("link", name="Back to your tokens").click()
    expect(page.get_by_role("cell", name="Our mirror", exact=True)).to_be_visible()
    assert key not in page.content()

    # The download of all their data.
    page.goto(f"{base}/account/close/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all my data (JSON)").click()
    document = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert document["sections"]["contributions"][0]["body"] == "Keep the spectrum open to all."

    # Closing: a wrong password is refused, then the right one closes the account.
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("I understand that closing my account cannot be undone.").check()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that closing my account cannot be undone.").check()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_role("heading", name="Your account is closed")).to_be_visible()
    assert_accessible(page)

    # The input stays, under "Former participant"; the name is gone.
    page.goto(input_url)
    expect(page.get_by_text("Keep the spectrum open to all.")).to_be_visible()
    expect(page.get_by_text("Former participant").first).to_be_visible()
    assert "Amina Diallo" not in page.content()
    assert_accessible(page)
    closed = User.objects.get(pk=amina["user"].pk)
    assert closed.closed_at is not None

    # They can no longer log in.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("amina")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
