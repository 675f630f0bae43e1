"""Writes for drafts: create a draft, publish a version from Markdown (anchors carried over)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace
from polyvox.drafts.anchors import ParsedSection, carry_over_anchors, parse_sections
from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.selectors import process_participants
from polyvox.record.services import append_entry

# About 60 pages of text: larger drafts should be split into several drafts.
MAX_MARKDOWN_CHARS = 200_000
MAX_HEADING_CHARS = 300
# Slugs that would clash with the drafts app's own URLs (drafts/new/).
RESERVED_SLUGS = frozenset({"new"})


@transaction.atomic
def create_draft(*, actor: User, process: Process, slug: str, title: str) -> Draft:
    """Create an empty draft; it becomes public when its first version is published."""
    require(is_secretariat(actor, process), _("Only the secretariat creates drafts."))
    slug, title = slug.strip(), title.strip()
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This short name is reserved; choose another.")})
    if Draft.objects.filter(process=process, slug=slug).exists():
        raise ValidationError({"slug": _("This process already has a draft with this short name.")})
    draft = Draft(process=process, slug=slug, title=title)
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def publish_draft_version(
    *, actor: User, draft: Draft, markdown: str, note: str = ""
) -> DraftVersion:
    """Publish version N+1 from Markdown; kept and edited sections keep version N's anchors.

    Appends "version.published" to the record and notifies the process's participants."""
    process = draft.process
    require(is_secretariat(actor, process), _("Only the secretariat publishes draft versions."))
    markdown, note = normalize_whitespace(markdown), normalize_whitespace(note)
    parsed = _validated_sections(markdown)
    Draft.objects.select_for_update().filter(pk=draft.pk).first()  # serialise version numbers
    previous = draft.versions.order_by("-number").first()
    previous_sections = list(previous.sections.all()) if previous else []
    used = Section.objects.filter(version__draft=draft).values_list("anchor", flat=True)
    anchored = carry_over_anchors(previous_sections, parsed, used_anchors=set(used))
    version = DraftVersion(
        draft=draft,
        number=(previous.number + 1) if previous else 1,
        source_markdown=markdown,
        note=note,
        published_at=timezone.now(),
        published_by=actor,
    )
    version.full_clean()
    version.save()
    sections = [
        Section(
            version=version,
            anchor=s.anchor,
            order=order,
            level=s.level,
            heading=s.heading,
            text=s.text,
        )
        for order, s in enumerate(anchored, start=1)
    ]
    for section in sections:
        section.full_clean(exclude=["version"], validate_constraints=False)
    Section.objects.bulk_create(sections)
    append_entry(
        process=process,
        kind="version.published",
        payload={
            "draft": draft.slug,
            "version": version.number,
            "sections": len(sections),
            "note": note,
        },
    )
    _notify_participants(actor=actor, version=version)
    return version


def import_draft_text(*, actor: User, draft: Draft, content: bytes, note: str = "") -> DraftVersion:
    """Publish a version from the bytes of a UTF-8 Markdown file (an upload or a file on disk)."""
    try:
        markdown = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {"file": _("The file must be UTF-8 encoded Markdown text.")}
        ) from error
    return publish_draft_version(actor=actor, draft=draft, markdown=markdown, note=note)


def _validated_sections(markdown: str) -> list[ParsedSection]:
    if not markdown:
        raise ValidationError({"markdown": _("The draft text is empty.")})
    if len(markdown) > MAX_MARKDOWN_CHARS:
        raise ValidationError(
            {
                "markdown": _("The draft text is too long (at most %(max)d characters).")
                % {"max": MAX_MARKDOWN_CHARS}
            }
        )
    parsed = parse_sections(markdown)
    if not parsed:
        raise ValidationError({"markdown": _("The draft text has no heading or paragraph.")})
    too_long = next((s.heading for s in parsed if len(s.heading) > MAX_HEADING_CHARS), None)
    if too_long is not None:
        raise ValidationError(
            {"markdown": _("A heading is longer than %(max)d characters: “%(start)s…”.")
             % {"max": MAX_HEADING_CHARS, "start": too_long[:40]}}
        )  # fmt: skip
    return parsed


def _notify_participants(*, actor: User, version: DraftVersion) -> None:
    draft = version.draft
    recipients = process_participants(draft.process).exclude(pk=actor.pk)
    subject = _("New version of “%(title)s”: version %(number)d") % {
        "title": draft.title,
        "number": version.number,
    }
    body = _("The secretariat of “%(process)s” published version %(number)d of “%(title)s”.") % {
        "process": draft.process.title,
        "number": version.number,
        "title": draft.title,
    }
    if version.note:
        body += "\n\n" + _("What changed: %(note)s") % {"note": version.note}
    notify(recipients=recipients, subject=subject, body=body, url=version.get_absolute_url())
