"""Template access to the drafts selectors, for pages of other apps (the process page)."""

from django import template
from django.db.models import QuerySet

from polyvox.core.permissions import Actor
from polyvox.drafts.models import Draft
from polyvox.drafts.selectors import drafts_for
from polyvox.processes.models import Process

register = template.Library()


@register.simple_tag
def visible_drafts(process: Process, viewer: Actor | None) -> QuerySet[Draft]:
    """`{% visible_drafts process user as drafts %}`: drafts the viewer may see, versions prefetched."""
    return drafts_for(viewer=viewer, process=process)
