"""Pages assembled from sections that the apps above fill in.

A lower app's page (a contribution, a process) may show what a higher app knows (its campaign,
its statements) without importing it: the page owns a `SectionRegistry`, each higher app
registers a `PageSection` in its `AppConfig.ready()`, and the view renders what is registered.
The context builders call that app's selectors and permissions; templates only present.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# Builds a section's template context from the page's own objects; None: nothing to show.
ContextBuilder = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class PageSection:
    key: str
    order: int
    template: str
    context: ContextBuilder


class SectionRegistry:
    """The sections of one kind of page, rendered in `order`."""

    def __init__(self, page: str) -> None:
        self.page = page
        self._sections: dict[str, PageSection] = {}

    def register(self, section: PageSection) -> None:
        """Called from an app's ready(); registering a key again replaces it."""
        self._sections[section.key] = section

    def keys(self) -> list[str]:
        return [s.key for s in self._ordered()]

    def render(self, request: HttpRequest, **objects: Any) -> list[SafeString]:
        """Each registered section rendered for `request`, given the page's `objects`."""
        rendered = []
        for section in self._ordered():
            context = section.context(request=request, **objects)
            if context is not None:
                rendered.append(render_to_string(section.template, context, request))
        return rendered

    def _ordered(self) -> list[PageSection]:
        return sorted(self._sections.values(), key=lambda s: (s.order, s.key))
