"""JSON API for joint statements: texts, their linked statements side by side, signatories and
counts (public data only: bylines as published, never an account or a private profile field).
The schemas, and how rows are shaped into them, are in `schemas`."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from polyvox.core.api_auth import api_auth
from polyvox.core.api_paging import PAGED, TOTAL_HEADER, PageIn, page_of
from polyvox.joint_statements.api.schemas import (
    JointStatementDetailOut,
    JointStatementIn,
    JointStatementOut,
    JointStatementSignatureIn,
    JointStatementSignatureOut,
    LinkedStatementIn,
    SignatoriesOut,
    SignatoryOut,
    SignatureWithdrawalIn,
    SignOnIn,
    WithdrawnSignatoryOut,
    detail_out,
    signatory_data,
    signature_out,
    statement_fields,
)
from polyvox.joint_statements.selectors import (
    signatories,
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
from polyvox.organisations.selectors import organisation_named
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process

router = Router()


# Reads -----------------------------------------------------------------------------------------


@router.get(
    "/processes/{slug}/joint-statements",
    response=list[JointStatementOut],
    openapi_extra=PAGED,
    summary="List a process's joint statements (drafts in the open included), newest first, each "
    "with its dissenting and supplementary statements, a page at a time (header Link rel=next, "
    "X-Total-Count)",
)
def list_joint_statements(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    paging: Query[PageIn],
) -> list[JointStatementOut]:
    process = access_process(viewer=request.user, slug=slug)
    rows = page_of(request, response, statements_of(process), paging)
    now = timezone.now()
    return [JointStatementOut(**statement_fields(s, s.linked, now)) for s in rows]


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
    return detail_out(statement_in(process, statement_id))


@router.get(
    "/processes/{slug}/joint-statements/{statement_id}/signatories",
    response=SignatoriesOut,
    openapi_extra=PAGED,
    summary="List a statement's signatories in signing order, a page at a time (header Link "
    "rel=next, X-Total-Count), with the number of withdrawn signatures",
)
def list_signatories(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    statement_id: int,
    paging: Query[PageIn],
) -> SignatoriesOut:
    process = access_process(viewer=request.user, slug=slug)
    statement = statement_in(process, statement_id)
    # The total is in the answer itself, so it is sent with every page (an index count).
    total = signatories(statement).count()
    rows = page_of(request, response, signatories(statement), paging, count=False)
    response[TOTAL_HEADER] = str(total)
    return SignatoriesOut(
        total=total,
        withdrawn=withdrawn_signatures(statement).count(),
        signatories=[SignatoryOut(**signatory_data(s)) for s in rows],
    )


@router.get(
    "/processes/{slug}/joint-statements/{statement_id}/signatories/withdrawn",
    response=list[WithdrawnSignatoryOut],
    openapi_extra=PAGED,
    summary="List a statement's withdrawn signatures in the order they were withdrawn, a page at "
    "a time (header Link rel=next, X-Total-Count)",
)
def list_withdrawn_signatories(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    statement_id: int,
    paging: Query[PageIn],
) -> list[WithdrawnSignatoryOut]:
    process = access_process(viewer=request.user, slug=slug)
    statement = statement_in(process, statement_id)
    rows = page_of(request, response, withdrawn_signatures(statement), paging)
    return [
        WithdrawnSignatoryOut(
            **signatory_data(s), withdrawn_at=s.withdrawn_at, reason=s.withdrawal_reason
        )
        for s in rows
    ]


# Writes ----------------------------------------------------------------------------------------


@router.post(
    "/processes/{slug}/joint-statements",
    response={201: JointStatementDetailOut},
    auth=api_auth,
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
    return Status(201, detail_out(statement_in(process, statement.pk)))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/sign-on",
    response={200: JointStatementDetailOut},
    auth=api_auth,
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
    return Status(200, detail_out(statement_in(process, statement.pk)))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/signatures",
    response={201: JointStatementSignatureOut},
    auth=api_auth,
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
    return Status(201, signature_out(signature))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/signatures/{signature_id}/withdraw",
    response={200: JointStatementSignatureOut},
    auth=api_auth,
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
    return Status(200, signature_out(signature))


@router.post(
    "/processes/{slug}/joint-statements/{statement_id}/linked-statements",
    response={201: JointStatementDetailOut},
    auth=api_auth,
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
    return Status(201, detail_out(statement_in(process, statement.pk)))
