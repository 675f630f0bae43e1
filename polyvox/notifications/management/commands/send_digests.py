"""`polyvox send_digests`: the daily digests (run once a day by cron, see docs/notifications.md)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from polyvox.notifications.digests import send_daily_digests


class Command(BaseCommand):
    help = (
        "Send the daily digest to every participant and visitor who chose one; a repeated run "
        "sends nothing twice. Run it once a day (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_daily_digests(now=timezone.now())
        self.stdout.write(f"{sent} digest(s) queued for sending.")
