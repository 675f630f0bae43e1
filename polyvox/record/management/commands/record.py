"""`polyvox record export PROCESS` and `polyvox record verify FILE`."""

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polyvox.processes.models import Process
from polyvox.record.chain import parse_jsonl, verify_chain
from polyvox.record.selectors import export_record


class Command(BaseCommand):
    help = "Export a process's public record as JSON Lines, or verify an exported record."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the record of PROCESS (its slug) to stdout.")
        export.add_argument("process", help="the process's short name (slug)")
        verify = sub.add_parser("verify", help="Check an exported record's hash chain.")
        verify.add_argument("file", help="a record.jsonl file, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["process"])
        else:
            self._verify(options["file"])

    def _export(self, slug: str) -> None:
        process = Process.objects.filter(slug=slug).first()
        if process is None:
            raise CommandError(f"No process with short name {slug!r}.")
        for line in export_record(process=process):
            self.stdout.write(line, ending="")

    def _verify(self, path: str) -> None:
        try:
            if path == "-":
                entries = parse_jsonl(sys.stdin)
            else:
                with open(path, encoding="utf-8") as handle:
                    entries = parse_jsonl(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        result = verify_chain(entries)
        if not result.ok:
            raise CommandError(
                f"Record broken at entry {result.broken_at} (line {result.broken_at}): {result.problem}"
            )
        self.stdout.write(f"Record intact: {result.entries} entries, hash chain verified.")
