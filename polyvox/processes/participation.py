"""Who takes part in a process, as the apps above processes count it.

A process's participants are its members plus whoever contributed or voted; contributions and
statements live above processes, so each registers how to find its participants in its
`AppConfig.ready()` instead of processes naming their tables (`process_participants` reads them).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from polyvox.processes.models import Process

# A source returns a query of user ids (`.values("author_id")`): combined in one SQL query.
ParticipantSource = Callable[[Process], QuerySet[Any]]

_sources: dict[str, ParticipantSource] = {}


def register_participant_source(key: str, source: ParticipantSource) -> None:
    """Called from an app's ready(); `key` names the source (registering twice replaces it)."""
    _sources[key] = source


def participant_sources() -> list[ParticipantSource]:
    return [_sources[key] for key in sorted(_sources)]


# Why `actor` may not take part in `process` at `now`, or "" — filled from above: moderation
# registers its restrictions (an author restricted until a date cannot contribute, vote or flag).
ParticipationCheck = Callable[[Any, Process, datetime], str]

_checks: dict[str, ParticipationCheck] = {}


def register_participation_check(key: str, check: ParticipationCheck) -> None:
    """Called from an app's ready(); `participation_window` refuses with the first reason given."""
    _checks[key] = check


def participation_refusal(actor: Any, process: Process, now: datetime) -> str:
    for key in sorted(_checks):
        reason = _checks[key](actor, process, now)
        if reason:
            return reason
    return ""
