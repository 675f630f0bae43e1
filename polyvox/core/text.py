"""User text: Markdown rendered with markdown-it, then sanitised by nh3 (one vetted sanitiser)."""

import re
import unicodedata

import nh3
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
