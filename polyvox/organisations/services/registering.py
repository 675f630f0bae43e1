"""Register an organisation (its registrant becomes its administrator) and edit its details."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import is_signed_in, require
from polyvox.organisations.models import (
    Organisation,
    OrganisationEventKind,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)
from polyvox.organisations.permissions import (
    can_manage_organisation,
)
from polyvox.organisations.services.rules import (
    EDITABLE_FIELDS,
    clean_details,
    collapse_spaces,
    record_event,
    refuse_duplicate_name,
    unique_slug,
)
from polyvox.participants.models import User

# Organisations -----------------------------------------------------------------------------------


@transaction.atomic
def register_organisation(
    *,
    actor: User,
    name: str,
    stakeholder_group: str,
    country: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    """Register an organisation; `actor` becomes its approved administrator. Unverified until
    staff verify it."""
    require(is_signed_in(actor), _("Log in to register an organisation."))
    details = clean_details(
        name=name,
        stakeholder_group=stakeholder_group,
        country=country,
        website=website,
        description=description,
    )
    refuse_duplicate_name(details["name"])
    organisation = Organisation.objects.create(
        slug=unique_slug(details["name"]), registered_by=actor, **details
    )
    Representative.objects.create(
        organisation=organisation,
        user=actor,
        role=RepresentativeRole.ADMINISTRATOR,
        status=RepresentativeStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    record_event(organisation, OrganisationEventKind.REGISTERED, actor, name=organisation.name)
    return organisation


@transaction.atomic
def edit_organisation(*, actor: User, organisation: Organisation, **fields: str) -> Organisation:
    """Change its name, stakeholder group, country, website or description (administrators or
    staff). The slug, and so every link to it, stays."""
    require(
        can_manage_organisation(actor, organisation),
        _("Only the organisation's administrators may edit its details."),
    )
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({field: _("This detail cannot be edited.") for field in unknown})
    current = {field: str(getattr(organisation, field)) for field in EDITABLE_FIELDS}
    details = clean_details(**{**current, **fields})
    if details["name"].casefold() != collapse_spaces(organisation.name).casefold():
        refuse_duplicate_name(details["name"], exclude=organisation)
    changed = [field for field in EDITABLE_FIELDS if details[field] != current[field]]
    if not changed:
        return organisation
    for field in changed:
        setattr(organisation, field, details[field])
    organisation.save(update_fields=[*changed, "updated_at"])
    record_event(organisation, OrganisationEventKind.EDITED, actor, fields=changed)
    return organisation
