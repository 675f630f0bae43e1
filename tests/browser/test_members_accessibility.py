"""axe-core on the members page, the invitation page and the public roles page."""

from playwright.sync_api import Page, expect

from polyvox.processes.models import Role
from polyvox.processes.services.membership import add_member, invite_by_email
from tests.browser.conftest import assert_accessible
from tests.factories import ProcessFactory, UserFactory, make_secretariat

PASSWORD = "a long and unusual passphrase 42"


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_members_invitation_and_roles_pages_have_no_axe_violations(
    page: Page, live_server, transactional_db
):
    process = ProcessFactory(slug="cn-principles")
    sofia = make_secretariat(process, username="sofia")
    lena = UserFactory(username="lena")
    for user in (sofia, lena):
        user.set_password(PASSWORD)
        user.save()
    add_member(actor=sofia, process=process, user=UserFactory(username="omar"), role=Role.CHAIR)
    invitation = invite_by_email(
        actor=sofia, process=process, email="lena@example.org", role=Role.RAPPORTEUR
    )
    base = live_server.url

    page.goto(f"{base}/roles/")
    assert_accessible(page)

    _log_in(page, base, "sofia")
    page.goto(f"{base}/p/cn-principles/members/")
    assert_accessible(page)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    _log_in(page, base, "lena")
    page.goto(f"{base}/invitations/{invitation.token}/")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the invitation").click()
    page.wait_for_url(f"{base}/p/cn-principles/")
    expect(page.get_by_text("@lena")).to_be_visible()
    assert_accessible(page)
