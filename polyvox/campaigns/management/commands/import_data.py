"""`polyvox import submissions PROCESS FILE`: bulk import of submissions from CSV or JSONL."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from polyvox.campaigns.importing import import_submissions
from polyvox.campaigns.importing.files import parse_mapping
from polyvox.participants.models import User
from polyvox.processes.models import Process

MAX_LINES_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import data into a process. `import_data submissions PROCESS FILE --actor USERNAME "
        "[--format csv|jsonl] [--map text=body,author_name=name]` imports every valid row and "
        "lists rejected rows with their line numbers; it fails only when the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["submissions"], help="what to import")
        parser.add_argument("process", help="the process's short name (slug)")
        parser.add_argument("file", help="a CSV (with a header row) or JSONL file")
        parser.add_argument("--format", choices=["csv", "jsonl"], help="default: by extension")
        parser.add_argument("--map", default="", help="field=column pairs, comma-separated")
        parser.add_argument("--actor", required=True, help="username of a secretariat member")

    def handle(self, *args: Any, **options: Any) -> None:
        process = Process.objects.filter(slug=options["process"]).first()
        actor = User.objects.filter(username=options["actor"]).first()
        if process is None or actor is None:
            raise CommandError("No such process." if process is None else "No such user.")
        try:
            run = import_submissions(
                actor=actor,
                process=process,
                path=options["file"],
                mapping=parse_mapping(options["map"]),
                file_format=options["format"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(messages)) from error
        self.stdout.write(
            f"{run.rows_ok} rows imported, {run.rows_rejected} rejected, "
            f"{run.rows_already_imported} already imported (file sha256 {run.sha256})."
        )
        for problem in run.errors[:MAX_LINES_SHOWN]:
            details = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in problem["errors"].items()
            )
            self.stdout.write(f"line {problem['line']}: {details}")
        if run.rows_rejected > MAX_LINES_SHOWN:
            self.stdout.write(f"… and {run.rows_rejected - MAX_LINES_SHOWN} more rejected rows.")
