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


# C0 and C1 controls but tab, newline and carriage return; lone surrogates; noncharacters.
_NONCHARACTERS = "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
_UNSTORABLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
# Characters that take no room and show nothing: format controls (zero-width spaces and joiners,
# word joiner, BOM, bidi marks and embeddings), the Hangul and Braille blanks, variation selectors.
_BLANK = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def refuse_unstorable(value: str, field: str) -> None:
    """Refuse text a database cannot store or a reader cannot see as text: NUL and other control
    characters (tab, newline and carriage return are text), lone surrogates (not Unicode; UTF-8
    cannot encode them) and noncharacters (U+FDD0 to U+FDEF, U+xFFFE, U+xFFFF)."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return
    char = found.group()
    position = found.start() + 1
    if char == "\x00":
        message = _("The text contains a NUL character (U+0000).")
    elif "\ud800" <= char <= "\udfff":
        message = _(
            "The text contains a lone surrogate (%(char)s) at position %(position)d: "
            "it is not valid Unicode."
        )
    elif unicodedata.category(char) == "Cc":
        message = _("The text contains a control character (%(char)s) at position %(position)d.")
    else:
        message = _("The text contains a Unicode noncharacter (%(char)s) at position %(position)d.")
    raise ValidationError(
        {field: message % {"char": f"U+{ord(char):04X}", "position": position}}, code="unstorable"
    )


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return (
        char.isspace()
        or category in ("Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cc")
        or char in _BLANK
        or "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
    )


def refuse_invisible_only(value: str, field: str) -> None:
    """Refuse text that has characters but none a reader can see: only spaces, zero-width
    characters (U+200B to U+200D, U+2060, U+FEFF), bidi marks, combining marks and the like. Empty
    text is left to the field's own "required" rule."""
    if value and all(_invisible(char) for char in value):
        raise ValidationError(
            {field: _("The text has no visible characters (only spaces or invisible characters).")},
            code="invisible",
        )


def refuse_nul(value: str, field: str) -> None:
    """The old name: every check of refuse_unstorable (NUL was the first one)."""
    refuse_unstorable(value, field)


def refuse_too_long(value: str, field: str, limit: int) -> None:
    """Refuse, never cut, text longer than the field holds."""
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("The text is too long: %(length)d characters, at most %(limit)d allowed.")
                % {"length": len(value), "limit": limit}
            },
            code="too_long",
        )
