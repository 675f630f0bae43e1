"""Small, pure presentation tags."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from polyvox.core.text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown as sanitised HTML."""
    return mark_safe(render_markdown(text or ""))  # nh3-sanitised in render_markdown
