"""A participant checks that their submission is in the public log, in a real browser.

Submit → the receipt names the pending entry → the integrator runs (as `polyvox worker` does
every second) → the receipt gives the entry's index and links to its inclusion proof, which
verifies against the signed checkpoint with the verifier key shown on the record page.
"""

import base64

import pytest
from playwright.sync_api import Page, expect

from polyvox.record.entries import leaf_bytes
from polyvox.record.merkle import leaf_hash, verify_inclusion
from polyvox.record.models import RecordEntry
from polyvox.record.notes import parse_verifier_key, verify_checkpoint
from polyvox.record.services import integrate_pending
from tests.browser.conftest import assert_accessible
from tests.factories import PhaseFactory, UserFactory

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def consultation(transactional_db: None) -> dict[str, object]:
    phase = PhaseFactory()
    amina = UserFactory(username="amina")
    amina.set_password(PASSWORD)
    amina.save()
    return {"process": phase.process, "amina": amina}


def test_a_participant_finds_their_submission_in_the_signed_log(
    page: Page, live_server, consultation
):
    base, process = live_server.url, consultation["process"]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("amina")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{base}/p/{process.slug}/submit/")
    page.get_by_label("Text").fill("Community networks need spectrum set aside for them.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="In the public record")).to_be_visible()
    expect(page.get_by_text("contribution.submitted")).to_be_visible()
    expect(page.get_by_text("maximum merge delay")).to_be_visible()
    assert_accessible(page)

    integrate_pending()  # what the worker does within a second
    page.reload()
    entry = RecordEntry.objects.get(process=process, kind="contribution.submitted")
    expect(page.get_by_text(f"It is entry #{entry.index} of the public log.")).to_be_visible()
    proof_link = page.get_by_role("link", name="Its inclusion proof")
    proof_url = proof_link.get_attribute("href")
    assert_accessible(page)

    page.get_by_role("link", name="The public record and its verifier key").click()
    expect(page.get_by_role("heading", name="Public record")).to_be_visible()
    verifier_key = page.locator("#verifier-key").inner_text().strip()
    assert_accessible(page)

    # What a sceptical participant does with the page's links, checked as they would.
    proof = page.request.get(f"{base}{proof_url}").json()
    note = page.request.get(f"{base}/api/v1/processes/{process.slug}/record/checkpoint").text()
    checkpoint = verify_checkpoint(note, parse_verifier_key(verifier_key))
    [published] = page.request.get(
        f"{base}/api/v1/processes/{process.slug}/record/entries"
        f"?start={entry.index}&end={entry.index + 1}"
    ).json()["entries"]
    assert published["payload"]["body_sha256"] == entry.payload["body_sha256"]
    assert verify_inclusion(
        leaf_hash(leaf_bytes(published)),
        proof["index"],
        checkpoint.size,
        [base64.b64decode(h) for h in proof["hashes"]],
        checkpoint.root_hash,
    )
