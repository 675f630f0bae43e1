"""Small, pure presentation tags."""

from typing import Any

from django import template
from django.template import Context, Engine
from django.utils.safestring import SafeString, mark_safe

from polyvox.core.text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown as sanitised HTML."""
    return mark_safe(render_markdown(text or ""))  # nh3-sanitised in render_markdown


@register.simple_tag(takes_context=True)
def include_with(context: Context, template_name: str, values: dict[str, Any]) -> SafeString:
    """`{% include_with name values %}`: like `{% include name %}`, with a dict added to the context.

    For the panels other apps add to a page (`polyvox.core.sections`): it renders inside the page's own
    context, so the context processors (and their queries) do not run again for each panel."""
    engine = context.template.engine if context.template is not None else Engine.get_default()
    included = engine.get_template(template_name)
    with context.push(values):
        return SafeString(included.render(context))
