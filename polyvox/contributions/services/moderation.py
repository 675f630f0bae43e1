"""Moderation of inputs: hide with a published reason code, withhold, approve, restore.

Nothing is ever deleted: hiding sets `hidden_at` and the reason code its tombstone shows; restoring
clears them. The record gets the tracking number and the reason code only, never the hidden text
or a name. The ladder, flags and appeals live in `polyvox.moderation`, which calls these.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.contributions.permissions import can_moderate
from polyvox.core.moderation import ReasonCode
from polyvox.core.permissions import Actor, require
from polyvox.core.text import normalize_whitespace
from polyvox.notifications.services import notify
from polyvox.processes.models import ModerationMode
from polyvox.record.services import append_entry

# What a moderator may give as the reason for hiding (awaiting review is not a finding).
HIDING_CODES = frozenset(ReasonCode.values) - {ReasonCode.AWAITING_REVIEW}


def clean_reason_code(reason_code: str, *, allowed: frozenset[str] = HIDING_CODES) -> str:
    """A published reason code, or a field error (there is no code for disagreement)."""
    code = (reason_code or "").strip()
    if code not in allowed:
        raise ValidationError(
            {
                "reason_code": _(
                    "Choose one of the policy's reason codes. Disagreeing with a view is never "
                    "a reason to moderate it."
                )
            }
        )
    return code


def _set_hidden(contribution: Contribution, reason_code: str, reason: str) -> None:
    contribution.hidden_at = timezone.now()
    contribution.hidden_reason_code = reason_code
    contribution.hidden_reason = reason
    contribution.save(
        update_fields=["hidden_at", "hidden_reason_code", "hidden_reason", "updated_at"]
    )


def _record(contribution: Contribution, kind: str, reason_code: str = "") -> None:
    payload = {"tracking_number": contribution.tracking_number}
    if reason_code:
        payload["reason_code"] = reason_code
    append_entry(process=contribution.process, kind=kind, payload=payload)


@transaction.atomic
def hide_contribution(
    *,
    actor: Actor,
    contribution: Contribution,
    reason_code: str,
    reason: str,
    notify_author: bool = True,
) -> Contribution:
    """Hide with a published reason code and text; the author is told (unless the caller, such as
    `moderation.services.take_action`, sends its own notice with how to appeal)."""
    require(
        can_moderate(actor, contribution.process),
        _("Only moderators and the secretariat hide contributions."),
    )
    code = clean_reason_code(reason_code)
    text = normalize_whitespace(reason or "")
    if not text:
        raise ValidationError({"reason": _("Give the reason for hiding this contribution.")})
    if contribution.hidden_at is not None and contribution.hidden_reason_code not in (
        ReasonCode.AWAITING_REVIEW,
        ReasonCode.IMPERSONATION,
    ):
        raise ValidationError(_("This contribution is already hidden."))
    _set_hidden(contribution, code, text)
    _record(contribution, "contribution.hidden", code)
    if notify_author:
        notify(
            recipients=[contribution.author],
            subject=_("Your contribution %(number)s was hidden")
            % {"number": contribution.tracking_number},
            body=_("Reason: %(code)s. %(reason)s")
            % {"code": ReasonCode(code).label, "reason": text},
            url=contribution.get_absolute_url(),
        )
    return contribution


@transaction.atomic
def withhold_contribution(*, contribution: Contribution, reason_code: str) -> Contribution:
    """Withhold from public view pending review: pre-moderation (`AWAITING_REVIEW`) or a report
    that it was submitted in someone's name (`IMPERSONATION`). No permission: the caller decides.
    The input stays in the record and in the secretariat's view."""
    code = clean_reason_code(
        reason_code, allowed=frozenset({ReasonCode.AWAITING_REVIEW, ReasonCode.IMPERSONATION})
    )
    if contribution.hidden_at is not None:
        return contribution
    _set_hidden(contribution, code, "")
    if code != ReasonCode.AWAITING_REVIEW:  # pre-moderation is the process's rule, not an event
        _record(contribution, "contribution.withheld", code)
    return contribution


@transaction.atomic
def approve_contribution(*, actor: Actor, contribution: Contribution) -> Contribution:
    """Publish an input held for pre-moderation."""
    require(
        can_moderate(actor, contribution.process),
        _("Only moderators and the secretariat approve contributions."),
    )
    if contribution.hidden_reason_code != ReasonCode.AWAITING_REVIEW:
        raise ValidationError(_("This contribution is not awaiting moderation."))
    _clear(contribution)
    _record(contribution, "contribution.approved")
    return contribution


@transaction.atomic
def restore_contribution(*, actor: Actor, contribution: Contribution, reason: str) -> Contribution:
    """Put a hidden or withheld input back, with a stated reason; its tombstone goes."""
    require(
        can_moderate(actor, contribution.process),
        _("Only moderators and the secretariat restore contributions."),
    )
    if contribution.hidden_at is None:
        raise ValidationError(_("This contribution is not hidden."))
    if not normalize_whitespace(reason or ""):
        raise ValidationError({"reason": _("Give the reason for restoring this contribution.")})
    _clear(contribution)
    _record(contribution, "contribution.restored")
    return contribution


def _clear(contribution: Contribution) -> None:
    contribution.hidden_at = None
    contribution.hidden_reason_code = ""
    contribution.hidden_reason = ""
    contribution.save(
        update_fields=["hidden_at", "hidden_reason_code", "hidden_reason", "updated_at"]
    )


def hold_if_premoderated(contribution: Contribution) -> None:
    """Under pre-moderation, a new input waits for a moderator (`submit_contribution` calls this
    right after creating it); the receipt page says so."""
    if contribution.process.moderation_mode == ModerationMode.PRE:
        withhold_contribution(contribution=contribution, reason_code=ReasonCode.AWAITING_REVIEW)
