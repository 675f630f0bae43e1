"""Who takes part in a process, as the apps above processes count it.

A process's participants are its members plus whoever contributed or voted; contributions and
statements live above processes, so each registers how to find its participants in its
`AppConfig.ready()` instead of processes naming their tables (`process_participants` reads them).
"""

from collections.abc import Callable
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
