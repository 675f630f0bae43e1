"""`polyvox seed_demo`: create the demo process (once; re-running leaves existing data alone)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from polyvox.demo.personas import DEMO_PASSWORD, PERSONAS
from polyvox.demo.scenario import SLUG, build_demo_process
from polyvox.processes.models import Process


class Command(BaseCommand):
    help = "Seed the deterministic demo process (community-network principles) by calling the services."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        if Process.objects.filter(slug=SLUG).exists():
            self.stdout.write(f"The demo process '{SLUG}' already exists; nothing to do.")
        else:
            # The personas' receipts and notifications stay in the app; printing dozens of
            # e-mails to the console would bury the log-in list below.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                process = build_demo_process(seed=options["seed"])
            self.stdout.write(
                self.style.SUCCESS(f"Seeded the demo process: {process.get_absolute_url()}")
            )
        self.stdout.write(f"Log in as any persona with the password '{DEMO_PASSWORD}':")
        for persona in PERSONAS:
            self.stdout.write(
                f"  {persona.username:8} {persona.display_name} ({persona.stakeholder_group})"
            )
