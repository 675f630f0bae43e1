"""`polyvox record_phase_events`: record every due phase opening and closing (for cron)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from polyvox.processes.models import Process
from polyvox.processes.services.scheduling import record_due_phase_events


class Command(BaseCommand):
    help = (
        "Put every phase opening and closing that is due on its process's record "
        "(idempotent; the task queue does this at each phase's start and end, cron catches up)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        recorded = 0
        for process in Process.objects.order_by("pk").iterator():
            recorded += len(record_due_phase_events(process=process, now=now))
        self.stdout.write(f"Recorded {recorded} phase event(s).")
