"""`polyvox seed_demo`: create the demo processes (once; re-running leaves existing data alone)."""

from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from polyvox.demo.deliberation import SLUG as DELIBERATION_SLUG
from polyvox.demo.deliberation import build_deliberation_process
from polyvox.demo.organising import build_organising
from polyvox.demo.outcomes import SLUG as OUTCOMES_SLUG
from polyvox.demo.outcomes import build_outcomes_process
from polyvox.demo.personas import DEMO_PASSWORD, PERSONAS, SECRETARIAT
from polyvox.demo.scenario import SLUG, build_demo_process
from polyvox.demo.templated import SLUG as TEMPLATED_SLUG
from polyvox.demo.templated import build_templated_process
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import integrate_pending

# The personas' receipts and notifications stay in the app; printing dozens of e-mails to the
# console would bury the log-in list.
QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"


@contextmanager
def mail_kept_in_memory() -> Iterator[None]:
    """Send the e-mails written meanwhile to Django's in-memory backend, then restore the site's.

    `django.test.override_settings` would do this but is test machinery; a management command runs
    alone in its process, so switching the one setting for its duration is safe. E-mails are
    sent after commit, and the seeders commit inside this block.
    """
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = QUIET_MAIL
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = previous


class Command(BaseCommand):
    help = (
        "Seed the deterministic demo: a consultation on a draft (with organisations, a caucus and a "
        "joint statement with a dissent), a deliberation with votes and a public comment made "
        "from a template, its deadline extended, and recommendations with consensus "
        "designations, a decision under chamber rules and commitments followed up."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        with mail_kept_in_memory():
            if Process.objects.filter(slug=SLUG).exists():
                self.stdout.write(f"The demo process '{SLUG}' already exists; left as it is.")
            else:
                process = build_demo_process(seed=seed)
                build_organising(process=process)
                self.stdout.write(self.style.SUCCESS(f"Seeded {process.get_absolute_url()}"))
            if Process.objects.filter(slug=DELIBERATION_SLUG).exists():
                self.stdout.write(
                    f"The demo process '{DELIBERATION_SLUG}' already exists; left as it is."
                )
            else:
                sofia = User.objects.get(username=SECRETARIAT.username)
                dialogue = build_deliberation_process(secretariat=sofia, seed=seed)
                self.stdout.write(self.style.SUCCESS(f"Seeded {dialogue.get_absolute_url()}"))
            if Process.objects.filter(slug=TEMPLATED_SLUG).exists():
                self.stdout.write(
                    f"The demo process '{TEMPLATED_SLUG}' already exists; left as it is."
                )
            else:
                sofia = User.objects.get(username=SECRETARIAT.username)
                templated = build_templated_process(secretariat=sofia)
                self.stdout.write(self.style.SUCCESS(f"Seeded {templated.get_absolute_url()}"))
            if Process.objects.filter(slug=OUTCOMES_SLUG).exists():
                self.stdout.write(
                    f"The demo process '{OUTCOMES_SLUG}' already exists; left as it is."
                )
            else:
                sofia = User.objects.get(username=SECRETARIAT.username)
                outcomes = build_outcomes_process(secretariat=sofia, seed=seed)
                self.stdout.write(self.style.SUCCESS(f"Seeded {outcomes.get_absolute_url()}"))
        # The demo's record is in the log (and signed, when the key exists) before anyone looks;
        # afterwards `polyvox worker` integrates new entries within seconds.
        integrated = 0
        while batch := integrate_pending():
            integrated += batch
        if integrated:
            self.stdout.write(f"Integrated {integrated} record entries into the public logs.")
        self.stdout.write(f"Log in as any persona with the password '{DEMO_PASSWORD}':")
        for persona in PERSONAS:
            self.stdout.write(
                f"  {persona.username:8} {persona.display_name} ({persona.stakeholder_group})"
            )
        self.stdout.write("  delegate01 … delegate70: voters in the deliberation")
