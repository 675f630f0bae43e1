"""Small, pure presentation tags."""

from typing import Any

from django import template
from django.template import Context, Engine
from django.utils.html import format_html
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


@register.simple_tag
def content_attrs(language: str = "") -> SafeString:
    """`<p {% content_attrs input.language %}>`: marks text people wrote with its language and
    `dir="auto"`, so English inside an Arabic page keeps its punctuation on the right side (and
    the reverse), and screen readers pronounce it in its own language. Blank language: `dir` only.
    """
    code = (language or "").strip()
    if code and all(char.isalnum() or char == "-" for char in code) and len(code) <= 16:
        return format_html('lang="{}" dir="auto"', code)
    return mark_safe('dir="auto"')
