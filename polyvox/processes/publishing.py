"""How processes records its events and notifies people without importing the apps above it.

The record sits above processes (each entry belongs to a process), so processes cannot call
`record.services.append_entry` directly. The record app connects its writer here in its
`AppConfig.ready()`; processes' services call `publish`, in their own transaction. Without a
connected record, `publish` refuses rather than let a public event go unrecorded.
"""

from collections.abc import Callable, Iterable
from typing import Any

from polyvox.participants.models import User
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


# Notifications sit above processes too: the notifications app connects its sender here.
Notifier = Callable[..., object]

_notifier: list[Notifier] = []


def connect_notifier(notifier: Notifier) -> None:
    """Called once by the notifications app: `notifier(recipients=…, compose=…, url=…)`."""
    _notifier[:] = [notifier]


# (subject, body) in the language given, composed with that language active.
Compose = Callable[[str], tuple[str, str]]


def notify_people(*, recipients: Iterable[User], compose: Compose, url: str = "") -> None:
    """Tell `recipients` (in the app and by e-mail after commit) about a change to a process,
    each in their own language: `compose(language)` gives the text in that language."""
    if not _notifier:
        raise RuntimeError("No notifier is connected: add polyvox.notifications to INSTALLED_APPS.")
    _notifier[0](recipients=recipients, compose=compose, url=url)


# ...and it circulates what a process publishes (a phase opening) to every follower and
# participant: the notifications app connects `circulation.circulate` here.
Circulator = Callable[..., object]

_circulator: list[Circulator] = []


def connect_circulator(circulator: Circulator) -> None:
    """Called once by the notifications app: `circulator(process=…, kind=…, compose=…, url=…)`
    reaches everyone following or taking part in the process."""
    _circulator[:] = [circulator]


def circulate_to_all(*, process: Process, kind: str, compose: Compose, url: str) -> None:
    """Tell everyone following or taking part in `process` (public text only), each in their
    own language: `compose(language)` is run for every site language, with it active."""
    if not _circulator:
        raise RuntimeError(
            "No circulator is connected: add polyvox.notifications to INSTALLED_APPS."
        )
    _circulator[0](process=process, kind=kind, compose=compose, url=url)
