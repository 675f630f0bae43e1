"""The one way to write the record: append_entry, called by every service that publishes.

Appending takes no lock and counts nothing: the entry is stored pending (index None) and the
integrator (`integrate_pending`, run by `polyvox worker`) takes it into the tree.
"""

from typing import Any

from django.utils import timezone

from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry


def append_entry(*, process: Process, kind: str, payload: dict[str, Any]) -> RecordEntry:
    """Append one public event. `payload` must hold public data only: it is published as is."""
    recorded_at = timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return RecordEntry.objects.create(
        process=process, kind=kind, recorded_at=recorded_at, payload=payload
    )
