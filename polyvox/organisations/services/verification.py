"""Staff verify organisations and merge duplicates (the duplicate's row and history are kept)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.notifications.services import notify
from polyvox.organisations.models import (
    OPEN_STATUSES,
    Organisation,
    OrganisationEventKind,
    Representative,
    RepresentativeStatus,
)
from polyvox.organisations.permissions import (
    can_verify_organisations,
)
from polyvox.organisations.selectors import administrators
from polyvox.organisations.services.rules import REASON_MAX, clean_note, record_event
from polyvox.participants.models import User


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
    record_event(organisation, kind, actor)
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
    reason = clean_note(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise ValidationError({"reason": _("Say why these organisations are one.")})
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
    record_event(
        into, OrganisationEventKind.MERGED, actor,
        duplicate=duplicate.name, duplicate_slug=duplicate.slug, reason=reason,
    )  # fmt: skip
    record_event(
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
