"""What every organisation write shares: validation of details, unique slugs, the history."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyvox.core.text import refuse_nul
from polyvox.organisations.models import (
    Organisation,
    OrganisationEvent,
    OrganisationEventKind,
    Representative,
)
from polyvox.participants.models import StakeholderGroup, User
from polyvox.participants.regions import is_known_country

NAME_MAX = 200
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 2000
REASON_MAX = 2000
SLUG_BASE_MAX = 70  # leaves room for "-N" in the 80-character slug
# Page addresses under /organisations/ that are not organisations.
RESERVED_SLUGS = frozenset({"register", "mine"})
EDITABLE_FIELDS = ("name", "stakeholder_group", "country", "website", "description")


# Validation --------------------------------------------------------------------------------------


def collapse_spaces(text: str) -> str:
    return " ".join((text or "").split())


def clean_note(value: str | None, *, field: str, limit: int) -> str:
    """A request message or a reason as stored: trimmed, without NUL, at most `limit` long."""
    text = (value or "").strip()
    refuse_nul(text, field)
    if len(text) > limit:
        too_long = (
            _("A message has at most %(max)d characters.")
            if field == "message"
            else _("A reason has at most %(max)d characters.")
        )
        raise ValidationError({field: too_long % {"max": limit}})
    return text


def clean_details(
    *, name: str, stakeholder_group: str, country: str, website: str, description: str
) -> dict[str, str]:
    """The details as stored, or a ValidationError naming every field that is wrong."""
    errors: dict[str, str] = {}
    for field, value in (("name", name), ("website", website), ("description", description)):
        refuse_nul(value or "", field)
    name = collapse_spaces(name)
    if not name:
        errors["name"] = _("Give the organisation's name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("A name has at most %(max)d characters.") % {"max": NAME_MAX}
    if stakeholder_group not in StakeholderGroup.values:
        errors["stakeholder_group"] = _("Choose one of the stakeholder groups.")
    country = (country or "").strip().upper()
    if country and not is_known_country(country):
        errors["country"] = _("Choose a country or area from the UN M49 list.")
    website = (website or "").strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors["website"] = _("Give a web address starting with http:// or https://.")
        else:
            if len(website) > 200:
                errors["website"] = _("A web address has at most 200 characters.")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("A description has at most %(max)d characters.") % {
            "max": DESCRIPTION_MAX
        }
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "stakeholder_group": stakeholder_group,
        "country": country,
        "website": website,
        "description": description,
    }


def refuse_duplicate_name(name: str, *, exclude: Organisation | None = None) -> None:
    """An active organisation already has this name (case-insensitive, spaces collapsed)."""
    same = Organisation.objects.active().filter(name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    # Names are stored with spaces collapsed; iexact folds case in the database.
    existing = same.first()
    if existing is not None:
        raise ValidationError(
            {
                "name": _(
                    "“%(name)s” is already registered (%(url)s): ask to represent it instead."
                )
                % {"name": existing.name, "url": existing.get_absolute_url()}
            }
        )


def unique_slug(name: str) -> str:
    """A slug from the name, unused so far: "rhizomatica", then "rhizomatica-2", "-3"…"""
    base = slugify(name)[:SLUG_BASE_MAX].strip("-") or "organisation"
    taken = RESERVED_SLUGS | set(
        Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def record_event(
    organisation: Organisation, kind: OrganisationEventKind, actor: User | None, **detail: Any
) -> OrganisationEvent:
    """A public event in the organisation's history (public data only in `detail`)."""
    return OrganisationEvent.objects.create(
        organisation=organisation, kind=kind, actor=actor, detail=detail
    )


def locked_representative(representative: Representative) -> Representative:
    """The representative row as it is now, locked until the transaction ends."""
    return (
        Representative.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=representative.pk)
    )


def manage_url(organisation: Organisation) -> str:
    return reverse("organisations:manage", kwargs={"slug": organisation.slug})


def secretariat() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True))
