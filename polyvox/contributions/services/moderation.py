"""Moderation: hide an input with a published reason; nothing is ever deleted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.contributions.permissions import can_moderate
from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.record.services import append_entry


@transaction.atomic
def hide_contribution(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    """Moderation hides with a published reason and tells the author; nothing is deleted."""
    require(
        can_moderate(actor, contribution.process),
        _("Only moderators and the secretariat hide contributions."),
    )
    text = normalize_whitespace(reason or "")
    if not text:
        raise ValidationError({"reason": _("Give the reason for hiding this contribution.")})
    if contribution.hidden_at is not None:
        raise ValidationError(_("This contribution is already hidden."))
    contribution.hidden_at, contribution.hidden_reason = timezone.now(), text
    contribution.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    append_entry(
        process=contribution.process,
        kind="contribution.hidden",
        payload={"tracking_number": contribution.tracking_number, "reason": text},
    )
    notify(
        recipients=[contribution.author],
        subject=_("Your contribution %(number)s was hidden")
        % {"number": contribution.tracking_number},
        body=_("Reason given by the secretariat: %(reason)s") % {"reason": text},
        url=contribution.get_absolute_url(),
    )
    return contribution
