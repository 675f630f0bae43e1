"""`polyvox process create --template NAME --slug SLUG --title TITLE --opens YYYY-MM-DD --actor USER`."""

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from polyvox.participants.models import User
from polyvox.processes.selectors import process_template
from polyvox.processes.services.templating import PhaseOverride, create_process_from_template


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Manage processes from the command line: `process create` makes one from a template."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a process from a template.")
        create.add_argument("--template", required=True, help="template name (`polyvox templates`)")
        create.add_argument("--slug", required=True, help="the process's short name")
        create.add_argument("--title", required=True)
        create.add_argument("--opens", required=True, help="opening date, YYYY-MM-DD (UTC)")
        create.add_argument("--actor", required=True, help="username of the staff member acting")
        create.add_argument("--mandate", default="", help="defaults to the template's description")
        create.add_argument(
            "--days",
            default="",
            help="comma-separated lengths of the phases in days (blank keeps the default), "
            "e.g. 20,14",
        )
        create.add_argument(
            "--reason",
            default="",
            help="why a phase is shorter than the template's minimum (published)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            opens = date.fromisoformat(options["opens"])
        except ValueError as error:
            raise CommandError(
                f"--opens: {options['opens']!r} is not a date (YYYY-MM-DD)."
            ) from error
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"--actor: no active user called {options['actor']!r}.")
        spec = process_template(options["template"])
        if spec is None:
            raise CommandError(
                f"--template: no template called {options['template']!r} "
                "(`polyvox templates` lists them)."
            )
        overrides = self._overrides(options["days"], options["reason"], len(spec.phases))
        try:
            process = create_process_from_template(
                actor=actor,
                template_name=spec.name,
                slug=options["slug"],
                title=options["title"],
                opens=opens,
                mandate=options["mandate"],
                phase_overrides=overrides,
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Created {process.slug!r} from {spec.name!r} with "
            f"{process.phases.count()} phases; it opens on {opens.isoformat()}."
        )

    @staticmethod
    def _overrides(days: str, reason: str, phases: int) -> list[PhaseOverride | None]:
        """--days 20,,14 → one override per phase; --reason applies to each phase changed."""
        overrides: list[PhaseOverride | None] = []
        parts = [part.strip() for part in days.split(",")] if days.strip() else []
        if len(parts) > phases:
            raise CommandError(f"--days: this template has {phases} phases.")
        for part in parts:
            if not part:
                overrides.append(None)
                continue
            if not part.isdigit() or int(part) < 1:
                raise CommandError(f"--days: {part!r} is not a whole number of days.")
            overrides.append(PhaseOverride(days=int(part), short_schedule_reason=reason))
        if reason and not parts:
            overrides = [PhaseOverride(short_schedule_reason=reason)] * phases
        return overrides
