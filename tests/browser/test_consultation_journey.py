"""The consultation loop in a real browser: register, comment, reply, answer, v2, feedback report.

Every page of the journey is checked with axe-core and must report no violations.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from polyvox.contributions.services.submitting import submit_contribution
from polyvox.demo.drafts import V1, V2
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.participants.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import PhaseFactory, UserFactory, make_secretariat

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def consultation(transactional_db: None) -> dict[str, object]:
    """A process with an open comment phase, draft v1, and one comment from another participant."""
    phase = PhaseFactory()
    process = phase.process
    sofia = make_secretariat(process, username="sofia")
    sofia.set_password(PASSWORD)
    sofia.save()
    draft = create_draft(actor=sofia, process=process, slug="principles", title="Draft principles")
    v1 = publish_draft_version(actor=sofia, draft=draft, markdown=V1)
    kenji = UserFactory(
        username="kenji", profile={"stakeholder_group": "private_sector", "country": "JP"}
    )
    backhaul = v1.sections.get(anchor="principle-4-backhaul-p1")
    other = submit_contribution(
        author=kenji,
        process=process,
        kind="comment",
        section=backhaul,
        draft_version=v1,
        body="Cost-oriented backhaul pricing would discourage investment.",
    )
    return {"process": process, "draft": draft, "v1": v1, "other": other}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the boosted POST has landed


def test_a_participant_comments_and_finds_the_answer_and_the_change(
    page: Page, live_server, consultation
):
    base = live_server.url
    process = consultation["process"]
    version_url = f"{base}/p/{process.slug}/drafts/principles/v1/"

    # A participant registers and fills in the profile.
    page.goto(f"{base}/accounts/register/")
    assert_accessible(page)
    page.get_by_label("Username").fill("amina")
    page.get_by_label("E-mail address").fill("amina@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Display name").fill("Amina Diallo")
    page.get_by_label("Stakeholder group").select_option("civil_society")
    page.get_by_label("I accept the terms of use").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_label("Country")).to_be_visible()
    # She confirms her address (the mail's link: tests/browser/test_account_journey.py).
    User.objects.filter(username="amina").update(email_verified_at=timezone.now())
    assert_accessible(page)
    page.get_by_label("Country").select_option("SN")
    page.get_by_role("textbox", name="Organisation").fill("Réseau Communautaire Ouest")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Senegal")).to_be_visible()

    # She comments on a section of the draft.
    page.goto(version_url)
    assert_accessible(page)
    section_pk = consultation["v1"].sections.get(anchor="definitions-p1").pk
    thread = page.locator("details.section-contributions").filter(
        has=page.locator(f"#comment-{section_pk}")
    )
    thread.locator("summary").click()
    thread.get_by_label(re.compile("Your comment on")).fill(
        "Please add cooperatives to the definition."
    )
    thread.get_by_role("button", name="Send comment").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    expect(page.get_by_text(re.compile(r"PVX-"))).to_be_visible()
    assert_accessible(page)
    tracking = re.search(r"PVX-[\w-]+", page.content()).group(0)

    # …and replies to someone from another stakeholder group.
    page.goto(f"{base}{consultation['other'].get_absolute_url()}")
    assert_accessible(page)
    page.get_by_label(re.compile("Reply", re.I)).first.fill(
        "Negotiated prices have not reached rural areas."
    )
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Negotiated prices have not reached rural areas.")).to_be_visible()

    # The secretariat publishes version 2 and answers her comment, linking the change.
    secretariat = page.context.browser.new_context(locale="en-GB").new_page()
    log_in(secretariat, base, "sofia")
    secretariat.goto(f"{base}/p/{process.slug}/drafts/principles/publish/")
    secretariat.get_by_label(re.compile("Text of the new version")).fill(V2)
    secretariat.get_by_role("button", name="Save and preview").click()
    secretariat.wait_for_url(re.compile(r"/preview/$"))
    expect(secretariat.locator("ins").first).to_be_visible()  # the diff against version 1
    assert_accessible(secretariat)
    secretariat.get_by_role("button", name="Publish now").click()
    secretariat.wait_for_url(re.compile(r"/v2/$"))
    expect(secretariat.get_by_text("Version 2 published.")).to_be_visible()
    secretariat.goto(f"{base}/p/{process.slug}/workbench/")
    assert_accessible(secretariat)
    secretariat.goto(f"{base}/p/{process.slug}/contributions/{tracking}/answer/")
    assert_accessible(secretariat)
    secretariat.get_by_label("Incorporated", exact=True).check()
    secretariat.get_by_label(re.compile(r"v2 §definitions-p1")).check()
    secretariat.get_by_role("button", name="Publish the answer").click()
    secretariat.wait_for_url(lambda url: "/answer/" not in url)
    expect(secretariat.get_by_role("cell", name="Incorporated")).to_be_visible()
    secretariat.context.close()

    # She is notified and finds the answer and the linked change in the feedback report.
    page.goto(f"{base}/notifications/")
    expect(
        page.get_by_role("link", name=f"Your contribution {tracking} was answered")
    ).to_be_visible()
    page.goto(f"{base}/p/{process.slug}/drafts/principles/v1/feedback/")
    assert_accessible(page)
    row = page.locator(f"article#{tracking}")
    expect(row).to_contain_text("Incorporated")
    row.get_by_role("link", name=re.compile("definitions-p1")).first.click()
    expect(page).to_have_url(re.compile(r"/v2/#definitions-p1$"))
    expect(page.locator("#definitions-p1")).to_contain_text("cooperative")
    assert_accessible(page)
