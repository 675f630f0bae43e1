"""`polyvox templates [--format table|json]`: every process template, built-in and saved."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from polyvox.processes.selectors import process_templates


class Command(BaseCommand):
    help = "List the process templates: their phases with default and minimum durations."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--format",
            choices=["table", "json"],
            default="table",
            help="a readable table (default) or JSON: "
            '[{"name", "title", "phases": [{"kind", "title", "min_days", "default_days"}], …}]',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        templates = process_templates()
        if options["format"] == "json":
            data = [spec.as_dict() for spec in templates]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for spec in templates:
            origin = "built-in" if spec.built_in else "saved"
            self.stdout.write(f"{spec.name}  ({origin})  {spec.title}")
            self.stdout.write(f"  {'kind':<16} {'min days':>8} {'default':>8}  title")
            for phase in spec.phases:
                minimum = "-" if phase.min_days is None else str(phase.min_days)
                self.stdout.write(
                    f"  {phase.kind:<16} {minimum:>8} {phase.default_days:>8}  {phase.title}"
                )
            self.stdout.write("")
