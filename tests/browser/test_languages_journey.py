"""A translator publishes the French title of a process; a reader in French sees it, and a reader
in Arabic sees an English input marked lang="en" dir="auto" inside a right-to-left page (issue 13).
Every page on the way is checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from polyvox.contributions.services.submitting import submit_contribution
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process, ProcessTranslation, Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import PhaseFactory, ProcessFactory, UserFactory


@pytest.fixture
def trilingual_process(transactional_db: None) -> tuple[Process, User]:
    process = ProcessFactory(
        slug="data-governance",
        title="Data governance",
        mandate="Gather views on data governance.",
        languages=["en", "fr", "ar"],
    )
    PhaseFactory(process=process, title="Comments on the draft", kind="draft_comment")
    tariq = UserFactory(username="tariq")
    tariq.set_password(PASSWORD)
    tariq.save()
    Membership.objects.create(process=process, user=tariq, role=Role.TRANSLATOR)
    amina = UserFactory(username="amina")
    submit_contribution(
        author=amina,
        process=process,
        kind="general",
        body="Data should stay where it is collected.",
        language="en",
    )
    return process, tariq


def _switch_language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    # The switch is a boosted form: htmx swaps the body, not <html lang dir>; the next page load
    # (page.goto, below) renders the whole page in the chosen language, once the cookie is set.
    with page.expect_response(lambda response: "setlang" in response.url):
        page.locator("form.language-switch button[type=submit]").click()


def test_a_translator_publishes_the_french_title_and_readers_see_marked_text(
    page: Page, live_server, trilingual_process
):
    process, _tariq = trilingual_process
    base = live_server.url
    log_in(page, base, "tariq")

    # From the process page to the translations page: French and Arabic, neither translated.
    page.goto(f"{base}/p/{process.slug}/")
    page.get_by_role("link", name="Translations of the process texts").click()
    page.wait_for_url(re.compile(r"/translations/$"))
    expect(page.get_by_role("row", name=re.compile("French.*not translated"))).to_be_visible()
    assert_accessible(page)

    # He translates the title, the mandate and the phase into French, beside the originals.
    page.get_by_role("link", name="Translate into French").click()
    page.wait_for_url(re.compile(r"/translations/fr/$"))
    expect(page.locator("#id_title")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    page.locator("#id_title").fill("Gouvernance des données")
    page.locator("#id_mandate").fill("Recueillir des avis sur la gouvernance des données.")
    page.get_by_label("Title of the phase").fill("Vos remarques sur le projet")
    page.get_by_role("button", name="Publish the translation").click()
    page.wait_for_url(re.compile(r"/translations/$"))
    expect(page.get_by_text("Translation published.")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("French.*Gouvernance des données"))
    ).to_be_visible()
    assert ProcessTranslation.objects.get().title == "Gouvernance des données"

    # A reader in French sees the French title and phase, marked as French.
    _switch_language(page, "fr")
    page.goto(f"{base}/p/{process.slug}/")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("Gouvernance des données")
    expect(title).to_have_attribute("lang", "fr")
    expect(page.get_by_text("Vos remarques sur le projet")).to_be_visible()
    assert_accessible(page)

    # In Arabic (no Arabic translation yet): the page runs right to left, the English title and
    # the English input are marked as English with dir="auto".
    _switch_language(page, "ar")
    page.goto(f"{base}/p/{process.slug}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("Data governance")
    expect(title).to_have_attribute("lang", "en")
    expect(title).to_have_attribute("dir", "auto")
    assert_accessible(page)
    page.goto(f"{base}/p/{process.slug}/contributions/")
    text = page.locator(".contribution-text").first
    expect(text).to_have_text(re.compile("Data should stay where it is collected."))
    expect(text).to_have_attribute("lang", "en")
    expect(text).to_have_attribute("dir", "auto")
    assert_accessible(page)
