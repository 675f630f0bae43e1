"""User text: Markdown rendered with markdown-it, then sanitised by nh3 (one vetted sanitiser);
the checks every service makes of text before storing it."""

import re
import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown → safe HTML; links get rel=nofollow noopener."""
    html = _markdown.render(text)
    return nh3.clean(html, tags=_ALLOWED_TAGS, link_rel="nofollow noopener noreferrer")


def normalize_whitespace(text: str) -> str:
    """NFC, unified newlines, trailing spaces trimmed; keeps paragraphs intact."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def refuse_nul(value: str, field: str) -> None:
    """PostgreSQL cannot store U+0000 in text: refuse it with a clear message, not a 500."""
    if "\x00" in value:
        raise ValidationError({field: _("The text contains a NUL character (U+0000).")})
