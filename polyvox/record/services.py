"""The one way to write the record: append_entry, called by every service that publishes."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from polyvox.processes.models import Process
from polyvox.record.chain import GENESIS, entry_hash
from polyvox.record.models import RecordEntry


@transaction.atomic
def append_entry(*, process: Process, kind: str, payload: dict[str, Any]) -> RecordEntry:
    """Append one public event. `payload` must hold public data only: it is published as is."""
    # Lock the process row so concurrent appends to one chain serialise (PostgreSQL);
    # SQLite's IMMEDIATE transactions already serialise writers.
    Process.objects.select_for_update().filter(pk=process.pk).first()
    last = RecordEntry.objects.filter(process=process).order_by("-seq").first()
    entry = {
        "seq": (last.seq + 1) if last else 1,
        "kind": kind,
        "recorded_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "payload": payload,
        "prev_hash": last.hash if last else GENESIS,
    }
    return RecordEntry.objects.create(process=process, hash=entry_hash(entry), **entry)
