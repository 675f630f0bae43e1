"""Hiding and restoring a statement under moderation with due process (`polyvox.moderation`).

Apart from services.py (voting and opinion maps): the row and its votes stay; only its place in
the deck and the list changes, and the record says so by reason code."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.services.moderation import clean_reason_code
from polyvox.core.permissions import Actor, require
from polyvox.record.services import append_entry
from polyvox.statements.models import Statement
from polyvox.statements.permissions import can_moderate_statements


@transaction.atomic
def hide_statement(
    *, actor: Actor, statement: Statement, reason_code: str, reason: str
) -> Statement:
    """Moderation with due process (`polyvox.moderation`): the statement leaves the vote deck and
    its place shows a tombstone with the reason code; the row and its votes stay."""
    require(
        can_moderate_statements(actor, statement.process),
        _("Only moderators and the secretariat hide statements."),
    )
    code = clean_reason_code(reason_code)
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError({"reason": _("Give the reason for hiding this statement.")})
    if statement.hidden_at is not None:
        raise ValidationError(_("This statement is already hidden."))
    statement.hidden_at, statement.hidden_reason_code = timezone.now(), code
    statement.hidden_reason = text
    statement.save(update_fields=["hidden_at", "hidden_reason_code", "hidden_reason"])
    append_entry(
        process=statement.process,
        kind="statement.hidden",
        payload={"statement_id": statement.pk, "reason_code": code},
    )
    return statement


@transaction.atomic
def restore_statement(*, actor: Actor, statement: Statement, reason: str) -> Statement:
    """Put a hidden statement back in the deck and the list."""
    require(
        can_moderate_statements(actor, statement.process),
        _("Only moderators and the secretariat restore statements."),
    )
    if statement.hidden_at is None:
        raise ValidationError(_("This statement is not hidden."))
    if not " ".join((reason or "").split()):
        raise ValidationError({"reason": _("Give the reason for restoring this statement.")})
    statement.hidden_at, statement.hidden_reason_code, statement.hidden_reason = None, "", ""
    statement.save(update_fields=["hidden_at", "hidden_reason_code", "hidden_reason"])
    append_entry(
        process=statement.process, kind="statement.restored", payload={"statement_id": statement.pk}
    )
    return statement
