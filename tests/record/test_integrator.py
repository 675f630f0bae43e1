"""The integrator: every accepted entry enters the log exactly once, in id order, in batches,
with a signed checkpoint after each batch; a failed batch leaves nothing half-written."""

import logging
import math
from typing import Any

import pytest

from polyvox.record.merkle import root_from_leaf_hashes
from polyvox.record.models import RecordCheckpoint, RecordEntry, RecordLog, RecordNode
from polyvox.record.notes import verify_checkpoint
from polyvox.record.selectors import integrated_size, latest_checkpoint, root_at
from polyvox.record.services import append_entry, integrate_pending
from tests.record.conftest import exported_root, integrate_all, pending_entries, site_verifier


def indices(process: Any) -> list[int | None]:
    return list(
        RecordEntry.objects.filter(process=process).order_by("id").values_list("index", flat=True)
    )


def test_an_appended_entry_waits_pending_until_the_integrator_takes_it(process):
    entry = append_entry(process=process, kind="test.one", payload={"n": 1})

    assert entry.index is None
    assert latest_checkpoint(process=process) is None

    assert integrate_pending() == 1
    entry.refresh_from_db()
    assert entry.index == 0


def test_entries_take_their_indices_in_id_order_and_a_checkpoint_is_signed(process):
    for n in range(5):
        append_entry(process=process, kind="test", payload={"n": n})

    integrate_pending()

    assert indices(process) == [0, 1, 2, 3, 4]
    checkpoint = latest_checkpoint(process=process)
    assert checkpoint is not None
    assert checkpoint.tree_size == 5
    signed = verify_checkpoint(checkpoint.note, site_verifier())
    assert signed.origin == f"127.0.0.1:8000/p/{process.slug}"
    assert (signed.size, signed.root_hash) == (5, bytes(checkpoint.root_hash))


def test_the_signed_root_is_the_rfc9162_root_of_the_exported_entries(process):
    pending_entries(process, 13)
    integrate_all(batch_size=4)

    checkpoint = latest_checkpoint(process=process)

    assert checkpoint is not None
    assert checkpoint.tree_size == 13
    assert exported_root(process) == bytes(checkpoint.root_hash)
    assert bytes(RecordLog.objects.get(process=process).root_hash) == bytes(checkpoint.root_hash)


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5, 7, 8, 16])
def test_batches_of_any_size_give_the_root_of_one_batch(process, other_process, batch_size):
    pending_entries(process, 21)
    pending_entries(other_process, 21)

    integrate_pending(batch_size=100)  # both processes in one batch each
    one_batch = bytes(RecordLog.objects.get(process=process).root_hash)
    RecordEntry.objects.filter(process=other_process).update(index=None)
    RecordNode.objects.filter(process=other_process).delete()
    RecordCheckpoint.objects.filter(process=other_process).delete()
    RecordLog.objects.filter(process=other_process).delete()
    integrate_all(batch_size=batch_size)

    assert bytes(RecordLog.objects.get(process=other_process).root_hash) == one_batch
    # Every intermediate tree of the batched log has its checkpoint, and each root is right.
    sizes = list(
        RecordCheckpoint.objects.filter(process=other_process).values_list("tree_size", flat=True)
    )
    assert sizes == sorted({*range(batch_size, 21, batch_size), 21})
    for checkpoint in RecordCheckpoint.objects.filter(process=other_process):
        assert exported_root(other_process, checkpoint.tree_size) == bytes(checkpoint.root_hash)


def test_the_tree_stores_every_complete_subtree_once(process):
    pending_entries(process, 11)
    integrate_all(batch_size=3)

    nodes = set(RecordNode.objects.filter(process=process).values_list("level", "position"))

    # 11 leaves, 5 pairs, 2 fours, 1 eight.
    expected = {(0, p) for p in range(11)} | {(1, p) for p in range(5)}
    expected |= {(2, 0), (2, 1), (3, 0)}
    assert nodes == expected
    assert root_at(process=process, tree_size=6) == exported_root(process, 6)


def test_a_second_pass_finds_nothing_and_signs_nothing_new(process):
    pending_entries(process, 3)
    integrate_pending()

    assert integrate_pending() == 0
    assert RecordCheckpoint.objects.filter(process=process).count() == 1


def test_each_process_has_its_own_log(process, other_process):
    append_entry(process=process, kind="a", payload={})
    append_entry(process=other_process, kind="b", payload={})
    append_entry(process=process, kind="c", payload={})

    integrate_pending()

    assert indices(process) == [0, 1]
    assert indices(other_process) == [0]


def test_a_batch_that_fails_midway_leaves_nothing_and_the_next_pass_takes_each_entry_once(
    process, monkeypatch
):
    pending_entries(process, 4)
    integrate_pending()
    pending_entries(process, 6, start=4)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the integrator died after updating the indices")

    # The indices are written, then node storage fails: the whole batch must roll back.
    monkeypatch.setattr(RecordNode.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError, match="died"):
        integrate_pending()

    assert indices(process) == [0, 1, 2, 3, None, None, None, None, None, None]
    assert RecordNode.objects.filter(process=process, level=0).count() == 4
    assert RecordLog.objects.get(process=process).tree_size == 4
    assert list(RecordCheckpoint.objects.values_list("tree_size", flat=True)) == [4]

    monkeypatch.undo()
    assert integrate_pending() == 6
    assert indices(process) == list(range(10))
    assert exported_root(process) == bytes(latest_checkpoint(process=process).root_hash)


def test_a_failure_while_signing_rolls_the_batch_back(process, monkeypatch):
    pending_entries(process, 3)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("polyvox.record.services.sign_checkpoint", broken)
    with pytest.raises(OSError, match="disk full"):
        integrate_pending()

    assert indices(process) == [None, None, None]
    assert not RecordNode.objects.exists()

    monkeypatch.undo()
    assert integrate_pending() == 3


def test_an_entry_written_around_append_entry_that_cannot_be_hashed_stops_the_log_there(
    process, caplog
):
    pending_entries(process, 2)
    poison = RecordEntry.objects.create(
        process=process, kind="bad", recorded_at="2026-12-01T12:00:00.000000Z", payload={"n": 2**60}
    )
    pending_entries(process, 2, start=3)

    with caplog.at_level(logging.ERROR, logger="polyvox.record.services"):
        assert integrate_pending() == 2

    assert indices(process) == [0, 1, None, None, None]
    assert f"Record entry {poison.pk}" in caplog.text
    assert "waits at index 2" in caplog.text
    assert latest_checkpoint(process=process).tree_size == 2

    # Once the operator repairs the row, the log continues with it, in order, each entry once.
    RecordEntry.objects.filter(pk=poison.pk).update(payload={"n": "1152921504606846976"})
    assert integrate_pending() == 3
    assert indices(process) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"share": math.nan}, "canonical JSON"),
        ({"share": math.inf}, "canonical JSON"),
        ({"big": 2**53 + 1}, "canonical JSON"),
        ({"deep": [{"float": 1e21}]}, r"at payload.deep\[0\].float: 1e\+21 is beyond"),
        ({"float": -(2.0**53)}, "beyond ±2"),
    ],
)
def test_append_refuses_a_payload_that_cannot_be_canonicalised(process, payload, problem):
    with pytest.raises(ValueError, match=problem):
        append_entry(process=process, kind="test", payload=payload)

    assert not RecordEntry.objects.exists()


def test_append_accepts_floats_tuples_and_any_unicode(process):
    # Floats come back from PostgreSQL's jsonb as written or as integers of the same value;
    # RFC 8785 writes both alike, so the leaf is the same on every database.
    append_entry(
        process=process, kind="test", payload={"f": [0.1, 1e15, 2.5e-7, -0.0, 1.0], "t": (1, "ß")}
    )

    integrate_pending()

    assert exported_root(process) == bytes(latest_checkpoint(process=process).root_hash)


def test_without_a_key_entries_are_integrated_and_the_first_key_signs_the_tree(
    process, settings, tmp_path
):
    from polyvox.record.keys import create_signing_key

    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "not-yet.key"
    pending_entries(process, 5)

    assert integrate_pending() == 5
    assert latest_checkpoint(process=process) is None

    create_signing_key(settings.POLYVOX_RECORD_KEY_FILE, "late.example")
    assert integrate_pending() == 0
    checkpoint = latest_checkpoint(process=process)
    assert checkpoint is not None
    assert checkpoint.tree_size == 5
    assert "— late.example " in checkpoint.note


def test_entries_left_pending_by_the_migration_are_integrated_in_arrival_order(process):
    # Migration record/0002 leaves the chained entries pending (index NULL), in id order.
    old = pending_entries(process, 30)
    assert integrated_size(process=process) == 0

    integrate_pending(batch_size=5000)

    assert list(
        RecordEntry.objects.filter(process=process).order_by("index").values_list("id", flat=True)
    ) == [entry.pk for entry in old]
    assert latest_checkpoint(process=process).tree_size == 30


def test_a_process_with_no_entries_has_no_log_and_no_checkpoint(process):
    assert integrate_pending() == 0

    assert not RecordLog.objects.exists()
    assert latest_checkpoint(process=process) is None


def test_the_root_of_every_size_matches_an_independent_computation(process):
    pending_entries(process, 40)
    integrate_all(batch_size=9)
    from polyvox.record.entries import leaf_bytes
    from polyvox.record.merkle import leaf_hash
    from polyvox.record.selectors import entry_as_dict, public_record

    leaves = [leaf_hash(leaf_bytes(entry_as_dict(e))) for e in public_record(process=process)]

    for size in range(1, 41):
        assert root_at(process=process, tree_size=size) == root_from_leaf_hashes(leaves[:size])
