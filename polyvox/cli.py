"""The `polyvox` command: analytics on files (no database) or Django management commands."""

import os
import sys

# Multi-word commands from the docs map onto management commands.
COMMAND_ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> int:
    """`polyvox analyse …` runs pure analytics; anything else is a management command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("analyse", "analyze"):
        from polyvox.analytics.cli import main as analyse

        return analyse(args[1:])
    if args:
        args[0] = COMMAND_ALIASES.get(args[0], args[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["polyvox", *args])
    return 0
