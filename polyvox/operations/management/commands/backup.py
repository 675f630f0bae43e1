"""`polyvox backup FILE [--include-private-key]`: one archive of the database, uploads and keys."""

import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polyvox.operations.backup.archive import BackupError
from polyvox.operations.backup.dumping import write_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar.gz): the database as JSON Lines, the uploads and the "
        "record's verifier key; the signing key only with --include-private-key. FILE - writes "
        "to standard output. An existing file is never overwritten."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", help="the archive to write (e.g. polyvox-2026-12-01.tar.gz), or -"
        )
        parser.add_argument(
            "--include-private-key",
            action="store_true",
            help="also put the record's signing key in the archive (keep such an archive secret)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: str = options["file"]
        include_key: bool = options["include_private_key"]
        if target == "-":
            try:
                write_backup(
                    sys.stdout.buffer, include_private_key=include_key, log=self.stderr.write
                )
            except BackupError as error:
                raise CommandError(str(error)) from error
            sys.stdout.buffer.flush()
            return
        path = Path(target)
        if path.exists():
            raise CommandError(
                f"{path} already exists: a backup never overwrites a file. Choose another name."
            )
        partial = path.with_name(path.name + ".partial")
        try:
            # Private data (and maybe the signing key) goes in: readable by the owner only.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise CommandError(
                f"{partial} exists: another backup may be writing it. Remove it if not."
            ) from error
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        try:
            with os.fdopen(descriptor, "wb") as out:
                manifest = write_backup(out, include_private_key=include_key, log=self.stdout.write)
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(partial, path)  # fails rather than overwrite a file made meanwhile
            except FileExistsError as error:
                raise CommandError(
                    f"{path} appeared while the backup ran; not overwritten."
                ) from error
        except BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            partial.unlink(missing_ok=True)
        rows = sum(entry["rows"] for entry in manifest["models"])
        self.stdout.write(
            f"Wrote {path} ({path.stat().st_size} bytes): {rows} rows, "
            f"{manifest['media']['files']} uploads."
        )
