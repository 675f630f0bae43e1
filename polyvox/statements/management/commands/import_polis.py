"""`polyvox import_polis PROCESS DIR --actor USERNAME`: bring a Pol.is conversation into a process."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from polyvox.analytics.polis_io import PolisFormatError
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.statements.polis import import_polis_export
from polyvox.statements.services import set_map_replay
from polyvox.statements.tasks import refresh_opinion_map_task


class Command(BaseCommand):
    help = (
        "Import a Pol.is export (comments.csv and votes.csv or participants-votes.csv, or the "
        "JSON layout) into PROCESS as statements and votes of placeholder participants. "
        "Re-running imports nothing twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("process", help="the process's short name (slug)")
        parser.add_argument("directory", help="the folder holding the Pol.is export")
        parser.add_argument(
            "--actor", required=True, help="username of a secretariat member doing the import"
        )
        parser.add_argument(
            "--replay",
            action="store_true",
            help="rebuild the process's opinion map as Pol.is does, replaying the votes in time "
            "order (sets the process's map setting; the export needs vote timestamps)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"No process with the short name {options['process']!r}.")
        actor = User.objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"No user named {options['actor']!r}.")
        try:
            report = import_polis_export(
                actor=actor,
                process=process,
                directory=options["directory"],
                require_times=options["replay"],
            )
        except PolisFormatError as error:
            raise CommandError(f"Not a readable Pol.is export: {error}") from error
        except PermissionDenied as error:
            raise CommandError(f"{options['actor']}: {error}") from error
        if options["replay"]:
            set_map_replay(actor=actor, process=process, replay=True)  # recomputes if changed
        if report.votes:
            refresh_opinion_map_task.enqueue(process.pk)
        self.stdout.write(
            f"Imported {report.statements} statements, {report.participants} participants and "
            f"{report.votes} votes into {process.slug}"
            + (f" ({report.truncated} long statements shortened)." if report.truncated else ".")
        )
