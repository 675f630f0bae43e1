"""Who may speak for, manage, verify and merge organisations: decided here, on the server."""

from django.db.models import QuerySet

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.organisations.models import (
    Organisation,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)


def represented_by(actor: Actor | None) -> QuerySet[Organisation]:
    """The (unmerged) organisations `actor` is an approved representative of, by name."""
    if not is_signed_in(actor):
        return Organisation.objects.none()
    return Organisation.objects.active().filter(
        representatives__user_id=actor.pk,
        representatives__status=RepresentativeStatus.APPROVED,
    )


def can_speak_for(actor: Actor | None, organisation: Organisation) -> bool:
    """Approved representatives (administrators included) sign and post on its behalf."""
    if not is_signed_in(actor) or organisation.merged_into_id is not None:
        return False
    return Representative.objects.filter(
        organisation=organisation, user_id=actor.pk, status=RepresentativeStatus.APPROVED
    ).exists()


def can_administer(actor: Actor | None, organisation: Organisation) -> bool:
    """Its approved administrators decide who represents it and edit its details."""
    if not is_signed_in(actor) or organisation.merged_into_id is not None:
        return False
    return Representative.objects.filter(
        organisation=organisation,
        user_id=actor.pk,
        role=RepresentativeRole.ADMINISTRATOR,
        status=RepresentativeStatus.APPROVED,
    ).exists()


def can_verify_organisations(actor: Actor | None) -> bool:
    """Staff (the site's secretariat) verify organisations and merge duplicates."""
    return is_signed_in(actor) and bool(getattr(actor, "is_staff", False))


def can_manage_organisation(actor: Actor | None, organisation: Organisation) -> bool:
    """Its administrators, or staff: decide requests, revoke, promote, edit details."""
    return can_administer(actor, organisation) or (
        can_verify_organisations(actor) and organisation.merged_into_id is None
    )


def can_request_to_represent(actor: Actor | None, organisation: Organisation) -> bool:
    """A signed-in person with no open (requested or approved) standing with it, while it is
    not merged into another organisation."""
    if not is_signed_in(actor) or organisation.merged_into_id is not None:
        return False
    return not Representative.objects.filter(
        organisation=organisation,
        user_id=actor.pk,
        status__in=[RepresentativeStatus.REQUESTED, RepresentativeStatus.APPROVED],
    ).exists()
