"""The secretariat reads a process's indicators and downloads its quality report (issue 13).

Sofia, the secretariat, opens the indicators page from the process page, sets a target ("at
least 30 % of inputs from governments"), sees it missed beside the inputs received, reads the
process-quality report and downloads it as a PDF. A visitor reads the same page without the
alerts and the form. Every new page is checked with axe-core.
"""

import pytest
from playwright.sync_api import Page, expect

from polyvox.processes.models import Process
from tests.browser.conftest import assert_accessible
from tests.browser.test_consultation_journey import PASSWORD, log_in
from tests.factories import (
    PhaseFactory,
    ProcessFactory,
    UserFactory,
    make_secretariat,
    make_version,
    submit_comment,
)


@pytest.fixture
def consultation(transactional_db: None) -> Process:
    """A process with an open comment phase, a published version and eleven inputs: six from
    Kenyan civil society, five from the German private sector (arranged through the services)."""
    process = ProcessFactory(slug="spectrum", title="Spectrum for community networks")
    PhaseFactory(process=process)
    version = make_version(process)
    section = version.sections.get(anchor="scope")
    for i in range(6):
        submit_comment(UserFactory(username=f"cs{i}"), section, f"Civil society point {i}.")
    for i in range(5):
        author = UserFactory(
            username=f"ps{i}", profile={"stakeholder_group": "private_sector", "country": "DE"}
        )
        submit_comment(author, section, f"Industry point {i}.")
    sofia = make_secretariat(process, username="sofia")
    sofia.set_password(PASSWORD)
    sofia.save()
    return process


def test_the_secretariat_reads_the_indicators_and_downloads_the_pdf_report(
    page: Page, live_server, consultation
):
    base = live_server.url
    process = consultation

    # A visitor finds the indicators from the process page: figures, no alerts, no form.
    page.goto(f"{base}{process.get_absolute_url()}")
    page.get_by_role("link", name="The indicators, live").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indicators")
    expect(page.get_by_role("heading", name="Who took part")).to_be_visible()
    expect(page.get_by_role("heading", name="Alerts for the secretariat")).to_have_count(0)
    expect(page.get_by_label("Minimum share of inputs (per cent)")).to_have_count(0)
    assert_accessible(page)

    # Sofia sets a target for governments and reads it against the inputs received.
    log_in(page, base, "sofia")
    page.goto(f"{base}/p/{process.slug}/indicators/")
    expect(page.get_by_role("heading", name="Alerts for the secretariat")).to_be_visible()
    page.get_by_label("Inputs from").select_option("stakeholder_group:government")
    page.get_by_label("Minimum share of inputs (per cent)").fill("30")
    page.get_by_role("button", name="Save the target").click()
    expect(page.get_by_text("Participation target saved.")).to_be_visible()
    targets = page.locator("#targets table")
    expect(targets).to_contain_text("Government")
    expect(targets).to_contain_text("30.0 %")
    by_group = page.locator("#by_group table")
    missed = by_group.locator("tr.target-missed")
    expect(missed).to_have_count(1)
    expect(missed).to_contain_text("Government")
    expect(missed).to_contain_text("below target")
    expect(page.locator("#by_group svg title")).to_have_text("Share of inputs by stakeholder group")
    assert_accessible(page)

    # The report: the guidelines' steps, each figure linked to its data.
    page.get_by_role("link", name="The process-quality report").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Process-quality report")
    expect(
        page.get_by_role("heading", name="SPMG 8: Factor in feedback from wider community")
    ).to_be_visible()
    expect(page.locator("#shortfalls")).to_contain_text("Government")
    page.get_by_role("link", name="table in this report").first.click()
    assert page.url.endswith("#participation")
    assert_accessible(page)

    # The PDF downloads.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"quality-report-{process.slug}.pdf"
    assert download.path().read_bytes().startswith(b"%PDF-")
