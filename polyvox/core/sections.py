"""Pages assembled from sections that the apps above fill in.

A lower app's page (a contribution, a process) may show what a higher app knows (its campaign,
its statements) without importing it: the page owns a `SectionRegistry`, each higher app
registers a `PageSection` in its `AppConfig.ready()`, and the view builds what is registered.
The context builders call that app's selectors and permissions; templates only present. The page
includes each `Panel` in its own context (`{% include_with panel.template panel.context %}`), so
the context processors, and their queries, run once per page rather than once per section.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.http import HttpRequest

# Builds a section's template context from the page's own objects; None: nothing to show.
ContextBuilder = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class PageSection:
    key: str
    order: int
    template: str
    context: ContextBuilder


@dataclass(frozen=True)
class Panel:
    """One section of one page, ready for `{% include_with panel.template panel.context %}`."""

    template: str
    context: dict[str, Any]


class _Entry(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def order(self) -> int: ...


EntryT = TypeVar("EntryT", bound=_Entry)


class OrderedRegistry(Generic[EntryT]):
    """Entries that apps register by key from `ready()`, read in `order` (then key)."""

    def __init__(self) -> None:
        self._entries: dict[str, EntryT] = {}

    def register(self, entry: EntryT) -> None:
        """Called from an app's ready(); registering a key again replaces it."""
        self._entries[entry.key] = entry

    def keys(self) -> list[str]:
        return [entry.key for entry in self.ordered()]

    def ordered(self) -> list[EntryT]:
        return sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key))


class SectionRegistry(OrderedRegistry[PageSection]):
    """The sections of one kind of page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page

    def build(self, request: HttpRequest, **objects: Any) -> list[Panel]:
        """The panels to show for `request`, given the page's `objects`, in order."""
        panels = []
        for section in self.ordered():
            context = section.context(request=request, **objects)
            if context is not None:
                panels.append(Panel(section.template, context))
        return panels
