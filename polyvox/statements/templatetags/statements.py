"""Presentation helpers for opinion maps: group colours and labels."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


@register.filter
def group_colour(group: int) -> str:
    return GROUP_COLOURS[int(group) % len(GROUP_COLOURS)]


@register.filter
def group_name(group: int) -> str:
    """Groups are named by letter, as Pol.is does: A, B, C…"""
    return _("Group %(letter)s") % {"letter": chr(ord("A") + int(group))}


@register.filter
def percent(value: float) -> int:
    return round(100 * float(value))


@register.filter
def get_item(mapping: dict[int, int], key: int) -> int | None:
    return mapping.get(key)
