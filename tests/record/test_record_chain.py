"""The record: appends chain by hash, exports verify, and tampering is caught at the right entry."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polyvox.record.chain import verify_chain
from polyvox.record.models import RecordEntry
from polyvox.record.selectors import export_record
from polyvox.record.services import append_entry


def test_appended_entries_link_each_to_the_previous_hash(process):
    first = append_entry(process=process, kind="test.one", payload={"n": 1})
    second = append_entry(process=process, kind="test.two", payload={"n": 2})

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash


def test_an_exported_record_verifies(process, tmp_path, capsys):
    append_entry(process=process, kind="test.one", payload={"text": "ação — 中文"})
    append_entry(process=process, kind="test.two", payload={"n": 2})
    path = tmp_path / "record.jsonl"
    path.write_text("".join(export_record(process=process)), encoding="utf-8")

    call_command("record", "verify", str(path))

    assert "Record intact: 2 entries" in capsys.readouterr().out


def test_a_tampered_record_names_the_first_broken_entry(process, tmp_path):
    for n in range(3):
        append_entry(process=process, kind="test", payload={"n": n})
    lines = list(export_record(process=process))
    entry = json.loads(lines[1])
    entry["payload"]["n"] = 99
    lines[1] = json.dumps(entry) + "\n"
    path = tmp_path / "record.jsonl"
    path.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(CommandError, match="broken at entry 2"):
        call_command("record", "verify", str(path))


def test_a_removed_entry_is_detected():
    entries = [
        {
            "seq": 1,
            "kind": "a",
            "recorded_at": "x",
            "payload": {},
            "prev_hash": "0" * 64,
            "hash": "",
        },
    ]
    from polyvox.record.chain import entry_hash

    entries[0]["hash"] = entry_hash(entries[0])
    second = {
        "seq": 3,
        "kind": "b",
        "recorded_at": "y",
        "payload": {},
        "prev_hash": entries[0]["hash"],
    }
    second["hash"] = entry_hash(second)

    result = verify_chain([entries[0], second])

    assert (result.ok, result.broken_at) == (False, 2)


def test_record_entries_cannot_be_rewritten(process):
    entry = append_entry(process=process, kind="test", payload={})
    entry.kind = "forged"

    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert RecordEntry.objects.get(pk=entry.pk).kind == "test"


def test_export_of_an_unknown_process_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No process with short name 'nope'"):
        call_command("record", "export", "nope")
