"""Writes of organisations: register, edit, representatives, verification and merging.

Organisations belong to no one process, so their public events go to `OrganisationEvent` (the
history on the organisation's page) rather than to a process record. Every function checks
permission, validates (a `ValidationError` with field keys), writes in one transaction and then
notifies the people concerned; a refusal leaves nothing written.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyvox.core.permissions import is_signed_in, require
from polyvox.notifications.services import notify
from polyvox.organisations.models import (
    OPEN_STATUSES,
    Organisation,
    OrganisationEvent,
    OrganisationEventKind,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)
from polyvox.organisations.permissions import (
    can_manage_organisation,
    can_verify_organisations,
)
from polyvox.organisations.selectors import administrators
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


def _clean_details(
    *, name: str, stakeholder_group: str, country: str, website: str, description: str
) -> dict[str, str]:
    """The details as stored, or a ValidationError naming every field that is wrong."""
    errors: dict[str, str] = {}
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


def _refuse_duplicate_name(name: str, *, exclude: Organisation | None = None) -> None:
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


def _record(
    organisation: Organisation, kind: OrganisationEventKind, actor: User | None, **detail: Any
) -> OrganisationEvent:
    """A public event in the organisation's history (public data only in `detail`)."""
    return OrganisationEvent.objects.create(
        organisation=organisation, kind=kind, actor=actor, detail=detail
    )


def _locked(representative: Representative) -> Representative:
    """The representative row as it is now, locked until the transaction ends."""
    return (
        Representative.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=representative.pk)
    )


def _manage_url(organisation: Organisation) -> str:
    return reverse("organisations:manage", kwargs={"slug": organisation.slug})


def _secretariat() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True))


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
    details = _clean_details(
        name=name,
        stakeholder_group=stakeholder_group,
        country=country,
        website=website,
        description=description,
    )
    _refuse_duplicate_name(details["name"])
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
    _record(organisation, OrganisationEventKind.REGISTERED, actor, name=organisation.name)
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
    details = _clean_details(**{**current, **fields})
    if details["name"].casefold() != collapse_spaces(organisation.name).casefold():
        _refuse_duplicate_name(details["name"], exclude=organisation)
    changed = [field for field in EDITABLE_FIELDS if details[field] != current[field]]
    if not changed:
        return organisation
    for field in changed:
        setattr(organisation, field, details[field])
    organisation.save(update_fields=[*changed, "updated_at"])
    _record(organisation, OrganisationEventKind.EDITED, actor, fields=changed)
    return organisation


@transaction.atomic
def verify_organisation(*, actor: User, organisation: Organisation, verified: bool) -> Organisation:
    """Staff mark an organisation as verified, or withdraw that."""
    require(
        can_verify_organisations(actor),
        _("Only the secretariat may verify organisations."),
    )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.merged_into_id is not None:
        raise ValidationError(_("This organisation was merged into another one."))
    if verified == organisation.is_verified:
        raise ValidationError(
            _("This organisation is already verified.")
            if verified
            else _("This organisation is not verified.")
        )
    organisation.verified_at = timezone.now() if verified else None
    organisation.verified_by = actor if verified else None
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    kind = OrganisationEventKind.VERIFIED if verified else OrganisationEventKind.UNVERIFIED
    _record(organisation, kind, actor)
    notify(
        recipients=administrators(organisation),
        subject=(
            _("%(name)s is now verified by the secretariat")
            if verified
            else _("The secretariat withdrew the verification of %(name)s")
        )
        % {"name": organisation.name},
        body=_("See the organisation's page."),
        url=organisation.get_absolute_url(),
    )
    return organisation


@transaction.atomic
def merge_organisations(
    *, actor: User, duplicate: Organisation, into: Organisation, reason: str
) -> Organisation:
    """Staff merge a duplicate into the organisation that survives.

    The duplicate keeps its row (its page redirects) and everything that points at it (inputs,
    signatures) stays; readers use `organisation_family_ids`. Its approved representatives and
    open requests move to `into` (people already open there are skipped) and its own rows are
    closed as revoked. Returns `into`."""
    require(
        can_verify_organisations(actor),
        _("Only the secretariat may merge organisations."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these organisations are one.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("A reason has at most %(max)d characters.") % {"max": REASON_MAX}}
        )
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("An organisation cannot be merged into itself.")})
    locked = {
        o.pk: o
        for o in Organisation.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if duplicate.merged_into_id is not None:
        raise ValidationError(_("This organisation was already merged into another one."))
    if into.merged_into_id is not None:
        raise ValidationError(
            {
                "into": _(
                    "That organisation was itself merged into another one: choose the one that remains."
                )
            }
        )
    now = timezone.now()
    already_open = set(
        Representative.objects.filter(organisation=into, status__in=OPEN_STATUSES).values_list(
            "user_id", flat=True
        )
    )
    moving = list(
        Representative.objects.select_for_update()
        .filter(organisation=duplicate, status__in=OPEN_STATUSES)
        .order_by("created_at", "id")
    )
    closing_reason = _("Merged into %(name)s.") % {"name": into.name}
    moved = []
    for row in moving:
        if row.user_id not in already_open:
            approved = row.status == RepresentativeStatus.APPROVED
            moved.append(
                Representative(
                    organisation=into,
                    user_id=row.user_id,
                    role=row.role,
                    status=row.status,
                    message=row.message,
                    decided_at=now if approved else None,
                    decided_by=actor if approved else None,
                    reason=(_("Moved from %(name)s when it was merged.") % {"name": duplicate.name})
                    if approved
                    else "",
                )
            )
            already_open.add(row.user_id)
        row.status = RepresentativeStatus.REVOKED
        row.decided_at, row.decided_by, row.reason = now, actor, closing_reason
    Representative.objects.bulk_update(moving, ["status", "decided_at", "decided_by", "reason"])
    Representative.objects.bulk_create(moved)
    duplicate.merged_into, duplicate.merged_at = into, now
    duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
    _record(
        into, OrganisationEventKind.MERGED, actor,
        duplicate=duplicate.name, duplicate_slug=duplicate.slug, reason=reason,
    )  # fmt: skip
    _record(
        duplicate, OrganisationEventKind.MERGED, actor,
        into=into.name, into_slug=into.slug, reason=reason,
    )  # fmt: skip
    notify(
        recipients=administrators(into),
        subject=_("%(duplicate)s was merged into %(name)s")
        % {"duplicate": duplicate.name, "name": into.name},
        body=_("The secretariat merged a duplicate: %(reason)s") % {"reason": reason},
        url=into.get_absolute_url(),
    )
    return into


# Representatives ---------------------------------------------------------------------------------


@transaction.atomic
def request_to_represent(
    *, actor: User, organisation: Organisation, message: str = ""
) -> Representative:
    """Ask an organisation's administrators to let `actor` speak for it. The message is for the
    administrators only."""
    require(is_signed_in(actor), _("Log in to ask to represent an organisation."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.merged_into_id is not None:
        raise ValidationError(
            _("This organisation was merged into another one: ask to represent that one.")
        )
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {"message": _("A message has at most %(max)d characters.") % {"max": MESSAGE_MAX}}
        )
    current = Representative.objects.filter(
        organisation=organisation, user=actor, status__in=OPEN_STATUSES
    ).first()
    if current is not None:
        raise ValidationError(
            _("You already represent %(name)s.") % {"name": organisation.name}
            if current.status == RepresentativeStatus.APPROVED
            else _("Your request to represent %(name)s is waiting for its administrators.")
            % {"name": organisation.name}
        )
    representative = Representative.objects.create(
        organisation=organisation, user=actor, message=message
    )
    # An organisation with no administrator (one created from a profile's free text) is
    # looked after by the secretariat until it has one.
    notify(
        recipients=administrators(organisation) or _secretariat(),
        subject=_("%(person)s asks to represent %(name)s")
        % {"person": str(actor), "name": organisation.name},
        body=message or _("No message."),
        url=_manage_url(organisation),
    )
    return representative


@transaction.atomic
def decide_representative(
    *, actor: User, representative: Representative, approve: bool, reason: str = ""
) -> Representative:
    """The organisation's administrators (or staff) approve or refuse an open request."""
    representative = _locked(representative)
    organisation = representative.organisation
    require(
        can_manage_organisation(actor, organisation),
        _("Only the organisation's administrators may decide who represents it."),
    )
    if representative.status != RepresentativeStatus.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("A reason has at most %(max)d characters.") % {"max": REASON_MAX}}
        )
    representative.status = (
        RepresentativeStatus.APPROVED if approve else RepresentativeStatus.REFUSED
    )
    representative.decided_at, representative.decided_by = timezone.now(), actor
    representative.reason = reason
    representative.save(
        update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"]
    )
    if approve:
        _record(
            organisation, OrganisationEventKind.REPRESENTATIVE_APPROVED, actor,
            name=str(representative.user), role=representative.role,
        )  # fmt: skip
    notify(
        recipients=[representative.user],
        subject=(
            _("You now represent %(name)s")
            if approve
            else _("Your request to represent %(name)s was refused")
        )
        % {"name": organisation.name},
        body=reason,
        url=organisation.get_absolute_url(),
    )
    return representative


@transaction.atomic
def revoke_representative(
    *, actor: User, representative: Representative, reason: str = ""
) -> Representative:
    """Administrators (or staff) revoke a representative, or a person steps down (or withdraws
    their own open request). An organisation is never left without an administrator except by
    staff."""
    representative = _locked(representative)
    organisation = representative.organisation
    is_self = is_signed_in(actor) and representative.user_id == actor.pk
    require(
        is_self or can_manage_organisation(actor, organisation),
        _("Only the organisation's administrators may revoke its representatives."),
    )
    if representative.status not in OPEN_STATUSES:
        raise ValidationError(_("This person no longer represents the organisation."))
    if representative.status == RepresentativeStatus.REQUESTED and not is_self:
        raise ValidationError(_("Refuse a request instead of revoking it."))
    reason = (reason or "").strip()
    if not reason and not is_self:
        raise ValidationError({"reason": _("Give the reason, which is sent to the person.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("A reason has at most %(max)d characters.") % {"max": REASON_MAX}}
        )
    was_approved = representative.status == RepresentativeStatus.APPROVED
    if (
        was_approved
        and representative.role == RepresentativeRole.ADMINISTRATOR
        and not can_verify_organisations(actor)
    ):
        admins = Representative.objects.select_for_update().filter(
            organisation=organisation,
            role=RepresentativeRole.ADMINISTRATOR,
            status=RepresentativeStatus.APPROVED,
        )
        if len(admins) <= 1:
            raise ValidationError(
                _(
                    "%(name)s would be left without an administrator: make someone else an "
                    "administrator first."
                )
                % {"name": organisation.name}
            )
    representative.status = RepresentativeStatus.REVOKED
    representative.decided_at, representative.decided_by = timezone.now(), actor
    representative.reason = reason
    representative.save(
        update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"]
    )
    if was_approved:
        _record(
            organisation, OrganisationEventKind.REPRESENTATIVE_REVOKED, actor,
            name=str(representative.user), role=representative.role, stepped_down=is_self,
        )  # fmt: skip
    if not is_self:
        notify(
            recipients=[representative.user],
            subject=_("You no longer represent %(name)s") % {"name": organisation.name},
            body=reason,
            url=organisation.get_absolute_url(),
        )
    return representative


@transaction.atomic
def make_administrator(*, actor: User, representative: Representative) -> Representative:
    """Administrators (or staff) make an approved representative an administrator too."""
    representative = _locked(representative)
    organisation = representative.organisation
    require(
        can_manage_organisation(actor, organisation),
        _("Only the organisation's administrators may appoint administrators."),
    )
    if representative.status != RepresentativeStatus.APPROVED:
        raise ValidationError(_("Only an approved representative can become an administrator."))
    if representative.role == RepresentativeRole.ADMINISTRATOR:
        raise ValidationError(_("This person is already an administrator."))
    representative.role = RepresentativeRole.ADMINISTRATOR
    representative.save(update_fields=["role", "updated_at"])
    _record(
        organisation, OrganisationEventKind.REPRESENTATIVE_APPROVED, actor,
        name=str(representative.user), role=representative.role,
    )  # fmt: skip
    notify(
        recipients=[representative.user],
        subject=_("You are now an administrator of %(name)s") % {"name": organisation.name},
        body=_("You may now approve and revoke its representatives and edit its details."),
        url=_manage_url(organisation),
    )
    return representative
