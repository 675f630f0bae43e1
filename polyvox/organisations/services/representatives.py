"""Who speaks for an organisation: requests, its administrators' decisions, revocation, promotion."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import is_signed_in, require
from polyvox.notifications.services import notify
from polyvox.organisations.models import (
    OPEN_STATUSES,
    Organisation,
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
from polyvox.organisations.services.rules import (
    MESSAGE_MAX,
    REASON_MAX,
    clean_note,
    locked_representative,
    manage_url,
    record_event,
    secretariat,
)
from polyvox.participants.models import User

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
    message = clean_note(message, field="message", limit=MESSAGE_MAX)
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
        recipients=administrators(organisation) or secretariat(),
        subject=_("%(person)s asks to represent %(name)s")
        % {"person": str(actor), "name": organisation.name},
        body=message or _("No message."),
        url=manage_url(organisation),
    )
    return representative


@transaction.atomic
def decide_representative(
    *, actor: User, representative: Representative, approve: bool, reason: str = ""
) -> Representative:
    """The organisation's administrators (or staff) approve or refuse an open request."""
    representative = locked_representative(representative)
    organisation = representative.organisation
    require(
        can_manage_organisation(actor, organisation),
        _("Only the organisation's administrators may decide who represents it."),
    )
    if representative.status != RepresentativeStatus.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    reason = clean_note(reason, field="reason", limit=REASON_MAX)
    representative.status = (
        RepresentativeStatus.APPROVED if approve else RepresentativeStatus.REFUSED
    )
    representative.decided_at, representative.decided_by = timezone.now(), actor
    representative.reason = reason
    representative.save(
        update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"]
    )
    if approve:
        record_event(
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
    representative = locked_representative(representative)
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
    reason = clean_note(reason, field="reason", limit=REASON_MAX)
    if not reason and not is_self:
        raise ValidationError({"reason": _("Give the reason, which is sent to the person.")})
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
        record_event(
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
    representative = locked_representative(representative)
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
    record_event(
        organisation, OrganisationEventKind.REPRESENTATIVE_APPROVED, actor,
        name=str(representative.user), role=representative.role,
    )  # fmt: skip
    notify(
        recipients=[representative.user],
        subject=_("You are now an administrator of %(name)s") % {"name": organisation.name},
        body=_("You may now approve and revoke its representatives and edit its details."),
        url=manage_url(organisation),
    )
    return representative
