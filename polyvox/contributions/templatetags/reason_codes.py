"""The label of a moderation reason code, for tombstones (`{% load reason_codes %}`)."""

from django import template

from polyvox.core.moderation import ReasonCode

register = template.Library()


@register.filter
def reason_label(code: str) -> str:
    """ "spam" → "Spam or advertising"; an unknown or empty code shows as is."""
    try:
        return str(ReasonCode(code).label)
    except ValueError:
        return code
