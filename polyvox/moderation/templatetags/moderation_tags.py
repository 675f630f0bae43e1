"""The label of a moderation action kind (`{% load moderation_tags %}`)."""

from django import template

from polyvox.moderation.models import ActionKind

register = template.Library()


@register.filter
def action_label(kind: str) -> str:
    try:
        return str(ActionKind(kind).label)
    except ValueError:
        return kind
