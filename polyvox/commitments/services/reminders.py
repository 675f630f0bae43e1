"""Reminders before due dates: seven days before, and once when a commitment becomes overdue,
each sent once (`reminded_at`, `overdue_notified_at`) to the owner and the approved
representatives of its organisation. Run by the task queued when a commitment is made and by
`polyvox send_commitment_reminders` (cron), so a stopped worker only delays them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from polyvox.commitments.models import FINISHED, Commitment
from polyvox.commitments.permissions import people_speaking_for
from polyvox.commitments.services.rules import REMINDER_DAYS, moment, utc_date
from polyvox.notifications.services import notify


@dataclass(frozen=True)
class Reminders:
    """How many commitments were reminded of their due date, and told they are overdue."""

    due_soon: int
    overdue: int


def _pending(commitment_id: int | None) -> QuerySet[Commitment]:
    rows = Commitment.objects.exclude(status__in=FINISHED).select_related("process")
    return rows if commitment_id is None else rows.filter(pk=commitment_id)


def send_reminders(now: datetime | None = None, *, commitment_id: int | None = None) -> Reminders:
    """Send every reminder due at `now` (UTC dates), each once; only `commitment_id`'s if given."""
    now = moment(now)
    today = utc_date(now)
    soon = _pending(commitment_id).filter(
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMINDER_DAYS),
    )
    late = _pending(commitment_id).filter(overdue_notified_at__isnull=True, due_on__lt=today)
    due_soon = overdue = 0
    for commitment in soon.order_by("pk").iterator():
        with transaction.atomic():
            # Claim it first, so two runs at once send it once.
            if not Commitment.objects.filter(pk=commitment.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            notify(
                recipients=people_speaking_for(commitment),
                subject=_("“%(title)s” is due on %(date)s")
                % {"title": commitment.title, "date": commitment.due_on.isoformat()},
                body=_(
                    "Your commitment in %(process)s is due on %(date)s (UTC). Post an update "
                    "with evidence when it is done, or say why it is dropped."
                )
                % {"process": commitment.process.title, "date": commitment.due_on.isoformat()},
                url=commitment.get_absolute_url(),
            )
            due_soon += 1
    for commitment in late.order_by("pk").iterator():
        with transaction.atomic():
            if not Commitment.objects.filter(
                pk=commitment.pk, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now):
                continue
            notify(
                recipients=people_speaking_for(commitment),
                subject=_("“%(title)s” is overdue") % {"title": commitment.title},
                body=_(
                    "Your commitment in %(process)s was due on %(date)s (UTC) and is now shown as "
                    "overdue on its public page. Post an update with evidence, or say why it is "
                    "dropped."
                )
                % {"process": commitment.process.title, "date": commitment.due_on.isoformat()},
                url=commitment.get_absolute_url(),
            )
            overdue += 1
    return Reminders(due_soon=due_soon, overdue=overdue)
