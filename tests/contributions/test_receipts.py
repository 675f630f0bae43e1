"""Receipts name the input's public record entry (page, e-mail, API) and, once a signed checkpoint
covers it, link to its inclusion proof: a participant can check that their input is in the log."""

import base64
import re
from datetime import datetime

import pytest
from django.core import mail

from polyvox.contributions.models import Contribution
from polyvox.core.timezones import utc_minute
from polyvox.record.entries import leaf_bytes
from polyvox.record.merkle import leaf_hash, verify_inclusion
from polyvox.record.models import RecordCheckpoint, RecordEntry
from polyvox.record.notes import parse_verifier_key, verify_checkpoint
from polyvox.record.services import integrate_pending
from tests.factories import contribution_url as url
from tests.factories import submit_comment


def _receipt(client, contribution: Contribution) -> str:
    client.force_login(contribution.author)
    response = client.get(
        url("receipt", contribution.process, tracking_number=contribution.tracking_number)
    )
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _api(process, what: str) -> str:
    return f"/api/v1/processes/{process.slug}/{what}"


def test_a_new_receipt_names_its_pending_entry_and_the_maximum_merge_delay(
    client, open_phase, participant, section, settings
):
    settings.POLYVOX_RECORD_MAX_MERGE_DELAY = 5
    contribution = submit_comment(participant, section)
    entry = contribution.record_entry

    page = _receipt(client, contribution)

    assert (entry.kind, entry.index, entry.payload["tracking_number"]) == (
        "contribution.submitted",
        None,
        contribution.tracking_number,
    )
    assert (
        f"Public record entry: <code>contribution.submitted</code>, accepted at "
        f'<time datetime="{entry.recorded_at}">{entry.recorded_at}</time>.'
    ) in page
    assert "within 5 seconds" in page
    assert "entry #" not in page
    assert "inclusion proof" not in page.lower()


def test_once_integrated_and_signed_the_receipt_links_to_the_inclusion_proof_and_the_record(
    client, open_phase, participant, other_participant, section
):
    submit_comment(other_participant, section)
    contribution = submit_comment(participant, section)
    integrate_pending()
    entry = RecordEntry.objects.get(pk=contribution.record_entry_id)
    checkpoint = RecordCheckpoint.objects.filter(process=contribution.process).last()

    page = _receipt(client, contribution)

    assert f"It is entry #{entry.index} of the public log." in page
    proof_url = (
        f"/api/v1/processes/{contribution.process.slug}/record/proofs/inclusion"
        f"?index={entry.index}&amp;tree_size={checkpoint.tree_size}"
    )
    assert f'<a href="{proof_url}">Its inclusion proof</a>' in page
    assert f'href="/p/{contribution.process.slug}/record/"' in page
    assert "within 5 seconds" not in page


def test_integrated_without_a_signed_checkpoint_the_receipt_gives_the_index_and_no_proof_yet(
    client, open_phase, participant, section, settings, tmp_path
):
    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "no-key-yet.key"  # the operator has none yet
    contribution = submit_comment(participant, section)
    integrate_pending()

    page = _receipt(client, contribution)

    assert "It is entry #0 of the public log." in page
    assert "The next signed checkpoint will cover it" in page
    assert "proofs/inclusion" not in page


def test_a_participant_can_check_with_the_receipt_s_proof_that_their_input_is_in_the_log(
    client, open_phase, participant, other_participant, section
):
    for n in range(4):
        submit_comment(other_participant, section, body=f"Point {n}.")
    contribution = submit_comment(participant, section, body="My input.")
    submit_comment(other_participant, section, body="A later point.")
    integrate_pending()
    page = _receipt(client, contribution)
    proof_url = re.search(r'href="([^"]*proofs/inclusion[^"]*)"', page).group(1)

    proof = client.get(proof_url.replace("&amp;", "&")).json()
    key = parse_verifier_key(client.get("/api/v1/record/key").content.decode().strip())
    signed = verify_checkpoint(
        client.get(_api(contribution.process, "record/checkpoint")).content.decode(), key
    )
    index = proof["index"]
    [published] = client.get(
        _api(contribution.process, f"record/entries?start={index}&end={index + 1}")
    ).json()["entries"]

    assert published["payload"]["tracking_number"] == contribution.tracking_number
    assert published["payload"]["body_sha256"] == contribution.record_entry.payload["body_sha256"]
    assert proof["tree_size"] == signed.size == 6
    assert verify_inclusion(
        leaf_hash(leaf_bytes(published)),
        index,
        signed.size,
        [base64.b64decode(h) for h in proof["hashes"]],
        signed.root_hash,
    )


def test_the_receipt_e_mail_names_the_entry_and_links_to_the_receipt_page(
    open_phase, participant, section, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://consult.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit_comment(participant, section)
    entry = contribution.record_entry
    accepted = utc_minute(datetime.fromisoformat(entry.recorded_at))

    [message] = mail.outbox
    receipt = url("receipt", contribution.process, tracking_number=contribution.tracking_number)
    assert (
        f"Public record entry: contribution.submitted for {contribution.tracking_number}, "
        f"accepted at {accepted} UTC."
    ) in message.body
    assert f"https://consult.example.org{receipt}" in message.body


def test_the_submission_api_names_the_pending_entry_then_its_place_once_signed(
    client, process, open_phase, participant
):
    client.force_login(participant)
    payload = {"text": "Please add a review clause."}

    def send():
        return client.post(
            _api(process, "submissions"), payload, content_type="application/json",
            headers={"Idempotency-Key": "receipt-1"},
        )  # fmt: skip

    first = send()
    integrate_pending()
    again = send()

    entry = Contribution.objects.get().record_entry
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["record_entry"] == {
        "kind": "contribution.submitted",
        "recorded_at": entry.recorded_at,
        "index": None,
        "checkpoint_size": None,
        "proof_url": "",
    }
    assert again.json()["record_entry"] == {
        "kind": "contribution.submitted",
        "recorded_at": entry.recorded_at,
        "index": 0,
        "checkpoint_size": 1,
        "proof_url": f"/api/v1/processes/{process.slug}/record/proofs/inclusion"
        "?index=0&tree_size=1",
    }
    assert client.get(again.json()["record_entry"]["proof_url"]).status_code == 200


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_receipt_page_renders_in_other_languages(
    client, open_phase, participant, section, language
):
    contribution = submit_comment(participant, section)
    integrate_pending()
    client.force_login(participant)

    response = client.get(
        url("receipt", contribution.process, tracking_number=contribution.tracking_number),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    assert contribution.tracking_number in response.content.decode()
