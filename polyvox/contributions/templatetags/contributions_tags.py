"""Presentation helpers for contributions: translated labels and section links (no reads)."""

from django import template
from django.urls import NoReverseMatch

from polyvox.contributions.models import Outcome
from polyvox.drafts.models import Section
from polyvox.participants.models import StakeholderGroup

register = template.Library()


@register.filter
def stakeholder_group_label(value: str) -> str:
    """The translated label of a stored stakeholder group value."""
    return str(dict(StakeholderGroup.choices).get(value, value))


@register.filter
def outcome_label(value: str) -> str:
    return str(dict(Outcome.choices).get(value, value))


@register.simple_tag
def section_url(section: Section) -> str:
    """Link to a section on its version page, or "" while the drafts pages are not mounted."""
    try:
        return section.get_absolute_url()
    except NoReverseMatch:
        return ""
