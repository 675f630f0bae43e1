"""A translator publishes a French version of a draft; after a new original version, the parity
check flags the stale section (issue 13's journey). Every new page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from polyvox.drafts.models import VersionTranslation
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process, Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import PhaseFactory, UserFactory, make_secretariat

V1 = """# Principles

Community networks connect people that markets leave behind.

## Licensing

Licences must be simple and cheap.
"""
V2 = V1.replace("simple and cheap.", "simple, cheap and granted within 30 days.")
FRENCH = {
    "principles": "Principes",
    "principles-p1": "Les réseaux communautaires relient ceux que le marché oublie.",
    "licensing": "Licences",
    "licensing-p1": "Les licences doivent être simples et bon marché.",
}


@pytest.fixture
def translation_setting(transactional_db: None) -> tuple[Process, User, User]:
    process = PhaseFactory().process
    process.languages = ["en", "fr", "ar"]
    process.save()
    sofia = make_secretariat(process, username="sofia")
    draft = create_draft(actor=sofia, process=process, slug="principles", title="Principles")
    publish_draft_version(actor=sofia, draft=draft, markdown=V1)
    camille = UserFactory(username="camille")
    camille.set_password(PASSWORD)
    camille.save()
    Membership.objects.create(process=process, user=camille, role=Role.TRANSLATOR)
    return process, sofia, camille


def test_a_translator_publishes_french_and_the_parity_check_flags_a_stale_section(
    page: Page, live_server, translation_setting
):
    process, sofia, _camille = translation_setting
    base = live_server.url
    draft_url = f"{base}/p/{process.slug}/drafts/principles/v1/"
    log_in(page, base, "camille")

    # The draft page lists the process's languages, none translated yet, with a link to translate.
    page.goto(draft_url)
    expect(page.get_by_role("heading", name="Languages")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("French.*no translation yet"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Translate into French").click()
    page.wait_for_url(re.compile(r"/translate/\?language=fr$"))
    assert_accessible(page)

    # She translates every section under the original and publishes.
    page.get_by_label("Title of the draft in this language").fill("Principes")
    for anchor, text in FRENCH.items():
        page.get_by_label(f"Translation of §{anchor}", exact=True).fill(text)
    page.get_by_role("button", name="Publish the French version").click()
    page.wait_for_url(re.compile(r"/v1/\?lang=fr$"))
    expect(page.get_by_text("The language version is published.")).to_be_visible()
    heading = page.get_by_role("heading", name="Licences", exact=False).first
    expect(heading).to_have_attribute("lang", "fr")
    expect(page.get_by_text("Les licences doivent être simples et bon marché.")).to_be_visible()
    assert_accessible(page)
    assert VersionTranslation.objects.get().language == "fr"

    # The secretariat publishes version 2, changing the licensing paragraph.
    draft = process.drafts.get()
    publish_draft_version(actor=sofia, draft=draft, markdown=V2, note="Licences in 30 days.")

    # The draft page flags the French licensing paragraph as outdated, everywhere a reader looks.
    page.goto(f"{base}/p/{process.slug}/drafts/principles/v2/")
    french = page.get_by_role("row", name=re.compile("^French"))
    expect(french).to_contain_text("version 1")
    expect(french.get_by_role("link", name="§ licensing-p1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/v2/\?lang=fr$"))
    stale = page.locator("#licensing-p1")
    expect(stale).to_contain_text("Outdated translation.")
    expect(stale).to_contain_text("It was made from version 1")
    assert_accessible(page)

    # The translator sees what changed in the original, updates the paragraph: all up to date.
    page.goto(f"{base}/p/{process.slug}/drafts/principles/translate/?language=fr")
    expect(page.locator("#licensing-p1 ins").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Translation of §licensing-p1", exact=True).fill(
        "Les licences doivent être simples, bon marché et accordées en 30 jours."
    )
    page.get_by_role("button", name="Publish the French version").click()
    page.wait_for_url(re.compile(r"/v2/\?lang=fr$"))
    expect(page.get_by_text("Outdated translation.")).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("^French"))).to_contain_text("version 2")
