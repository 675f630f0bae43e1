"""JSON API for joint statements: texts, their linked statements side by side, signatories and
counts (public data only: bylines as published, never an account or a private profile field)."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.joint_statements.permissions import sign_on_is_open
from polyvox.joint_statements.selectors import (
    SignatureCounts,
    linked_statements,
    revisions_of,
    signatories,
    signature_counts,
    signature_on,
    statement_in,
    statements_of,
    withdrawn_signatures,
)
from polyvox.joint_statements.services.drafting import (
    create_joint_statement,
    open_for_sign_on,
    publish_linked_statement,
)
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.organisations.models import Organisation
from polyvox.organisations.selectors import organisation_named
from polyvox.participants.http import signed_in_user
from polyvox.participants.regions import region_of
from polyvox.processes.selectors import access_process

router = Router()

API_PAGE_SIZE = 100
MAX_API_PAGE_SIZE = 1000


# Schemas ---------------------------------------------------------------------------------------


class JointStatementOrganisationOut(Schema):
    name: str
    slug: str


class LinkedStatementOut(Schema):
    id: int
    relation: str
    title: str
    author_name: str
    organisation: JointStatementOrganisationOut | None


class JointStatementOut(Schema):
    """A statement with the statements linked to it, so the pair is always read together."""

    id: int
    title: str
    relation: str
    status: str
    author_name: str
    organisation: JointStatementOrganisationOut | None
    caucus: str | None
    published_at: datetime | None
    sign_on_deadline: datetime | None
    signing_open: bool
    signature_count: int
    linked_statements: list[LinkedStatementOut]
    url: str


class RespondsToOut(Schema):
    id: int
    title: str


class SignatureCountOut(Schema):
    key: str
    label: str
    count: int


class SignatureCountsOut(Schema):
    total: int
    organisations: int
    individuals: int
    withdrawn: int
    by_stakeholder_group: list[SignatureCountOut]
    by_region: list[SignatureCountOut]


class JointStatementDetailOut(JointStatementOut):
    body: str
    responds_to: RespondsToOut | None
    counts: SignatureCountsOut
    revisions: int


class SignatoryOut(Schema):
    id: int
    name: str
    organisation: JointStatementOrganisationOut | None
    stakeholder_group: str
    country: str
    region: str | None
    signed_at: datetime


class WithdrawnSignatoryOut(SignatoryOut):
    withdrawn_at: datetime
    reason: str


class SignatoriesOut(Schema):
    """One page of active signatures; `total` and `withdrawn` count them all."""

    total: int
    withdrawn: int
    signatories: list[SignatoryOut]


class JointStatementSignatureOut(SignatoryOut):
    withdrawn_at: datetime | None
    reason: str


class JointStatementIn(Schema):
    title: str
    body: str
    organisation: str | None = None


class SignOnIn(Schema):
    sign_on_deadline: datetime


class JointStatementSignatureIn(Schema):
    organisation: str | None = None


class SignatureWithdrawalIn(Schema):
    reason: str = ""


class LinkedStatementIn(Schema):
    relation: Literal["dissent", "supplement"]
    title: str
    body: str
    organisation: str | None = None
    sign_on_deadline: datetime | None = None


# Shaping ---------------------------------------------------------------------------------------


def _organisation(organisation: Organisation | None) -> JointStatementOrganisationOut | None:
    if organisation is None:
        return None
    return JointStatementOrganisationOut(name=organisation.name, slug=organisation.slug)


def _linked(statement: JointStatement) -> LinkedStatementOut:
    return LinkedStatementOut(
        id=statement.pk,
        relation=statement.relation,
        title=statement.title,
        author_name=statement.author_name,
        organisation=_organisation(statement.organisation),
    )


def _fields(
    statement: JointStatement, linked: list[JointStatement], now: datetime
) -> dict[str, Any]:
    return {
        "id": statement.pk,
        "title": statement.title,
        "relation": statement.relation,
        "status": statement.status,
        "author_name": statement.author_name,
        "organisation": _organisation(statement.organisation),
        "caucus": statement.caucus.name if statement.caucus else None,
        "published_at": statement.published_at,
        "sign_on_deadline": statement.sign_on_deadline,
        "signing_open": sign_on_is_open(statement, now),
        "signature_count": getattr(statement, "signature_count", 0),
        "linked_statements": [_linked(s) for s in linked],
        "url": statement.get_absolute_url(),
    }


def _counts(counts: SignatureCounts) -> SignatureCountsOut:
    return SignatureCountsOut(
        total=counts.total,
        organisations=counts.organisations,
        individuals=counts.individuals,
        withdrawn=counts.withdrawn,
        by_stakeholder_group=[SignatureCountOut(**c.__dict__) for c in counts.by_stakeholder_group],
        by_region=[SignatureCountOut(**c.__dict__) for c in counts.by_region],
    )


def _detail(statement: JointStatement) -> JointStatementDetailOut:
    responds_to = statement.responds_to
    return JointStatementDetailOut(
        **_fields(statement, list(linked_statements(statement)), timezone.now()),
        body=statement.body,
        responds_to=(
            RespondsToOut(id=responds_to.pk, title=responds_to.title) if responds_to else None
        ),
        counts=_counts(signature_counts(statement)),
        revisions=revisions_of(statement).count(),
    )


def _signatory(signature: Signature) -> dict[str, Any]:
    region = region_of(signature.country) if signature.country else None
    organisation = signature.organisation
    return {
        "id": signature.pk,
        "name": signature.signer_name,
        "organisation": (
            JointStatementOrganisationOut(name=signature.organisation_name, slug=organisation.slug)
            if organisation is not None
            else None
        ),
        "stakeholder_group": signature.stakeholder_group,
        "country": signature.country,
        "region": region.region if region else None,
        "signed_at": signature.signed_at,
    }


def _signature(signature: Signature) -> JointStatementSignatureOut:
    return JointStatementSignatureOut(
        **_signatory(signature),
        withdrawn_at=signature.withdrawn_at,
        reason=signature.withdrawal_reason,
    )


def _page(
    request: HttpRequest, response: HttpResponse, rows: QuerySet[Any], page: int, page_size: int
) -> tuple[int, list[Any]]:
    """(total, one page of `rows`), with X-Total-Count and a Link rel=next header."""
    total = rows.count()
    start = (page - 1) * page_size
    response["X-Total-Count"] = str(total)
    if start + page_size < total:  # RFC 8288 web linking, as the other lists do
        query = request.GET.copy()
        query["page"] = str(page + 1)
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return total, list(rows[start : start + page_size])


# Reads -----------------------------------------------------------------------------------------


@router.get(
    "/processes/{slug}/joint-statements",
    response=list[JointStatementOut],
    summary="List a process's joint statements (drafts in the open included), newest first, each "
    "with its dissenting and supplementary statements, a page at a time (header Link rel=next, "
    "X-Total-Count)",
)
def list_joint_statements(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    page: int = Query(1, ge=1, le=1_000_000),  # type: ignore[type-arg]
    page_size: int = Query(API_PAGE_SIZE, ge=1, le=MAX_API_PAGE_SIZE),  # type: ignore[type-arg]
) -> list[JointStatementOut]:
    process = access_process(viewer=request.user, slug=slug)
    _total, rows = _page(request, response, statements_of(process), page, page_size)
    now = timezone.now()
    return [JointStatementOut(**_fields(s, s.linked, now)) for s in rows]


@router.get(
    "/processes/{slug}/joint-statements/{statement_id}",
    response=JointStatementDetailOut,
    summary="Read a joint (or linked) statement: its text, the statements linked to it, and its "
    "signature counts by stakeholder group and region",
)
def read_joint_statement(
    request: HttpRequest, slug: str, statement_id: int
) -> JointStatementDetailOut:
    process = access_process(viewer=request.user, slug=slug)
    return _detail(statement_in(process, statement_id))


@router.get(
    "/processes/{slug}/joint-statements/{statement_id}/signatories",
    response=SignatoriesOut,
    summary="List a statement's signatories in signing order, a page at a time (header Link "
    "rel=next, X-Total-Count), with the number of withdrawn signatures",
)
def list_signatories(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    statement_id: int,
    page: int = Query(1, ge=1, le=1_000_000),  # type: ignore[type-arg]
    page_size: int = Query(API_PAGE_SIZE, ge=1, le=MAX_API_PAGE_SIZE),  # type: ignore[type-arg]
) -> SignatoriesOut:
    process = access_process(viewer=request.user, slug=slug)
    statement = statement_in(process, statement_id)
    total, rows = _page(request, response, signatories(statement), page, page_size)
    return SignatoriesOut(
        total=total,
        withdrawn=withdrawn_signatures(statement).count(),
        signatories=[SignatoryOut(**_signatory(s)) for s in rows],
    )


@router.get(
    "/processes/{slug}/joint-statements/{statement_id}/signatories/withdrawn",
    response=list[WithdrawnSignatoryOut],
    summary="List a statement's withdrawn signatures in the order they were withdrawn, a page at "
    "a time (header Link rel=next, X-Total-Count)",
)
def list_withdrawn_signatories(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    statement_id: int,
    page: int = Query(1, ge=1, le=1_000_000),  # type: ignore[type-arg]
    page_size: int = Query(API_PAGE_SIZE, ge=1, le=MAX_API_PAGE_SIZE),  # type: ignore[type-arg]
) -> list[WithdrawnSignatoryOut]:
    process = access_process(viewer=request.user, slug=slug)
    statement = statement_in(process, statement_id)
    _total, rows = _page(request, response, withdrawn_signatures(statement), page, page_size)
    return [
        WithdrawnSignatoryOut(
            **_signatory(s), withdrawn_at=s.withdrawn_at, reason=s.withdrawal_reason
        )
        for s in rows
    ]


# Writes ----------------------------------------------------------------------------------------


@router.post(
    "/processes/{slug}/joint-statements",
    response={201: JointStatementDetailOut},
    auth=django_auth,
    summary="Draft a joint statement in the open as the signed-in participant, for themselves or "
    "for an organisation they represent (its short name)",
)
def create_draft(
    request: HttpRequest, slug: str, data: JointStatementIn
) -> Status[JointStatementDetailOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    statement = create_joint_statement(
        actor=actor,
        process=process,
        title=data.title,
        body=data.body,
        organisation=organisation_named(data.organisation, field="organisation"),
    )
    return Status(201, _detail(statement_in(process, statement.pk)))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/sign-on",
    response={200: JointStatementDetailOut},
    auth=django_auth,
    summary="Open a draft for sign-on until a deadline (its author or the secretariat); the text "
    "is frozen from then on",
)
def open_draft(
    request: HttpRequest, slug: str, statement_id: int, data: SignOnIn
) -> Status[JointStatementDetailOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    statement = statement_in(process, statement_id)
    open_for_sign_on(actor=actor, statement=statement, deadline=data.sign_on_deadline)
    return Status(200, _detail(statement_in(process, statement.pk)))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/signatures",
    response={201: JointStatementSignatureOut},
    auth=django_auth,
    summary="Sign as the signed-in participant: for an organisation they represent (its short "
    "name) or, with organisation null, for themselves",
)
def create_signature(
    request: HttpRequest, slug: str, statement_id: int, data: JointStatementSignatureIn
) -> Status[JointStatementSignatureOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    statement = statement_in(process, statement_id)
    signature = sign(
        actor=actor,
        statement=statement,
        organisation=organisation_named(data.organisation, field="organisation"),
    )
    return Status(201, _signature(signature))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/signatures/{signature_id}/withdraw",
    response={200: JointStatementSignatureOut},
    auth=django_auth,
    summary="Withdraw a signature before the deadline (its signer or a representative of the "
    "organisation); the signature stays in the history with the (public) reason",
)
def withdraw(
    request: HttpRequest,
    slug: str,
    statement_id: int,
    signature_id: int,
    data: SignatureWithdrawalIn,
) -> Status[JointStatementSignatureOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    signature = signature_on(statement_in(process, statement_id), signature_id)
    withdraw_signature(actor=actor, signature=signature, reason=data.reason)
    return Status(200, _signature(signature))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/linked-statements",
    response={201: JointStatementDetailOut},
    auth=django_auth,
    summary="Publish a dissenting or supplementary statement next to a published joint statement, "
    "for oneself or an organisation one represents; with a deadline it takes signatures",
)
def create_linked_statement(
    request: HttpRequest, slug: str, statement_id: int, data: LinkedStatementIn
) -> Status[JointStatementDetailOut]:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    statement = publish_linked_statement(
        actor=actor,
        responds_to=statement_in(process, statement_id),
        relation=data.relation,
        title=data.title,
        body=data.body,
        organisation=organisation_named(data.organisation, field="organisation"),
        deadline=data.sign_on_deadline,
    )
    return Status(201, _detail(statement_in(process, statement.pk)))
