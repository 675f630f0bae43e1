"""JSON API for organisations (public data only: never a requester's message or an e-mail)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, PageIn, page_of
from polyvox.core.text import refuse_unstorable
from polyvox.organisations.models import Organisation, OrganisationEvent
from polyvox.organisations.selectors import (
    organisation_by_slug,
    organisation_history,
    organisation_list,
    public_representatives,
)
from polyvox.organisations.services.registering import register_organisation
from polyvox.organisations.services.representatives import request_to_represent
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import is_known_country, region_of

router = Router()

REPRESENTATIVES_LISTED = 100


class OrganisationSummaryOut(Schema):
    name: str
    slug: str
    stakeholder_group: str
    country: str
    region: str | None
    verified: bool
    url: str


class RepresentativeOut(Schema):
    name: str
    role: str


class OrganisationOut(Schema):
    name: str
    slug: str
    stakeholder_group: str
    country: str
    region: str | None
    website: str
    description: str
    verified: bool
    verified_at: datetime | None
    merged_into: str | None
    representatives: list[RepresentativeOut]
    representative_count: int
    url: str


class EventOut(Schema):
    kind: str
    detail: dict[str, Any]
    at: datetime


class OrganisationIn(Schema):
    name: str
    stakeholder_group: str
    country: str = ""
    website: str = ""
    description: str = ""


class RequestIn(Schema):
    message: str = ""


class RequestOut(Schema):
    organisation: str
    role: str
    status: str
    requested_at: datetime


def _region(organisation: Organisation) -> str | None:
    region = region_of(organisation.country) if organisation.country else None
    return region.region if region else None


def _summary(organisation: Organisation) -> OrganisationSummaryOut:
    return OrganisationSummaryOut(
        name=organisation.name,
        slug=organisation.slug,
        stakeholder_group=organisation.stakeholder_group,
        country=organisation.country,
        region=_region(organisation),
        verified=organisation.is_verified,
        url=organisation.get_absolute_url(),
    )


def _detail(organisation: Organisation) -> OrganisationOut:
    people = public_representatives(organisation)
    merged_into = organisation.merged_into
    return OrganisationOut(
        name=organisation.name,
        slug=organisation.slug,
        stakeholder_group=organisation.stakeholder_group,
        country=organisation.country,
        region=_region(organisation),
        website=organisation.website,
        description=organisation.description,
        verified=organisation.is_verified,
        verified_at=organisation.verified_at,
        merged_into=merged_into.slug if merged_into else None,
        representatives=[
            RepresentativeOut(name=str(person.user), role=person.role)
            for person in people[:REPRESENTATIVES_LISTED]
        ],
        representative_count=people.count(),
        url=organisation.get_absolute_url(),
    )


@router.get(
    "/organisations",
    response=list[OrganisationSummaryOut],
    openapi_extra=PAGED,
    summary="List organisations (merged duplicates left out), a page at a time (header Link "
    "rel=next, X-Total-Count); q searches names; stakeholder_group, country, verified filter",
)
def list_organisations(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[PageIn],
    q: str = "",
    stakeholder_group: str = "",
    country: str = "",
    verified: bool | None = None,
) -> list[OrganisationSummaryOut]:
    if stakeholder_group and stakeholder_group not in StakeholderGroup.values:
        raise ValidationError({"stakeholder_group": _("No such stakeholder group.")})
    if country and not is_known_country(country):
        raise ValidationError({"country": _("No such country or area in the UN M49 list.")})
    refuse_unstorable(q, "q")  # NUL in a PostgreSQL query parameter was a 500
    rows = organisation_list(
        query=q[:200], stakeholder_group=stakeholder_group, country=country, verified=verified
    )
    return [_summary(o) for o in page_of(request, response, rows, paging)]


@router.get(
    "/organisations/{slug}",
    response=OrganisationOut,
    summary="Read an organisation: details, verification, who speaks for it; a merged duplicate "
    "names the organisation it was merged into",
)
def read_organisation(request: HttpRequest, slug: str) -> OrganisationOut:
    return _detail(organisation_by_slug(slug))


@router.get(
    "/organisations/{slug}/history",
    response=list[EventOut],
    openapi_extra=PAGED,
    summary="Read an organisation's public history, newest first, a page at a time (header Link "
    "rel=next, X-Total-Count)",
)
def read_history(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
) -> list[EventOut]:
    events = organisation_history(organisation_by_slug(slug))
    rows: list[OrganisationEvent] = page_of(request, response, events, paging)
    return [EventOut(kind=e.kind, detail=e.detail, at=e.created_at) for e in rows]


@router.post(
    "/organisations",
    response={201: OrganisationOut},
    auth=api_auth,
    summary="Register an organisation as the signed-in participant, who becomes its administrator",
)
def create_organisation(request: HttpRequest, data: OrganisationIn) -> Status[OrganisationOut]:
    actor = signed_in_user(request)
    organisation = register_organisation(actor=actor, **data.dict())
    return Status(201, _detail(organisation))


@router.post(
    "/organisations/{slug}/representatives",
    response={201: RequestOut},
    auth=api_auth,
    summary="Ask to represent an organisation as the signed-in participant; its administrators "
    "decide (the message is for them only)",
)
def create_request(request: HttpRequest, slug: str, data: RequestIn) -> Status[RequestOut]:
    actor = signed_in_user(request)
    organisation = organisation_by_slug(slug)
    row = request_to_represent(actor=actor, organisation=organisation, message=data.message)
    return Status(
        201,
        RequestOut(
            organisation=organisation.slug,
            role=row.role,
            status=row.status,
            requested_at=row.created_at,
        ),
    )
