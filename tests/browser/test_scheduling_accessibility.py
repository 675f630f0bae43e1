"""axe-core on the secretariat's edit and reschedule pages, and the schedule changes shown publicly."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from polyvox.processes.services.scheduling import reschedule_phase
from tests.browser.conftest import assert_accessible
from tests.factories import PhaseFactory, ProcessFactory, make_secretariat

PASSWORD = "a long and unusual passphrase 42"


def test_edit_and_reschedule_pages_have_no_axe_violations(
    page: Page, live_server, transactional_db
):
    process = ProcessFactory(slug="cn-principles")
    sofia = make_secretariat(process, username="sofia")
    sofia.set_password(PASSWORD)
    sofia.save()
    now = timezone.now()
    open_phase = PhaseFactory(process=process, title="Comments", min_days=30)
    later = PhaseFactory(
        process=process,
        title="Report",
        starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=40),
    )
    reschedule_phase(
        actor=sofia,
        phase=open_phase,
        starts_at=open_phase.starts_at,
        ends_at=open_phase.ends_at + timedelta(days=7),
        reason="Regional meetings asked for more time.",
        short_schedule_reason="Second round on a narrow text.",
    )
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("sofia")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in [
        "/p/cn-principles/",
        "/p/cn-principles/edit/",
        f"/p/cn-principles/phases/{open_phase.pk}/edit/",
        f"/p/cn-principles/phases/{later.pk}/edit/",
    ]:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        assert_accessible(page)

    # A refused removal shows its error accessibly too.
    page.goto(f"{base}/p/cn-principles/phases/{later.pk}/edit/")
    page.get_by_role("button", name="Remove this phase").click()
    expect(page.get_by_role("alert").first).to_contain_text("This field is required.")
    assert_accessible(page)
