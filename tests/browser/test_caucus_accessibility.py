"""axe-core on the caucus pages: the public list and page, a member's page, a thread, the working
draft with a stale save's errors, and the facilitator's requests and members."""

from playwright.sync_api import Page, expect

from polyvox.caucuses.services.content import save_working_draft, start_thread
from polyvox.caucuses.services.membership import request_membership
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import PhaseFactory, ProcessFactory, UserFactory, make_caucus


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def test_caucus_pages_have_no_axe_violations(page: Page, live_server, transactional_db):
    process = ProcessFactory(slug="cn-principles")
    PhaseFactory(process=process)
    fatou, omar, marta = (UserFactory(username=n) for n in ("fatou", "omar", "marta"))
    for user in (fatou, omar, marta):
        user.set_password(PASSWORD)
        user.save()
    caucus = make_caucus(process, fatou, purpose="Civil society's common line.")
    thread = start_thread(actor=fatou, caucus=caucus, title="Spectrum", body="Our line.")
    save_working_draft(actor=fatou, caucus=caucus, title="Position", body="We ask…")
    request_membership(actor=marta, caucus=caucus, message="I run a community network.")
    base = live_server.url
    home = f"{base}/p/cn-principles/caucuses/"

    page.goto(home)
    assert_accessible(page)
    page.goto(f"{home}{caucus.slug}/")
    assert_accessible(page)

    _log_in(page, base, "omar")
    page.goto(f"{home}{caucus.slug}/")
    assert_accessible(page)
    page.goto(f"{home}new/")
    page.get_by_label("Name (public)").fill("Civil society caucus")
    page.get_by_role("button", name="Start the caucus").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)

    _log_in(page, base, "fatou")
    page.goto(f"{home}{caucus.slug}/")
    expect(page.get_by_text("I run a community network.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{home}{caucus.slug}/threads/{thread.pk}/")
    assert_accessible(page)
    page.goto(f"{home}{caucus.slug}/draft/")
    assert_accessible(page)
    page.goto(f"{home}{caucus.slug}/draft/edit/")
    save_working_draft(actor=fatou, caucus=caucus, title="Position", body="Someone else's.")
    page.get_by_role("button", name="Save a new revision").click()
    expect(page.get_by_text("Someone saved a newer revision (2)")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{home}{caucus.slug}/members/")
    assert_accessible(page)
