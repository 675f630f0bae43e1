"""`polyvox publish_due_versions`: publish every scheduled draft version whose time has come.

The scheduled task does this on time; this command (run from cron or by hand) catches up any
version whose task did not run, e.g. while the worker was down. Running it twice is harmless."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from polyvox.drafts.services import publish_due_versions


class Command(BaseCommand):
    help = "Publish every scheduled draft version whose time has come."

    def handle(self, *args: Any, **options: Any) -> None:
        published = publish_due_versions(now=timezone.now())
        for version in published:
            self.stdout.write(
                f"Published {version.draft.process.slug}/{version.draft.slug} "
                f"version {version.number}: {version.get_absolute_url()}"
            )
        self.stdout.write(f"{len(published)} version(s) published.")
