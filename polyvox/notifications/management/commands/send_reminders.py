"""`polyvox send_reminders`: reminders before deadlines (run hourly by cron)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from polyvox.notifications.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Remind everyone following or taking part in a process, three days and one day before "
        "a phase that takes inputs, votes or positions closes; a repeated run sends nothing "
        "twice. Run it every hour (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_deadline_reminders(now=timezone.now())
        self.stdout.write(f"{sent} reminder(s) circulated.")
