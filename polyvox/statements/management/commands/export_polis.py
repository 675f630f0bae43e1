"""`polyvox export_polis PROCESS DIR`: write a process's statements and votes in Pol.is format."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polyvox.processes.models import Process
from polyvox.statements.polis import export_polis


class Command(BaseCommand):
    help = (
        "Write comments.csv and votes.csv of PROCESS in Pol.is's export format into DIR "
        "(created if missing). Rejected statements are marked moderated = -1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("process", help="the process's short name (slug)")
        parser.add_argument("directory", help="the folder to write into")

    def handle(self, *args: Any, **options: Any) -> None:
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"No process with the short name {options['process']!r}.")
        try:
            report = export_polis(process=process, directory=options["directory"])
        except OSError as error:
            raise CommandError(f"Cannot write to {options['directory']}: {error}") from error
        self.stdout.write(
            f"Wrote {report.statements} statements and {report.votes} votes to {options['directory']}."
        )
