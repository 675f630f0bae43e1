"""Organisations, sign-on and dissent in a real browser (issue 9's journey).

A participant asks to represent an organisation; its administrator approves; the new
representative signs a joint statement for it and withdraws the signature; another organisation
publishes a dissent, which then stands beside the statement. Every new page is checked with
axe-core.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.joint_statements.services.drafting import create_joint_statement, open_for_sign_on
from polyvox.organisations.models import Representative, RepresentativeStatus
from polyvox.organisations.services.registering import register_organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import PhaseFactory, ProcessFactory, UserFactory

DISSENT = "Reserving spectrum would take capacity from satellite downlinks; share it instead."


def _person(username: str, group: str, country: str) -> User:
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    user.profile.stakeholder_group = group
    user.profile.country = country
    user.profile.save()
    return user


@pytest.fixture
def sign_on(transactional_db: None) -> dict[str, object]:
    """An open process, two organisations with their administrators, a participant, and a joint
    statement open for sign-on for a week (arranged through the services, not driven)."""
    process: Process = ProcessFactory(slug="cn-rules", title="Community network rules")
    PhaseFactory(process=process)
    nadia = _person("nadia", "civil_society", "MX")
    _person("tomas", "civil_society", "CZ")
    hiro = _person("hiro", "private_sector", "JP")
    rhizomatica = register_organisation(
        actor=nadia, name="Rhizomatica", stakeholder_group="civil_society", country="MX"
    )
    register_organisation(
        actor=hiro, name="Tokyo Backhaul", stakeholder_group="private_sector", country="JP"
    )
    draft = create_joint_statement(
        actor=nadia,
        process=process,
        title="Spectrum for community networks",
        body="We ask regulators to reserve unused spectrum for community networks.",
        organisation=rhizomatica,
    )
    statement = open_for_sign_on(
        actor=nadia, statement=draft, deadline=timezone.now() + timedelta(days=7)
    )
    return {"process": process, "statement": statement, "organisation": rhizomatica}


def _switch_to(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def test_a_representative_is_approved_signs_and_withdraws_and_a_dissent_stands_beside(
    page: Page, live_server, sign_on
):
    base = live_server.url
    statement = sign_on["statement"]
    assert isinstance(statement, JointStatement)
    statement_url = f"{base}{statement.get_absolute_url()}"

    # Tomás asks to represent Rhizomatica.
    log_in(page, base, "tomas")
    page.goto(f"{base}/organisations/")
    assert_accessible(page)
    page.get_by_role("link", name="Rhizomatica").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rhizomatica")
    expect(page.get_by_text("Not verified")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Message to its administrators (optional)").fill("I run our Czech work.")
    page.get_by_role("button", name="Ask to represent this organisation").click()
    expect(page.get_by_text("is waiting for its administrators")).to_be_visible()

    # Before approval he cannot sign for it: only "Myself" is offered.
    page.goto(statement_url)
    expect(page.get_by_label("Rhizomatica")).to_have_count(0)

    # Nadia, its administrator, approves him.
    _switch_to(page, base, "nadia")
    page.goto(f"{base}/organisations/rhizomatica/manage/")
    assert_accessible(page)
    expect(page.get_by_text("I run our Czech work.")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    standing = Representative.objects.get(user__username="tomas")
    assert standing.status == RepresentativeStatus.APPROVED

    # Tomás signs the joint statement for Rhizomatica…
    _switch_to(page, base, "tomas")
    page.goto(statement_url)
    assert_accessible(page)
    page.get_by_label("Rhizomatica").check()
    page.get_by_role("button", name="Sign this statement").click()
    expect(page.get_by_text("Signed for Rhizomatica.")).to_be_visible()
    mine = page.locator(".my-signatures")
    expect(mine.get_by_text("For Rhizomatica")).to_be_visible()
    assert Signature.objects.filter(statement=statement, withdrawn_at__isnull=True).count() == 1

    # …and withdraws it with a reason; the row stays in the history.
    page.get_by_label("Reason (optional, public)").fill("Our board wants to read it first.")
    page.get_by_role("button", name="Withdraw").click()
    expect(mine.get_by_text("For Rhizomatica")).to_have_count(0)
    signature = Signature.objects.get(statement=statement)
    assert signature.withdrawn_at is not None
    assert signature.withdrawal_reason == "Our board wants to read it first."
    page.goto(f"{statement_url}signatories/?withdrawn=1")
    assert_accessible(page)
    expect(page.get_by_text("Our board wants to read it first.")).to_be_visible()

    # Hiro publishes a dissent for Tokyo Backhaul; it stands beside the statement.
    _switch_to(page, base, "hiro")
    page.goto(statement_url)
    page.get_by_role("link", name="Publish a dissenting or supplementary statement").click()
    assert_accessible(page)
    page.get_by_label("dissents from it").check()
    page.get_by_label("Title").fill("Share spectrum, do not reserve it")
    page.get_by_label("Text").fill(DISSENT)
    page.get_by_label("On behalf of").select_option(label="Tokyo Backhaul")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="The statement it answers")).to_be_visible()
    assert_accessible(page)

    page.goto(statement_url)
    beside = page.get_by_role("heading", name="Dissenting and supplementary statements")
    expect(beside).to_be_visible()
    expect(page.get_by_role("link", name="Share spectrum, do not reserve it")).to_be_visible()
    expect(page.get_by_text("Tokyo Backhaul").first).to_be_visible()

    kinds = list(
        RecordEntry.objects.filter(process=sign_on["process"]).values_list("kind", flat=True)
    )
    assert "joint_statement_signed" in kinds
    assert "joint_statement_signature_withdrawn" in kinds
    assert "linked_statement_published" in kinds
