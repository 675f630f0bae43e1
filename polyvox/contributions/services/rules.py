"""The rules every way in applies to a contribution: text cleaning, limits, numbering.

The service (`submit_contribution`) and the fast bulk import (`campaigns.importing`) both call
these, so a text accepted or refused by one is accepted or refused by the other (property-tested).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.core.text import normalize_whitespace, refuse_invisible_only, refuse_nul

MAX_BODY_CHARS = 20_000
MAX_TITLE_CHARS = 200
MAX_AUTHOR_NAME_CHARS = Contribution._meta.get_field("author_name").max_length or 0
MAX_ORGANISATION_CHARS = Contribution._meta.get_field("organisation").max_length or 0


def clean_body(body: str) -> str:
    """The text as stored: NFC, unified newlines, trimmed; refused when empty or too long."""
    text = normalize_whitespace(body or "")
    refuse_nul(text, "body")
    refuse_invisible_only(text, "body")
    if not text:
        raise ValidationError({"body": _("Write something before sending.")})
    if len(text) > MAX_BODY_CHARS:
        raise ValidationError(
            {
                "body": _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": MAX_BODY_CHARS, "count": len(text)}
            }
        )
    return text


def _one_line(value: str, *, field: str, limit: int, message: str) -> str:
    text = " ".join((value or "").split())
    refuse_nul(text, field)
    refuse_invisible_only(text, field)
    if len(text) > limit:
        raise ValidationError({field: message % limit})
    return text


def clean_title(title: str) -> str:
    return _one_line(
        title,
        field="title",
        limit=MAX_TITLE_CHARS,
        message=_("Keep the title under %d characters."),
    )


def clean_author_name(name: str) -> str:
    """A byline as published (imports name their authors; the web form takes the profile's)."""
    return _one_line(
        name,
        field="author_name",
        limit=MAX_AUTHOR_NAME_CHARS,
        message=_("The author name is longer than %d characters."),
    )


def clean_organisation(name: str) -> str:
    return _one_line(
        name,
        field="organisation",
        limit=MAX_ORGANISATION_CHARS,
        message=_("The organisation is longer than %d characters."),
    )


def format_tracking_number(process_id: int, sequence: int) -> str:
    """`PVX-{process}-{n:05d}`: the number a receipt, the record and the feedback report cite.

    `sequence` is the contribution's primary key: numbers are unique and increase with time,
    with gaps (other processes' inputs, rolled-back transactions), and need no count or lock."""
    return f"PVX-{process_id}-{sequence:05d}"


def body_digest(body: str) -> str:
    """SHA-256 of the text: the record proves what was said without republishing it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
