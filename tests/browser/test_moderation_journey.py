"""Moderation with due process in a real browser: flag → hide with a reason → tombstone →
appeal → a different moderator reverses → public again.

Every page of the journey is checked with axe-core and must report no violations.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from polyvox.contributions.services.submitting import submit_contribution
from polyvox.moderation.models import ActionKind
from polyvox.moderation.services import take_action
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Role
from tests.browser.conftest import assert_accessible
from tests.factories import (
    MINIMAL_PDF,
    PhaseFactory,
    UserFactory,
    make_statement,
    make_version,
    submit_reply,
)

PASSWORD = "a long and unusual passphrase 42"
SENTINEL = "Call Mr Example on +44 20 7946 0000 for a cheaper backhaul"


def _person(username: str) -> User:
    user = UserFactory(username=username)  # display name: the username, titled
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def moderated(transactional_db: None) -> dict[str, object]:
    """An open process, two moderators, a flagger, and an input with an attachment."""
    process = PhaseFactory().process
    version = make_version(process)
    for username in ("mod-ana", "mod-ben"):
        Membership.objects.create(process=process, user=_person(username), role=Role.MODERATOR)
    _person("amina")
    kenji = _person("kenji")
    paper = submit_contribution(
        author=kenji,
        process=process,
        kind="submission",
        body=SENTINEL,
        draft_version=version,
        attachment=SimpleUploadedFile("paper.pdf", MINIMAL_PDF),
    )
    return {"process": process, "paper": paper}


def _signed_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="en-GB", timezone_id="Africa/Nairobi").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_a_flagged_input_is_hidden_with_a_reason_appealed_and_restored_by_another_moderator(
    page: Page, browser: Browser, live_server, moderated
):
    base = live_server.url
    process = moderated["process"]
    paper = moderated["paper"]
    tracking = paper.tracking_number
    address = base + reverse(
        "contributions:detail", kwargs={"slug": process.slug, "tracking_number": tracking}
    )
    attachment = base + reverse(
        "contributions:attachment", kwargs={"slug": process.slug, "tracking_number": tracking}
    )

    # The public reads the input and its attachment; the policy is public.
    page.goto(address)
    expect(page.get_by_text(SENTINEL)).to_be_visible()
    assert page.request.get(attachment).status == 200
    page.get_by_role("link", name="Moderation policy").click()
    expect(page.get_by_role("heading", name="Moderation policy", level=1)).to_be_visible()
    expect(page.get_by_text("Disagreement").first).to_be_visible()
    assert_accessible(page)

    # A participant flags it with a reason code of the policy.
    amina = _signed_in(browser, base, "amina")
    amina.goto(address)
    amina.get_by_role("link", name="Flag", exact=True).click()
    expect(amina.get_by_role("heading", name=f"Flag contribution {tracking}")).to_be_visible()
    assert_accessible(amina)
    options = amina.get_by_label("Reason").locator("option").all_inner_texts()
    assert not any("disagree" in option.lower() for option in options)
    amina.get_by_label("Reason").select_option(label="Someone's personal data")
    amina.get_by_label("What is wrong").fill("It publishes a private phone number.")
    amina.get_by_role("button", name="Send the flag").click()
    expect(amina.get_by_text("a moderator will look at your flag")).to_be_visible()
    amina.context.close()

    # A moderator finds it in the queue and hides it with a reason code and an explanation.
    ana = _signed_in(browser, base, "mod-ana")
    ana.goto(f"{base}/moderation/{process.slug}/queue/")
    assert_accessible(ana)
    row = ana.get_by_role("row").filter(has=ana.get_by_role("link", name=tracking))
    expect(row).to_contain_text("Someone's personal data")
    row.get_by_role("link", name=tracking).click()
    expect(ana.get_by_role("heading", name=f"Moderate contribution {tracking}")).to_be_visible()
    expect(ana.get_by_text("It publishes a private phone number.")).to_be_visible()
    assert_accessible(ana)
    ana.get_by_role("combobox", name="Action", exact=True).select_option(label="Hide")
    ana.get_by_label("Reason code (published)").select_option(label="Someone's personal data")
    ana.get_by_label("Explanation to the author").fill("It contains a private phone number.")
    ana.get_by_role("button", name="Take this action and notify the author").click()
    expect(ana.get_by_text("Done: the author was notified.")).to_be_visible()
    ana.context.close()

    # The public address shows the tombstone — date and reason — and nothing of the content.
    page.goto(address)
    tombstone = page.locator(".tombstone")
    expect(tombstone).to_contain_text(re.compile(r"Hidden on .+ — reason: Someone's personal data"))
    expect(page.get_by_text(SENTINEL)).to_have_count(0)
    expect(page.get_by_text("Kenji")).to_have_count(0)
    expect(page.get_by_text("private phone number")).to_have_count(0)
    assert_accessible(page)
    assert page.request.get(attachment).status == 404

    # The public log lists the decision and its code, never the content or a name.
    page.goto(f"{base}/moderation/{process.slug}/log/")
    log = page.get_by_role("table").filter(has_text="Newest first")
    expect(log.get_by_role("row").filter(has_text=tracking)).to_contain_text("Hide")
    expect(page.get_by_text(SENTINEL)).to_have_count(0)
    expect(page.get_by_text("Kenji")).to_have_count(0)
    assert_accessible(page)

    # The author is told why and how to appeal, and appeals.
    kenji = _signed_in(browser, base, "kenji")
    kenji.goto(f"{base}/notifications/")
    kenji.get_by_role("link", name=re.compile(f"Moderation: Hide on .*{tracking}")).click()
    expect(kenji.get_by_role("heading", name=re.compile(r"Moderation action #\d+"))).to_be_visible()
    expect(kenji.get_by_text("It contains a private phone number.")).to_be_visible()
    assert_accessible(kenji)
    kenji.get_by_label("Why should the decision be reversed?").fill(
        "The number is my organisation's public switchboard, printed on our website."
    )
    kenji.get_by_role("button", name="Send the appeal").click()
    expect(kenji.get_by_text("a different moderator will decide")).to_be_visible()
    expect(kenji.get_by_text("Waiting for a decision")).to_be_visible()
    kenji.context.close()

    # The moderator who acted is not offered the appeal; a different one reverses.
    ana = _signed_in(browser, base, "mod-ana")
    ana.goto(f"{base}/moderation/{process.slug}/queue/")
    expect(ana.get_by_role("link", name=re.compile("Appeal against action"))).to_have_count(0)
    ana.context.close()
    ben = _signed_in(browser, base, "mod-ben")
    ben.goto(f"{base}/moderation/{process.slug}/queue/")
    ben.get_by_role("link", name=re.compile("Appeal against action")).click()
    expect(ben.get_by_text("public switchboard")).to_be_visible()
    assert_accessible(ben)
    ben.get_by_label("Reverse the action").check()
    ben.get_by_label("Reasons for the decision").fill("A published switchboard is not personal.")
    ben.get_by_role("button", name="Decide and notify both").click()
    expect(ben.get_by_text("The appeal is decided")).to_be_visible()
    ben.context.close()

    # The input, and its attachment, are public again; the log shows the reversal.
    page.goto(address)
    expect(page.get_by_text(SENTINEL)).to_be_visible()
    expect(page.locator(".tombstone")).to_have_count(0)
    assert page.request.get(attachment).status == 200
    page.goto(f"{base}/moderation/{process.slug}/log/")
    expect(page.get_by_text("reversed on appeal").first).to_be_visible()


def test_flag_beside_statements_and_a_hidden_reply_s_tombstone_are_accessible(
    browser: Browser, live_server, moderated
):
    process = moderated["process"]
    paper = moderated["paper"]
    kenji, ana = User.objects.get(username="kenji"), User.objects.get(username="mod-ana")
    statement = make_statement(process, "Rural backhaul should be regulated.", author=kenji)
    rude = submit_reply(User.objects.get(username="amina"), paper, body="REPLY-SENTINEL insult")
    take_action(
        moderator=ana,
        contribution=rude,
        action=ActionKind.HIDE,
        reason_code="personal_attack",
        text="An insult.",
    )
    base = live_server.url

    # A signed-in participant finds "Flag" beside each statement and reaches its flag form.
    amina = _signed_in(browser, base, "amina")
    amina.goto(base + reverse("statements:list", kwargs={"slug": process.slug}))
    assert_accessible(amina)
    amina.get_by_role("link", name=f"Flag: statement #{statement.pk}").click()
    expect(amina.get_by_role("heading", name=f"Flag statement #{statement.pk}")).to_be_visible()
    assert_accessible(amina)
    amina.context.close()

    # The public sees the hidden reply as one line in the thread, none of its text.
    public = browser.new_context(locale="en-GB").new_page()
    public.goto(base + paper.get_absolute_url())
    line = public.locator(f"article#{rude.tracking_number}")
    expect(line).to_contain_text("a reply hidden on")
    expect(line).to_contain_text("Personal attack or harassment")
    expect(public.get_by_text("REPLY-SENTINEL")).to_have_count(0)
    assert_accessible(public)
    public.context.close()
