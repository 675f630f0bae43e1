"""Links that apps above statements add to each statement of the statements list.

Statements cannot name the apps above them (moderation's "Flag", for instance): each registers a
link in its `AppConfig.ready()` with `register_statement_link`, and the list view asks
`links_for` for every statement it shows. A link's `url_for(process, statement, viewer)` is
called once per statement on the page, so it must not query the database: decide from the
process, the statement's own fields and the viewer.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from polyvox.processes.models import Process
from polyvox.statements.models import Statement

# (process, statement, viewer) → the link's address, or None when this viewer gets no such link.
UrlFor = Callable[[Process, Statement, Any], str | None]


@dataclass(frozen=True)
class StatementLink:
    """One link shown beside a statement: its visible label and its address."""

    label: str
    url: str


@dataclass(frozen=True)
class _Registration:
    label: str | Promise
    url_for: UrlFor


_links: dict[str, _Registration] = {}


def register_statement_link(key: str, label: str | Promise, url_for: UrlFor) -> None:
    """Called from an app's ready(); `key` names the link (registering twice replaces it).
    `label` is translatable (gettext_lazy) and is translated when the page is built."""
    _links[key] = _Registration(label, url_for)


def links_for(process: Process, statement: Statement, viewer: Any) -> list[StatementLink]:
    """The links `viewer` gets beside `statement`, in the order of their keys."""
    found = []
    for key in sorted(_links):
        registration = _links[key]
        url = registration.url_for(process, statement, viewer)
        if url:
            found.append(StatementLink(str(registration.label), url))
    return found


def links_by_statement(
    process: Process, statements: Iterable[Statement], viewer: Any
) -> dict[int, list[StatementLink]]:
    """Statement id → its links, for a page of `process`'s statements (no query of its own)."""
    return {statement.pk: links_for(process, statement, viewer) for statement in statements}
