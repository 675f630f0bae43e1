"""How processes puts its events on the public record without importing it.

The record sits above processes (each entry belongs to a process), so processes cannot call
`record.services.append_entry` directly. The record app connects its writer here in its
`AppConfig.ready()`; processes' services call `publish`, in their own transaction. Without a
connected record, `publish` refuses rather than let a public event go unrecorded.
"""

from collections.abc import Callable
from typing import Any

from polyvox.processes.models import Process

RecordWriter = Callable[..., object]

_writer: list[RecordWriter] = []


def connect_record(writer: RecordWriter) -> None:
    """Called once by the record app: `writer(process=…, kind=…, payload=…)` appends an entry."""
    _writer[:] = [writer]


def publish(*, process: Process, kind: str, payload: dict[str, Any]) -> None:
    """Append a public event about `process` to its record (public data only)."""
    if not _writer:
        raise RuntimeError("No record is connected: add polyvox.record to INSTALLED_APPS.")
    _writer[0](process=process, kind=kind, payload=payload)
