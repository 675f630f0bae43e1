"""Reads of organisations. What is private (a requester's message) is read only through a selector
that takes the viewer; everything else here is public."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.organisations.models import (
    Organisation,
    OrganisationEvent,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)
from polyvox.organisations.permissions import can_manage_organisation
from polyvox.participants.models import User
from polyvox.participants.regions import Region, country_name, region_name, region_of


def organisation_list(
    *,
    query: str = "",
    stakeholder_group: str = "",
    country: str = "",
    verified: bool | None = None,
) -> QuerySet[Organisation]:
    """Active (unmerged) organisations, filtered in the database, by name; the caller paginates."""
    organisations = Organisation.objects.active()
    query = " ".join(query.split())
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(slug__icontains=query.replace(" ", "-"))
        )
    if stakeholder_group:
        organisations = organisations.filter(stakeholder_group=stakeholder_group)
    if country:
        organisations = organisations.filter(country=country.strip().upper())
    if verified is True:
        organisations = organisations.filter(verified_at__isnull=False)
    elif verified is False:
        organisations = organisations.filter(verified_at__isnull=True)
    return organisations.order_by("name", "id")


MAX_SLUG_CHARS = Organisation._meta.get_field("slug").max_length or 0


def organisation_named(slug: str | None, *, field: str) -> Organisation | None:
    """The organisation an API call speaks for, by slug; None (or "") for "myself".

    Merged and unverified ones are found too: the service decides who may speak for which, so
    its refusal says why. An unknown slug is a `ValidationError` on `field` (400), never a 500."""
    if slug is None or not slug.strip():
        return None
    text = slug.strip()
    found = (
        Organisation.objects.filter(slug=text).first()
        if len(text) <= MAX_SLUG_CHARS and "\x00" not in text
        else None
    )
    if found is None:
        raise ValidationError(
            {field: _("No organisation has the slug “%(slug)s”.") % {"slug": text[:80]}}
        )
    return found


def organisation_by_slug(slug: str) -> Organisation:
    """The organisation with `slug` (404 if none), merged duplicates included: their pages
    redirect to `surviving_organisation`."""
    return get_object_or_404(Organisation.objects.select_related("merged_into"), slug=slug)


def surviving_organisation(organisation: Organisation) -> Organisation:
    """Where a merged duplicate lives on now: follows `merged_into` to an active organisation."""
    seen = {organisation.pk}
    while organisation.merged_into_id is not None:
        organisation = Organisation.objects.get(pk=organisation.merged_into_id)
        if organisation.pk in seen:  # never expected: merges only target active organisations
            break
        seen.add(organisation.pk)
    return organisation


def organisation_family_ids(organisation: Organisation) -> list[int]:
    """The organisation's id and the ids of every organisation merged into it, transitively.

    Inputs and signatures keep pointing at a merged duplicate; readers filter on these ids so the
    surviving organisation's page shows them too. One query per generation of merges."""
    family = [organisation.pk]
    frontier = [organisation.pk]
    while frontier:
        frontier = [
            pk
            for pk in Organisation.objects.filter(merged_into_id__in=frontier)
            .order_by()
            .values_list("id", flat=True)
            if pk not in family
        ]
        family.extend(frontier)
    return family


@dataclass(frozen=True)
class Place:
    """An organisation's country with its UN M49 region, for display."""

    code: str
    name: str
    region: Region | None


def organisation_place(organisation: Organisation) -> Place | None:
    if not organisation.country:
        return None
    return Place(
        code=organisation.country,
        name=country_name(organisation.country) or organisation.country,
        region=_localized(region_of(organisation.country)),
    )


def _localized(region: Region | None) -> Region | None:
    """The region's names in the page's language, for display only."""
    if region is None:
        return None
    return Region(
        region=region_name(region.region),
        sub_region=region_name(region.sub_region),
        global_south=region.global_south,
    )


def public_representatives(organisation: Organisation) -> QuerySet[Representative]:
    """Who speaks for it (approved rows), administrators first, then by when they were approved.

    Public: show each one's `user` (display name) and role only, never `message` or `reason`.
    The caller paginates."""
    return (
        Representative.objects.filter(
            organisation=organisation, status=RepresentativeStatus.APPROVED
        )
        .select_related("user__profile")
        .annotate(
            role_order=Case(
                When(role=RepresentativeRole.ADMINISTRATOR, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("role_order", "decided_at", "id")
    )


def administrators(organisation: Organisation) -> list[User]:
    """Its approved administrators (whom requests are sent to)."""
    return list(
        User.objects.filter(
            is_active=True,
            representations__organisation=organisation,
            representations__role=RepresentativeRole.ADMINISTRATOR,
            representations__status=RepresentativeStatus.APPROVED,
        ).distinct()
    )


def pending_requests(
    *, viewer: Actor | None, organisation: Organisation
) -> QuerySet[Representative]:
    """Open requests to represent it, oldest first, with their private messages: its
    administrators and staff only."""
    if not can_manage_organisation(viewer, organisation):
        raise PermissionDenied(_("Only the organisation's administrators see its requests."))
    return (
        Representative.objects.filter(
            organisation=organisation, status=RepresentativeStatus.REQUESTED
        )
        .select_related("user__profile")
        .order_by("created_at", "id")
    )


def organisation_history(organisation: Organisation) -> QuerySet[OrganisationEvent]:
    """Its public history, newest first; the caller paginates."""
    return OrganisationEvent.objects.filter(organisation=organisation).order_by(
        "-created_at", "-id"
    )


def open_standing(viewer: Actor | None, organisation: Organisation) -> Representative | None:
    """The viewer's own requested or approved row with `organisation`, if any."""
    if not is_signed_in(viewer):
        return None
    return Representative.objects.filter(
        organisation=organisation,
        user_id=viewer.pk,
        status__in=[RepresentativeStatus.REQUESTED, RepresentativeStatus.APPROVED],
    ).first()


def my_representations(*, viewer: Actor | None) -> QuerySet[Representative]:
    """The viewer's own requests and standings with organisations (every status), newest first."""
    if not is_signed_in(viewer):
        return Representative.objects.none()
    return (
        Representative.objects.filter(user_id=viewer.pk)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )
