"""The joint statements API's schemas, and how a statement, its linked statements and its
signatures are shaped into them (public data only)."""

from datetime import datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Schema

from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.joint_statements.permissions import sign_on_is_open
from polyvox.joint_statements.selectors import (
    SignatureCounts,
    linked_statements,
    revisions_of,
    signature_counts,
)
from polyvox.organisations.models import Organisation
from polyvox.participants.regions import region_of

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


def statement_fields(
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


def detail_out(statement: JointStatement) -> JointStatementDetailOut:
    responds_to = statement.responds_to
    return JointStatementDetailOut(
        **statement_fields(statement, list(linked_statements(statement)), timezone.now()),
        body=statement.body,
        responds_to=(
            RespondsToOut(id=responds_to.pk, title=responds_to.title) if responds_to else None
        ),
        counts=_counts(signature_counts(statement)),
        revisions=revisions_of(statement).count(),
    )


def signatory_data(signature: Signature) -> dict[str, Any]:
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


def signature_out(signature: Signature) -> JointStatementSignatureOut:
    return JointStatementSignatureOut(
        **signatory_data(signature),
        withdrawn_at=signature.withdrawn_at,
        reason=signature.withdrawal_reason,
    )
