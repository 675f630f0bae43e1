"""`polyvox restore FILE [--with-private-key]`: a backup into an empty database, then verified."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polyvox.operations.backup.archive import BackupError
from polyvox.operations.backup.loading import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `polyvox backup` archive into an empty database (migrated or not): checks "
        "every member's SHA-256, loads all rows in one transaction, restores the uploads, and "
        "verifies every process's record against its latest signed checkpoint."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the archive written by `polyvox backup`")
        parser.add_argument(
            "--with-private-key",
            action="store_true",
            help="also restore the signing key from the archive (never over an existing key file)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(
                Path(options["file"]),
                with_private_key=options["with_private_key"],
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(
                f"Restore refused: {error} The database was left as it was."
            ) from error
        manifest = report.manifest
        self.stdout.write(
            f"Restored the backup of {manifest.get('created_at')} "
            f"(Polyvox {manifest.get('polyvox_version')}, {manifest.get('database_engine')}):"
        )
        total = sum(report.rows.values())
        self.stdout.write(f"  {total} rows in {len(report.rows)} tables; row counts match.")
        if options["verbosity"] > 1:
            for label, rows in report.rows.items():
                self.stdout.write(f"    {label}: {rows}")
        self.stdout.write(f"  {report.media_files} uploads written.")
        for line in report.records:
            self.stdout.write(f"  record {line}")
        if report.private_key:
            self.stdout.write(f"  signing key {report.private_key}")
        for note in report.notes:
            self.stdout.write(f"  {note}")
