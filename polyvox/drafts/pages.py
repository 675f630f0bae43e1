"""What other apps add to a draft version's page (see `polyvox.core.sections`).

`VERSION_PAGE` sections get `process` and `version` and show under the version's navigation
(contributions links the version's feedback report). `SECTION_PANELS` show inside every section of
the text (contributions shows the threads on the section and the form to comment on it).

A panel's context builder is called once per page and returns the context of each section, so
what it reads for the whole version (every thread) is read once, not once per section.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from polyvox.core.sections import OrderedRegistry, Panel, SectionRegistry
from polyvox.drafts.models import Section

VERSION_PAGE = SectionRegistry("version")

# Given the page's objects, once per page: the context of one section's panel (None: no panel).
PanelBuilder = Callable[..., Callable[[Section], dict[str, Any] | None]]


@dataclass(frozen=True)
class SectionPanel:
    key: str
    order: int
    template: str
    context: PanelBuilder


class SectionPanels(OrderedRegistry[SectionPanel]):
    """The panels registered for every section of a version page, shown in `order`."""

    def build(
        self, request: HttpRequest, sections: Sequence[Section], **objects: Any
    ) -> dict[int, list[Panel]]:
        """Section id → its panels. Each builder runs once, whatever the number of sections."""
        panels: dict[int, list[Panel]] = {section.pk: [] for section in sections}
        for panel in self.ordered():
            context_of = panel.context(request=request, **objects)
            for section in sections:
                context = context_of(section)
                if context is not None:
                    panels[section.pk].append(Panel(panel.template, context))
        return panels


SECTION_PANELS = SectionPanels()
