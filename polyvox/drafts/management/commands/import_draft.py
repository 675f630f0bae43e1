"""`polyvox import_draft PROCESS DRAFT FILE.md --actor USERNAME`: publish a version from a file."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from polyvox.drafts.anchors import parse_sections
from polyvox.drafts.models import Draft, DraftVersion
from polyvox.drafts.services import create_draft, import_draft_text
from polyvox.participants.models import User
from polyvox.processes.models import Process


class Command(BaseCommand):
    help = (
        "Publish a new version of a draft from a UTF-8 Markdown file, as a secretariat member. "
        "The draft is created first when it does not exist yet."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("process", help="the process's short name (slug)")
        parser.add_argument("draft", help="the draft's short name (slug)")
        parser.add_argument("file", help="the Markdown file of the new version")
        parser.add_argument("--actor", required=True, help="username of a secretariat member")
        parser.add_argument("--note", default="", help="what changed in this version")
        parser.add_argument(
            "--title", default="", help="title of a new draft (default: the file's first heading)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        process = Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"No process with short name {options['process']!r}.")
        actor = User.objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"No user with username {options['actor']!r}.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            draft, version = _publish(process, actor, content, options)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Published {draft.slug} version {version.number} "
            f"({version.sections.count()} sections): {version.get_absolute_url()}"
        )


@transaction.atomic  # a new draft is kept only if its first version is published
def _publish(
    process: Process, actor: User, content: bytes, options: dict[str, Any]
) -> tuple[Draft, DraftVersion]:
    draft = Draft.objects.filter(process=process, slug=options["draft"]).first()
    if draft is None:
        title = options["title"] or _first_heading(content) or options["draft"]
        draft = create_draft(actor=actor, process=process, slug=options["draft"], title=title)
    version = import_draft_text(actor=actor, draft=draft, content=content, note=options["note"])
    return draft, version


def _first_heading(content: bytes) -> str:
    text = content.decode("utf-8-sig", errors="replace")
    return next((s.heading[:200] for s in parse_sections(text) if s.is_heading), "")
