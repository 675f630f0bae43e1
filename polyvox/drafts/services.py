"""Writes for drafts: create a draft; save a version from Markdown, preview, schedule, publish it."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace, refuse_unstorable
from polyvox.drafts.anchors import ParsedSection, carry_over_anchors, parse_sections
from polyvox.drafts.hashing import section_digests, text_sha256
from polyvox.drafts.models import Draft, DraftVersion, Section, VersionTranslation
from polyvox.drafts.permissions import can_publish_versions
from polyvox.notifications.circulation import circulate
from polyvox.notifications.models import NotificationKind
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.selectors import localized_process
from polyvox.record.services import append_entry

# About 60 pages of text: larger drafts should be split into several drafts.
MAX_MARKDOWN_CHARS = 200_000
MAX_HEADING_CHARS = 300
# Slugs that would clash with the drafts app's own URLs (drafts/new/).
RESERVED_SLUGS = frozenset({"new"})


@transaction.atomic
def create_draft(
    *, actor: User, process: Process, slug: str, title: str, language: str = ""
) -> Draft:
    """Create an empty draft; it becomes public when its first version is published.

    `language` is the language its text is written in (blank: the process's first language);
    language versions are translated from it (`drafts.translating`)."""
    require(
        can_publish_versions(actor, process),
        _("Only the secretariat and rapporteurs create drafts."),
    )
    slug, title, language = slug.strip(), title.strip(), (language or "").strip().lower()
    if language and language not in {code for code, _label in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose one of the platform's languages.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This short name is reserved; choose another.")})
    if Draft.objects.filter(process=process, slug=slug).exists():
        raise ValidationError({"slug": _("This process already has a draft with this short name.")})
    draft = Draft(process=process, slug=slug, title=title, language=language)
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def save_version(
    *,
    actor: User,
    draft: Draft,
    markdown: str,
    note: str = "",
    scheduled_for: datetime | None = None,
) -> DraftVersion:
    """Save version N+1 unpublished, to preview (and optionally schedule) before publishing.

    Anchors are carried over from the latest published version. A draft has at most one
    pending version: saving again replaces its text (it was never public, so nothing anyone read
    or commented on changes) and clears its schedule, so what is published is what was previewed
    last."""
    process = draft.process
    require(
        can_publish_versions(actor, process), _("Only the secretariat publishes draft versions.")
    )
    markdown, note = normalize_whitespace(markdown), normalize_whitespace(note)
    refuse_unstorable(markdown, "markdown")
    refuse_unstorable(note, "note")
    parsed = _validated_sections(markdown)
    if scheduled_for is not None:
        _check_schedule(scheduled_for)
    Draft.objects.select_for_update().filter(pk=draft.pk).first()  # serialise version numbers
    versions = DraftVersion.objects.filter(draft=draft)  # not draft.versions: may be prefetched
    published = versions.published().order_by("-number").first()
    version = versions.pending().first()
    if version is None:
        number = (published.number + 1) if published else 1
        version = DraftVersion(draft=draft, number=number, published_by=actor)
    else:
        version.sections.all().delete()  # never public: no input or answer points to them
    previous_sections = list(published.sections.all()) if published else []
    used = Section.objects.published().filter(version__draft=draft).values_list("anchor", flat=True)
    anchored = carry_over_anchors(previous_sections, parsed, used_anchors=set(used))
    version.source_markdown, version.note = markdown, note
    version.published_by, version.scheduled_for = actor, None
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
    if scheduled_for is not None:
        return schedule_version(actor=actor, version=version, when=scheduled_for)
    return version


@transaction.atomic
def publish_version(*, actor: User, version: DraftVersion) -> DraftVersion:
    """Publish a saved version now: it becomes public and never changes again.

    Appends "version.published" to the record with the SHA-256 of the source text and of each
    section (`drafts.hashing`), and notifies the process's participants."""
    process = version.draft.process
    require(
        can_publish_versions(actor, process), _("Only the secretariat publishes draft versions.")
    )
    locked = DraftVersion.objects.select_for_update().select_related("draft__process")
    version = locked.get(pk=version.pk)
    if version.published_at is not None:
        raise ValidationError({"version": _("This version is already published.")})
    version.published_at, version.published_by, version.scheduled_for = timezone.now(), actor, None
    version.save(update_fields=["published_at", "published_by", "scheduled_for"])
    sections = list(version.sections.order_by("order"))
    append_entry(
        process=process,
        kind="version.published",
        payload={
            "draft": version.draft.slug,
            "version": version.number,
            "sections": len(sections),
            "note": version.note,
            "sha256": text_sha256(version.source_markdown),
            "section_hashes": list(section_digests(sections)),
        },
    )
    _notify_participants(actor=actor, version=version)
    return version


@transaction.atomic
def schedule_version(*, actor: User, version: DraftVersion, when: datetime) -> DraftVersion:
    """Publish a saved version at `when` (as `actor`), through a task queued for that time.

    The task publishes only if the version is still scheduled for a time that has come, so a
    rescheduled or already published version is left alone (`publish_due_versions` catches up
    any version whose task did not run)."""
    process = version.draft.process
    require(
        can_publish_versions(actor, process), _("Only the secretariat publishes draft versions.")
    )
    _check_schedule(when)
    version = DraftVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        raise ValidationError({"scheduled_for": _("This version is already published.")})
    version.scheduled_for, version.published_by = when, actor
    version.save(update_fields=["scheduled_for", "published_by"])
    from polyvox.drafts.tasks import publish_scheduled_version_task

    task = publish_scheduled_version_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=when)
    pk = version.pk
    transaction.on_commit(lambda: task.enqueue(pk))
    return version


@transaction.atomic
def publish_if_due(*, version_id: int, now: datetime) -> DraftVersion | None:
    """Publish the version if it is still scheduled for `now` or earlier; otherwise do nothing.

    Safe to call any number of times (the scheduled task, the catch-up command): the row is
    locked, so an edit or a second run cannot slip between the check and the publication."""
    version = (
        DraftVersion.objects.select_for_update(of=("self",))
        .pending()
        .filter(pk=version_id, scheduled_for__lte=now)
        .select_related("published_by", "draft__process")
        .first()
    )
    if version is None:
        return None
    return publish_version(actor=version.published_by, version=version)


def publish_due_versions(*, now: datetime) -> list[DraftVersion]:
    """Publish every scheduled version whose time has come (oldest schedule first)."""
    due = DraftVersion.objects.pending().filter(scheduled_for__lte=now)
    published = []
    for version_id in due.order_by("scheduled_for", "pk").values_list("pk", flat=True):
        try:
            version = publish_if_due(version_id=version_id, now=now)
        except PermissionDenied:
            continue  # whoever scheduled it lost the right to publish: it stays for a person
        if version is not None:
            published.append(version)
    return published


def publish_draft_version(
    *, actor: User, draft: Draft, markdown: str, note: str = ""
) -> DraftVersion:
    """Save and publish version N+1 in one step (the demo, the import command, the API)."""
    with transaction.atomic():
        version = save_version(actor=actor, draft=draft, markdown=markdown, note=note)
        return publish_version(actor=actor, version=version)


def _check_schedule(when: datetime) -> None:
    if timezone.is_naive(when) or when <= timezone.now():
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})


def import_draft_text(*, actor: User, draft: Draft, content: bytes, note: str = "") -> DraftVersion:
    """Publish a version from the bytes of a UTF-8 Markdown file (an upload or a file on disk)."""
    markdown = decode_draft_file(content)
    return publish_draft_version(actor=actor, draft=draft, markdown=markdown, note=note)


def decode_draft_file(content: bytes) -> str:
    """The Markdown text of an uploaded file; a file that is not UTF-8 is refused."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {"file": _("The file must be UTF-8 encoded Markdown text.")}
        ) from error


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
    """Circulate the new version to everyone following or taking part in the process, each in
    their language: the process title as translated, the draft title as its latest language
    version gives it; the version note stays as the secretariat wrote it."""
    draft = version.draft
    process = draft.process
    # The latest language version with a title wins (later rows overwrite earlier ones).
    draft_titles = {
        language.lower(): title
        for language, title in VersionTranslation.objects.filter(version__draft=draft)
        .exclude(title="")
        .order_by("published_at", "pk")
        .values_list("language", "title")
    }

    def compose(language: str) -> tuple[str, str]:
        title = draft_titles.get(language, draft.title)
        subject = _("New version of “%(title)s”: version %(number)d") % {
            "title": title,
            "number": version.number,
        }
        body = _(
            "The secretariat of “%(process)s” published version %(number)d of “%(title)s”."
        ) % {
            "process": localized_process(process, language).title,
            "number": version.number,
            "title": title,
        }
        if version.note:
            body += "\n\n" + _("What changed: %(note)s") % {"note": version.note}
        return subject, body

    # To everyone following or taking part in the process, not only those who took part.
    circulate(
        process=process,
        kind=NotificationKind.VERSION,
        compose=compose,
        url=version.get_absolute_url(),
        exclude=actor,
    )
