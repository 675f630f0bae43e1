"""Presentation helpers for contributions: translated labels, section links, bylines."""

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.translation import get_language_info

from polyvox.contributions import bylines
from polyvox.contributions.models import Contribution, Outcome
from polyvox.contributions.permissions import can_see_workbench
from polyvox.drafts.models import Section
from polyvox.participants.models import StakeholderGroup

register = template.Library()


@register.filter
def stakeholder_group_label(value: str) -> str:
    """The translated label of a stored stakeholder group value."""
    return str(dict(StakeholderGroup.choices).get(value, value))


@register.filter
def language_name(code: str) -> str:
    """A language code named in the page's language ("fr" → "French" in an English page); an
    unknown code stays as it is."""
    try:
        return str(get_language_info(code)["name_translated"]) if code else ""
    except KeyError:
        return code


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


@register.filter
def public_name(author_name: str) -> str:
    """A stored public byline as pages show it ("Anonymous participant" translated)."""
    return bylines.public_name(author_name)


@register.simple_tag(takes_context=True)
def verified_identity(context: template.Context, contribution: Contribution) -> dict[str, Any]:
    """The verified account behind an input, for the process's workbench members; {} for anyone
    else, so a template shared with public pages cannot show it by mistake."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if not can_see_workbench(viewer, contribution.process):
        return {}
    return bylines.secretariat_identity(contribution)


@register.filter
def verified_name(contribution: Contribution) -> str:
    """ "Display name (@username)" of an input's account: for the workbench's rows only (its
    view lets workbench members alone in); everywhere else use `verified_identity`."""
    identity = bylines.secretariat_identity(contribution)
    return f"{identity['display_name']} (@{identity['username']})"
