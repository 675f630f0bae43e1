"""Background work: commitment reminders at their time (django-tasks)."""

from django.utils import timezone
from django_tasks import task

from polyvox.commitments.services.reminders import send_reminders


@task()
def send_commitment_reminders_task(commitment_id: int) -> int:
    """Send the commitment's reminders that are due now; how many were sent.

    Queued when a commitment is made, for seven days before its due date and for the day after
    it; idempotent (each reminder is sent once), so an early run sends nothing wrong."""
    sent = send_reminders(timezone.now(), commitment_id=commitment_id)
    return sent.due_soon + sent.overdue
