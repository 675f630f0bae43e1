"""`polyvox send_commitment_reminders`: send every due commitment reminder (for cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from polyvox.commitments.services.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind owners of commitments due within seven days, and tell them once a commitment is "
        "overdue (each reminder once; the task queue does this on time, cron catches up)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(
            f"Sent {sent.due_soon} due-date reminder(s) and {sent.overdue} overdue notice(s)."
        )
