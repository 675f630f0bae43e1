"""The record API: the key, the signed checkpoint, entries and proofs that an outside verifier
checks with RFC 9162's algorithms; every bad parameter is a 4xx with a clear message."""

import base64

import pytest

from polyvox.record.entries import leaf_bytes
from polyvox.record.merkle import leaf_hash, verify_consistency, verify_inclusion
from polyvox.record.notes import parse_verifier_key, verify_checkpoint
from polyvox.record.selectors import MAX_ENTRIES_PER_CALL, entry_status
from polyvox.record.services import append_entry
from tests.record.conftest import integrate_all, pending_entries


def base(process) -> str:
    return f"/api/v1/processes/{process.slug}/record"


@pytest.fixture
def log13(process):
    pending_entries(process, 13)
    integrate_all(batch_size=5)  # checkpoints at 5, 10 and 13
    return process


def signed_checkpoint(client, process):
    key = parse_verifier_key(client.get("/api/v1/record/key").content.decode())
    response = client.get(f"{base(process)}/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return verify_checkpoint(response.content.decode(), key)


def test_the_key_and_the_checkpoint_verify_together(client, log13):
    checkpoint = signed_checkpoint(client, log13)

    assert checkpoint.size == 13
    assert checkpoint.origin == f"127.0.0.1:8000/p/{log13.slug}"


def test_the_key_is_503_until_it_is_created(client, db, settings, tmp_path):
    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "absent.key"

    response = client.get("/api/v1/record/key")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no record signing key" in response.content.decode()


def test_no_checkpoint_yet_is_503_and_an_unknown_process_404(client, process):
    append_entry(process=process, kind="test", payload={})

    assert client.get(f"{base(process)}/checkpoint").status_code == 503
    assert client.get("/api/v1/processes/nope/record/checkpoint").status_code == 404
    assert client.get("/api/v1/processes/nope/record/entries?start=0&end=1").status_code == 404


def test_every_entry_has_an_inclusion_proof_that_verifies(client, log13):
    checkpoint = signed_checkpoint(client, log13)
    entries = client.get(f"{base(log13)}/entries?start=0&end=13").json()["entries"]

    for entry in entries:
        answer = client.get(
            f"{base(log13)}/proofs/inclusion?index={entry['index']}&tree_size=13"
        ).json()
        proof = [base64.b64decode(value) for value in answer["hashes"]]
        assert (answer["index"], answer["tree_size"]) == (entry["index"], 13)
        assert verify_inclusion(
            leaf_hash(leaf_bytes(entry)), entry["index"], 13, proof, checkpoint.root_hash
        )


def test_an_inclusion_proof_under_an_older_tree(client, log13):
    answer = client.get(f"{base(log13)}/proofs/inclusion?index=2&tree_size=5").json()
    entry = client.get(f"{base(log13)}/entries?start=2&end=3").json()["entries"][0]
    from polyvox.record.selectors import root_at

    root = root_at(process=log13, tree_size=5)
    proof = [base64.b64decode(value) for value in answer["hashes"]]
    assert verify_inclusion(leaf_hash(leaf_bytes(entry)), 2, 5, proof, root)


def test_consistency_proofs_verify_between_checkpoints(client, log13):
    from polyvox.record.models import RecordCheckpoint

    roots = {
        c.tree_size: bytes(c.root_hash) for c in RecordCheckpoint.objects.filter(process=log13)
    }
    assert sorted(roots) == [5, 10, 13]
    for first, second in [(5, 10), (5, 13), (10, 13), (13, 13)]:
        answer = client.get(
            f"{base(log13)}/proofs/consistency?first={first}&second={second}"
        ).json()
        proof = [base64.b64decode(value) for value in answer["hashes"]]
        assert (answer["first"], answer["second"]) == (first, second)
        assert verify_consistency(first, second, roots[first], roots[second], proof)


def test_entries_are_canonical_and_capped_at_1000_a_call(client, process):
    pending_entries(process, MAX_ENTRIES_PER_CALL + 5)
    integrate_all()

    answer = client.get(f"{base(process)}/entries?start=3&end=1005").json()

    assert answer["start"] == 3
    assert answer["end"] == 3 + MAX_ENTRIES_PER_CALL
    assert [e["index"] for e in answer["entries"]] == list(range(3, 1003))
    assert answer["entries"][0] == {
        "index": 3,
        "kind": "test.event",
        "recorded_at": "2026-12-01T12:00:03.000000Z",
        "payload": {"n": 3, "text": "ação — 中文", "share": 0.30000000000000004},
    }


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("entries?start=x&end=3", 422, None),
        ("entries?start=-1&end=3", 422, None),
        ("entries?start=3", 422, None),
        ("entries?start=5&end=5", 400, "end"),
        ("entries?start=6&end=5", 400, "end"),
        ("entries?start=0&end=14", 400, "end"),
        ("entries?start=0&end=99999999999999999999999", 422, None),
        ("proofs/inclusion?index=13&tree_size=13", 400, "index"),
        ("proofs/inclusion?index=0&tree_size=14", 400, "tree_size"),
        ("proofs/inclusion?index=0&tree_size=0", 422, None),
        ("proofs/inclusion?index=1.5&tree_size=3", 422, None),
        ("proofs/inclusion?index=-1&tree_size=3", 422, None),
        ("proofs/consistency?first=0&second=3", 422, None),
        ("proofs/consistency?first=5&second=4", 400, "second"),
        ("proofs/consistency?first=5&second=14", 400, "second"),
        ("proofs/consistency?first=a&second=14", 422, None),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(client, log13, query, status, field):
    response = client.get(f"{base(log13)}/{query}")

    assert response.status_code == status
    body = response.json()
    assert body["error"] == "Invalid input."
    if field:
        assert body["fields"][field][0]


def test_a_range_beyond_the_tree_names_the_size(client, log13):
    body = client.get(f"{base(log13)}/proofs/inclusion?index=0&tree_size=20").json()

    assert body["fields"]["tree_size"] == ["tree_size 20 is beyond the log's integrated size 13."]


def test_entry_status_follows_an_entry_from_pending_to_a_checkpoint(process):
    entry = append_entry(process=process, kind="test", payload={})

    status = entry_status(entry)
    assert (status.state, status.index, status.checkpoint_size, status.proof_url) == (
        "pending",
        None,
        None,
        "",
    )

    integrate_all()
    status = entry_status(entry)  # the object is stale: the status reads the index again
    assert (status.state, status.index, status.checkpoint_size) == ("checkpointed", 0, 1)
    assert status.proof_url == (
        f"/api/v1/processes/{process.slug}/record/proofs/inclusion?index=0&tree_size=1"
    )


def test_entry_status_without_a_key_is_integrated_without_a_proof(process, settings, tmp_path):
    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "none.key"
    entry = append_entry(process=process, kind="test", payload={})
    integrate_all()

    status = entry_status(entry)

    assert (status.state, status.index, status.proof_url) == ("integrated", 0, "")
