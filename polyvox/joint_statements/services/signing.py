"""Sign a joint statement for oneself or an organisation one represents; withdraw (history kept)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import is_signed_in, require
from polyvox.core.text import refuse_nul
from polyvox.core.timezones import utc_minute
from polyvox.joint_statements.models import (
    JointStatement,
    Signature,
    StatementStatus,
)
from polyvox.joint_statements.permissions import (
    is_withdrawer,
    process_is_open,
    takes_part,
)
from polyvox.joint_statements.services.rules import (
    MAX_REASON_CHARS,
    require_representative,
    write_refusal,
)
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.participants.selectors import profile_to_take_part
from polyvox.record.services import append_entry

# Signatures ----------------------------------------------------------------------------------


def _check_sign_on_open(statement: JointStatement, now: datetime, *, withdrawing: bool) -> None:
    """Refuse with the reason a signatory needs when the statement takes no signatures now."""
    field = "signature" if withdrawing else "statement"
    if statement.status != StatementStatus.PUBLISHED:
        raise ValidationError(
            {field: _("This statement is still a draft: it is not open for sign-on.")}
        )
    if not process_is_open(statement.process):
        raise ValidationError({field: _("This process is closed.")})
    deadline = statement.sign_on_deadline
    if deadline is None:
        raise ValidationError({field: _("This statement does not take signatures.")})
    if now >= deadline:
        closed = _("Sign-on closed on %(date)s UTC.") % {"date": utc_minute(deadline)}
        if withdrawing:
            closed = "{} {}".format(closed, _("Signatures can no longer be withdrawn."))
        raise ValidationError({field: closed})


def signature_payload(signature: Signature) -> dict[str, Any]:
    """What the record says about a signature: the public snapshot, never the signer's account."""
    statement = signature.statement
    return {
        "signature_id": signature.pk,
        "statement_id": statement.pk,
        "title": statement.title,
        "organisation": (
            None
            if signature.organisation is None
            else {"name": signature.organisation_name, "slug": signature.organisation.slug}
        ),
        "stakeholder_group": signature.stakeholder_group,
        "country": signature.country,
    }


def _stands(signatures: QuerySet[Signature]) -> bool:
    """Whether one of `signatures` is active (seen by this transaction; a concurrent one may
    not be visible yet, which the partial unique constraints catch)."""
    return signatures.filter(withdrawn_at__isnull=True).exists()


@transaction.atomic
def sign(
    *, actor: User, statement: JointStatement, organisation: Organisation | None = None
) -> Signature:
    """Sign for an organisation one represents, or for oneself, before the deadline; once each."""
    now = timezone.now()
    require(is_signed_in(actor), _("Log in to sign."))
    _check_sign_on_open(statement, now, withdrawing=False)
    require(takes_part(actor, statement.process), write_refusal(actor, statement.process))
    require_representative(actor, organisation)
    profile = profile_to_take_part(actor)
    if organisation is not None:
        already = _("%(name)s has already signed.") % {"name": organisation.name}
        existing = Signature.objects.filter(statement=statement, organisation=organisation)
    else:
        already = _("You have already signed this statement.")
        existing = Signature.objects.filter(
            statement=statement, signer_id=actor.pk, organisation__isnull=True
        )
    if _stands(existing):
        raise ValidationError({"organisation": already})
    signature = Signature(
        statement=statement,
        signer=actor,
        organisation=organisation,
        signer_name=profile.display_name,
        organisation_name=organisation.name if organisation else "",
        stakeholder_group=(organisation or profile).stakeholder_group,
        country=(organisation or profile).country,
        signed_at=now,
    )
    try:
        # A concurrent signature for the same signatory passed the check above: the partial
        # unique constraint stops it; the savepoint keeps the outer transaction usable.
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise ValidationError({"organisation": already}) from None
    append_entry(
        process=statement.process,
        kind="joint_statement_signed",
        payload=signature_payload(signature),
    )
    return signature


@transaction.atomic
def withdraw_signature(*, actor: User, signature: Signature, reason: str = "") -> Signature:
    """The signer, or a representative of the signing organisation, withdraws before the deadline.
    The row stays, with `withdrawn_at` and the (public) reason."""
    now = timezone.now()
    require(is_signed_in(actor), _("Log in to withdraw a signature."))
    require(
        is_withdrawer(actor, signature),
        _(
            "Only the signatory, or a representative of the organisation that signed, can "
            "withdraw this signature."
        ),
    )
    profile_to_take_part(actor)  # a complete profile, as to sign (no name goes on the record)
    locked = Signature.objects.select_for_update().get(pk=signature.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError({"signature": _("This signature has already been withdrawn.")})
    _check_sign_on_open(signature.statement, now, withdrawing=True)
    clean_reason = " ".join((reason or "").split())
    refuse_nul(clean_reason, "reason")
    if len(clean_reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(limit)d characters.")
                % {"limit": MAX_REASON_CHARS}
            }
        )
    signature.withdrawn_at = now
    signature.withdrawal_reason = clean_reason
    signature.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    payload = signature_payload(signature)
    payload["reason"] = clean_reason
    append_entry(
        process=signature.statement.process,
        kind="joint_statement_signature_withdrawn",
        payload=payload,
    )
    return signature
