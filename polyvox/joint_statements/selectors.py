"""Reads of joint statements: public lists, signatories a page at a time, and counts from the database.

Everything here is public (drafts in the open are public too; caucus drafts are not joint
statements until a facilitator publishes them), so these selectors need no viewer, except
`viewer_signatures`, which answers "what have I signed?".
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count as CountOf
from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.core.queries import correlated_count
from polyvox.joint_statements.models import (
    JointStatement,
    JointStatementRevision,
    Relation,
    Signature,
    StatementStatus,
)
from polyvox.organisations.permissions import represented_by
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.processes.models import Process


def _active_signature_count() -> Coalesce:
    """Active signatures of the outer statement."""
    return correlated_count(Signature.objects.filter(withdrawn_at__isnull=True), "statement")


def _linked_count() -> Coalesce:
    published = JointStatement.objects.filter(status=StatementStatus.PUBLISHED)
    return correlated_count(published, "responds_to")


def published_linked() -> QuerySet[JointStatement]:
    """Published dissenting and supplementary statements, oldest first, with their counts."""
    return (
        JointStatement.objects.filter(status=StatementStatus.PUBLISHED)
        .exclude(relation=Relation.JOINT)
        .select_related("organisation", "process")
        .annotate(signature_count=_active_signature_count())
        .order_by("published_at", "id")
    )


def statements_of(process: Process) -> QuerySet[JointStatement]:
    """The joint statements of `process` (drafts included: they are drafted in the open), newest
    first, annotated `signature_count` (active signatures) and `linked_count`; their published
    linked statements are prefetched as `linked` (oldest first), so a page shows each pair
    without one query per statement."""
    return (
        JointStatement.objects.filter(process=process, relation=Relation.JOINT)
        .select_related("organisation", "caucus", "process")
        .annotate(signature_count=_active_signature_count(), linked_count=_linked_count())
        .prefetch_related(
            Prefetch("linked_statements", queryset=published_linked(), to_attr="linked")
        )
        .order_by("-created_at", "-id")
    )


def statement_in(process: Process, statement_id: int) -> JointStatement:
    """One statement of `process` (joint or linked), or 404."""
    statement = (
        JointStatement.objects.filter(process=process, pk=statement_id)
        .select_related("process", "organisation", "caucus", "responds_to")
        .annotate(signature_count=_active_signature_count())
        .first()
    )
    if statement is None:
        raise Http404(_("No such joint statement in this process."))
    return statement


def linked_statements(statement: JointStatement) -> QuerySet[JointStatement]:
    """The dissenting and supplementary statements published in answer to `statement`."""
    return published_linked().filter(responds_to=statement)


def signatories(statement: JointStatement) -> QuerySet[Signature]:
    """Active signatures in signing order; the caller paginates."""
    return (
        Signature.objects.filter(statement=statement, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("signed_at", "id")
    )


def withdrawn_signatures(statement: JointStatement) -> QuerySet[Signature]:
    """Withdrawn signatures, in the order they were withdrawn; the caller paginates."""
    return (
        Signature.objects.filter(statement=statement, withdrawn_at__isnull=False)
        .select_related("organisation")
        .order_by("withdrawn_at", "id")
    )


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class SignatureCounts:
    """Active signatures, by kind of signatory, stakeholder group and UN M49 region."""

    total: int
    organisations: int
    individuals: int
    withdrawn: int
    by_stakeholder_group: list[Count]
    by_region: list[Count]


def signature_counts(statement: JointStatement) -> SignatureCounts:
    """Counted in the database: one aggregate, one GROUP BY group, one GROUP BY country (the
    countries, at most a few hundred rows, are then mapped to their M49 regions here)."""
    every = Signature.objects.filter(statement=statement).order_by()
    active = every.filter(withdrawn_at__isnull=True)
    totals = every.aggregate(
        total=CountOf("id", filter=Q(withdrawn_at__isnull=True)),
        organisations=CountOf(
            "id", filter=Q(withdrawn_at__isnull=True, organisation__isnull=False)
        ),
        withdrawn=CountOf("id", filter=Q(withdrawn_at__isnull=False)),
    )
    labels = dict(StakeholderGroup.choices)
    by_group = sorted(
        (
            Count(key, str(labels.get(key, key)), n)
            for key, n in active.values_list("stakeholder_group").annotate(n=CountOf("id"))
        ),
        key=lambda c: (-c.count, c.label),
    )
    regions: Counter[str] = Counter()
    for country, n in active.values_list("country").annotate(n=CountOf("id")):
        region = region_of(country) if country else None
        regions[region.region if region else ""] += n
    by_region = sorted(
        (Count(key, key or _("Not stated"), n) for key, n in regions.items()),
        key=lambda c: (-c.count, c.label),
    )
    return SignatureCounts(
        total=totals["total"],
        organisations=totals["organisations"],
        individuals=totals["total"] - totals["organisations"],
        withdrawn=totals["withdrawn"],
        by_stakeholder_group=by_group,
        by_region=by_region,
    )


def revisions_of(statement: JointStatement) -> QuerySet[JointStatementRevision]:
    """Every text the statement had, revision 1 first."""
    return JointStatementRevision.objects.filter(statement=statement).order_by("number")


def viewer_signatures(viewer: Actor | None, statement: JointStatement) -> list[Signature]:
    """The active signatures `viewer` can withdraw: their own, and those of organisations they
    currently represent."""
    if not is_signed_in(viewer):
        return []
    return list(
        Signature.objects.filter(statement=statement, withdrawn_at__isnull=True)
        .filter(Q(signer_id=viewer.pk) | Q(organisation__in=represented_by(viewer)))
        .select_related("organisation")
        .order_by("signed_at", "id")
    )


def organisation_signatures(organisation_ids: list[int]) -> QuerySet[Signature]:
    """Signatures given for these organisations (a merged organisation passes its duplicates'
    ids too), active and withdrawn, newest first."""
    return (
        Signature.objects.filter(organisation_id__in=organisation_ids)
        .select_related("statement__process", "organisation")
        .order_by("-signed_at", "-id")
    )


def organisation_statements(organisation_ids: list[int]) -> QuerySet[JointStatement]:
    """Statements published on behalf of these organisations, newest first."""
    return (
        JointStatement.objects.filter(
            organisation_id__in=organisation_ids, status=StatementStatus.PUBLISHED
        )
        .select_related("process", "responds_to")
        .order_by("-published_at", "-id")
    )


def signature_on(statement: JointStatement, signature_id: int) -> Signature:
    """One signature (active or withdrawn) on `statement`, or 404."""
    signature = (
        Signature.objects.filter(statement=statement, pk=signature_id)
        .select_related("organisation", "statement__process")
        .first()
    )
    if signature is None:
        raise Http404(_("No such signature on this statement."))
    return signature
