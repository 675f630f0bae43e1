"""Language versions of a process's texts: its title, mandate, "how it works" and its phases.

A translator or the secretariat publishes them (`can_publish_translations`); the process's own
fields stay the original, in its first language (`selectors.original_language`). Publishing again
in the same language replaces the text and goes on the record again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Phase, PhaseTranslation, Process, ProcessTranslation
from polyvox.processes.permissions import can_publish_translations
from polyvox.processes.publishing import publish
from polyvox.processes.selectors import original_language

TITLE_MAX = 200
TEXT_MAX = 20_000


def translatable_languages(process: Process) -> list[str]:
    """The process's languages other than the one its texts are written in."""
    original = original_language(process)
    return [str(code) for code in process.languages if code and code != original]


def _check_language(process: Process, language: str) -> str:
    code = (language or "").strip().lower()
    if code == original_language(process):
        raise ValidationError(
            {"language": _("This is the language the process is written in: edit the process.")}
        )
    if code not in translatable_languages(process):
        raise ValidationError(
            {
                "language": _("This process is not run in “%(code)s”; its languages are %(list)s.")
                % {"code": code[:16], "list": ", ".join(process.languages)}
            }
        )
    return code


def _clean(value: str, field: str, *, required: bool, limit: int) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("This text contains a character that is not allowed.")})
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(limit)d characters, please.") % {"limit": limit}}
        )
    return text


@transaction.atomic
def publish_process_translation(
    *,
    actor: User,
    process: Process,
    language: str,
    title: str,
    mandate: str,
    how_it_works: str = "",
) -> ProcessTranslation:
    """Publish (or replace) the process's title, mandate and "how it works" in `language`.

    "how it works" may stay blank: the page then shows the original's, marked with its language."""
    require(
        can_publish_translations(actor, process),
        _("Only a translator or the secretariat of this process publishes translations."),
    )
    code = _check_language(process, language)
    texts = {
        "title": _clean(title, "title", required=True, limit=TITLE_MAX),
        "mandate": _clean(mandate, "mandate", required=bool(process.mandate), limit=TEXT_MAX),
        "how_it_works": _clean(how_it_works, "how_it_works", required=False, limit=TEXT_MAX),
    }
    translation, created = ProcessTranslation.objects.update_or_create(
        process=process, language=code, defaults={**texts, "translated_by": actor}
    )
    publish(
        process=process,
        kind="process.translation_published",
        payload={"language": code, "title": texts["title"], "replaces_earlier": not created},
    )
    return translation


@transaction.atomic
def publish_phase_translation(
    *, actor: User, phase: Phase, language: str, title: str, description: str = ""
) -> PhaseTranslation:
    """Publish (or replace) a phase's title and description in `language`."""
    process = phase.process
    require(
        can_publish_translations(actor, process),
        _("Only a translator or the secretariat of this process publishes translations."),
    )
    code = _check_language(process, language)
    texts = {
        "title": _clean(title, "title", required=True, limit=TITLE_MAX),
        "description": _clean(description, "description", required=False, limit=TEXT_MAX),
    }
    translation, created = PhaseTranslation.objects.update_or_create(
        phase=phase, language=code, defaults={**texts, "translated_by": actor}
    )
    publish(
        process=process,
        kind="phase.translation_published",
        payload={
            "phase": phase.pk,
            "language": code,
            "title": texts["title"],
            "replaces_earlier": not created,
        },
    )
    return translation


@transaction.atomic
def publish_language_version(
    *,
    actor: User,
    process: Process,
    language: str,
    title: str,
    mandate: str,
    how_it_works: str = "",
    phases: dict[int, tuple[str, str]] | None = None,
) -> ProcessTranslation:
    """The translation page's one write: the process texts and every phase given (phase id →
    (title, description)) in `language`, all or nothing. A phase left without a title is skipped
    (not yet translated); a phase of another process is refused."""
    translation = publish_process_translation(
        actor=actor,
        process=process,
        language=language,
        title=title,
        mandate=mandate,
        how_it_works=how_it_works,
    )
    given = phases or {}
    own = {phase.pk: phase for phase in Phase.objects.filter(process=process, pk__in=list(given))}
    for phase_id, (phase_title, description) in given.items():
        if phase_id not in own:
            raise ValidationError({"phases": _("A phase of another process was given.")})
        if not (phase_title or "").strip() and not (description or "").strip():
            continue
        try:
            publish_phase_translation(
                actor=actor,
                phase=own[phase_id],
                language=language,
                title=phase_title,
                description=description,
            )
        except ValidationError as error:
            # Name the field of the form this phase fills.
            raise ValidationError(
                {
                    f"phase_{phase_id}_{field}": messages
                    for field, messages in error.message_dict.items()
                }
            ) from error
    return translation


@transaction.atomic
def withdraw_process_translation(*, actor: User, process: Process, language: str) -> None:
    """Take the process's texts in `language` (and its phases') down: pages show the original
    again. On the record, like their publication."""
    require(
        can_publish_translations(actor, process),
        _("Only a translator or the secretariat of this process publishes translations."),
    )
    code = (language or "").strip().lower()
    removed, _counts = ProcessTranslation.objects.filter(process=process, language=code).delete()
    PhaseTranslation.objects.filter(phase__process=process, language=code).delete()
    if not removed:
        raise ValidationError({"language": _("There is no translation in this language.")})
    publish(process=process, kind="process.translation_withdrawn", payload={"language": code})
