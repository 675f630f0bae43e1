"""Reads of the record; every entry is public by construction."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from polyvox.processes.models import Process
from polyvox.record.chain import canonical_json
from polyvox.record.models import RecordEntry


def public_record(*, process: Process) -> QuerySet[RecordEntry]:
    return RecordEntry.objects.filter(process=process).order_by("id")


def entry_as_dict(entry: RecordEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "recorded_at": entry.recorded_at,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def export_record(*, process: Process) -> Iterator[str]:
    """The record as JSON Lines, one entry per line, verifiable offline."""
    for entry in public_record(process=process).iterator():
        yield canonical_json(entry_as_dict(entry)) + "\n"
