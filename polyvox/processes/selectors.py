"""Reads about processes and phases; time is always passed in."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, require
from polyvox.participants.models import StatementOfInterest, User
from polyvox.participants.selectors import statement_of_interest_history
from polyvox.processes.models import (
    Invitation,
    Membership,
    Phase,
    PhaseChange,
    PhaseTranslation,
    Process,
    ProcessTemplate,
    ProcessTranslation,
    Role,
)
from polyvox.processes.participation import participant_sources
from polyvox.processes.permissions import can_see_participant_interests, is_secretariat
from polyvox.processes.process_templates import (
    BUILT_IN_TEMPLATES,
    PhaseSpec,
    ProcessTemplateSpec,
    built_in_template,
)


def processes_for(*, viewer: Actor | None) -> QuerySet[Process]:
    """Every process is public to read; participation rules apply to writing."""
    return Process.objects.order_by("-created_at")


def access_process(*, viewer: Actor | None, slug: str) -> Process:
    process = processes_for(viewer=viewer).filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    return process


def process_participants(process: Process) -> QuerySet[User]:
    """Everyone taking part: members (secretariat, invitees) and what the apps above register
    (contributors, voters; see `processes.participation`)."""
    taking_part = Q(memberships__process=process)
    for source in participant_sources():
        taking_part |= Q(pk__in=source(process))
    return User.objects.filter(taking_part, is_active=True).distinct().order_by("pk")


def participant_interests(
    *, viewer: Actor | None, process: Process, user: User
) -> QuerySet[StatementOfInterest]:
    """A participant's statement-of-interest revisions, newest first: for the person themself and
    this process's secretariat only (403 for anyone else)."""
    require(
        can_see_participant_interests(viewer, user, process),
        _("Only the participant and the secretariat of the process may see this statement."),
    )
    return statement_of_interest_history(user)


def _saved_spec(saved: ProcessTemplate) -> ProcessTemplateSpec:
    phases = tuple(
        PhaseSpec(
            kind=str(phase["kind"]),
            title=str(phase["title"]),
            min_days=phase.get("min_days"),
            default_days=int(phase["default_days"]),
        )
        for phase in saved.phases
    )
    return ProcessTemplateSpec(
        name=saved.name,
        title=saved.title,
        description=saved.description,
        how_it_works=saved.how_it_works,
        decision_mode=saved.decision_mode,
        identity_policy=saved.identity_policy,
        participation_policy=saved.participation_policy,
        phases=phases,
        built_in=False,
    )


def process_templates() -> list[ProcessTemplateSpec]:
    """Every template: the built-in ones (in their order), then those saved, by name.

    Templates are public: they hold a process design, never anyone's data."""
    return [
        *BUILT_IN_TEMPLATES,
        *(_saved_spec(t) for t in ProcessTemplate.objects.order_by("name")),
    ]


def process_template(name: str) -> ProcessTemplateSpec | None:
    """The template called `name`, built-in first; None if there is none."""
    spec = built_in_template(name)
    if spec is not None:
        return spec
    saved = ProcessTemplate.objects.filter(name=name).first()
    return _saved_spec(saved) if saved is not None else None


def process_members(*, viewer: Actor | None, process: Process) -> QuerySet[Membership]:
    """Every role held in the process, with the people's accounts (e-mail addresses included):
    for its secretariat only (403 for anyone else)."""
    require(is_secretariat(viewer, process), _("Only the secretariat manages this process."))
    return (
        Membership.objects.filter(process=process)
        .select_related("user", "user__profile")
        .order_by("user__username", "role")
    )


def process_staff(process: Process) -> QuerySet[Membership]:
    """Who runs the process (secretariat, chair, moderators, rapporteurs): public, without
    e-mail addresses; invited participants and observers are not listed."""
    staff = [Role.SECRETARIAT, Role.CHAIR, Role.MODERATOR, Role.RAPPORTEUR]
    return (
        Membership.objects.filter(process=process, role__in=staff, user__is_active=True)
        .select_related("user", "user__profile")
        .order_by("role", "user__username")
    )


def pending_invitations(*, viewer: Actor | None, process: Process) -> QuerySet[Invitation]:
    """Invitations not yet accepted, with their (private) addresses: for the secretariat only."""
    require(is_secretariat(viewer, process), _("Only the secretariat manages this process."))
    return Invitation.objects.filter(process=process, accepted_at__isnull=True)


def access_invitation(token: str) -> Invitation:
    """The invitation behind a link, or 404 (unknown token, or already used)."""
    invitation = (
        Invitation.objects.select_related("process", "invited_by")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404(_("This invitation does not exist or has already been used."))
    return invitation


def schedule_changes(process: Process) -> QuerySet[PhaseChange]:
    """Phases moved, extended, closed early or removed, oldest first, each with its public reason.

    Additions are left out: the timeline itself shows every phase there is."""
    return (
        PhaseChange.objects.filter(process=process)
        .exclude(kind=PhaseChange.Kind.ADDED)
        .order_by("created_at", "id")
    )


# Language versions of the process texts (issue 13.1) ---------------------------------------------


def original_language(process: Process) -> str:
    """The language the process's own title, mandate and phases are written in: its first
    language (`Process.languages` keeps the order the secretariat gave), else the site's."""
    languages = [str(code) for code in (process.languages or []) if code]
    return languages[0] if languages else str(settings.LANGUAGE_CODE)


def _language_candidates(language: str) -> list[str]:
    """`zh-hans` → [`zh-hans`, `zh`]: a translation in the base language serves a regional one."""
    code = (language or "").strip().lower()
    if not code:
        return []
    base = code.split("-", 1)[0]
    return [code] if base == code else [code, base]


@dataclass(frozen=True)
class LocalizedProcess:
    """The process texts as a page in one language shows them: the translation where there is
    one, else the original, with the language of what is shown (for `lang` on the element)."""

    title: str
    mandate: str
    how_it_works: str
    language: str
    is_translation: bool
    # The language of `how_it_works` when the translation leaves it to the original.
    how_it_works_language: str = ""
    original_language: str = ""
    # True when the original changed after the translation was last saved.
    may_be_outdated: bool = False


@dataclass(frozen=True)
class LocalizedPhase:
    title: str
    description: str
    language: str
    is_translation: bool
    description_language: str = ""


def _pick(translations: Iterable[ProcessTranslation], language: str) -> ProcessTranslation | None:
    by_language = {t.language.lower(): t for t in translations}
    for code in _language_candidates(language):
        if code in by_language:
            return by_language[code]
    return None


def _localize_process(
    process: Process, translation: ProcessTranslation | None, language: str
) -> LocalizedProcess:
    original = original_language(process)
    if translation is None or translation.language.lower() == original.lower():
        return LocalizedProcess(
            title=process.title,
            mandate=process.mandate,
            how_it_works=process.how_it_works,
            language=original,
            is_translation=False,
            how_it_works_language=original,
            original_language=original,
        )
    # A translator may leave "how it works" to the original (it is often added later).
    how_it_works, how_language = translation.how_it_works, translation.language
    if not how_it_works and process.how_it_works:
        how_it_works, how_language = process.how_it_works, original
    return LocalizedProcess(
        title=translation.title,
        mandate=translation.mandate or process.mandate,
        how_it_works=how_it_works,
        language=translation.language,
        is_translation=True,
        how_it_works_language=how_language,
        original_language=original,
        may_be_outdated=process.updated_at is not None
        and translation.updated_at is not None
        and process.updated_at > translation.updated_at,
    )


def _translations_of(process: Process, language: str) -> list[ProcessTranslation]:
    cache = getattr(process, "_prefetched_objects_cache", {})
    if "translations" in cache:
        return list(process.translations.all())
    return list(
        ProcessTranslation.objects.filter(
            process=process, language__in=_language_candidates(language)
        )
    )


def localized_process(process: Process, language: str) -> LocalizedProcess:
    """The process texts for a page in `language` (one query; none if `translations` is
    prefetched)."""
    if not _language_candidates(language):
        return _localize_process(process, None, language)
    return _localize_process(
        process, _pick(_translations_of(process, language), language), language
    )


def localized_processes(processes: Iterable[Process], language: str) -> dict[int, LocalizedProcess]:
    """`localized_process` for many processes in one query, keyed by process id."""
    listed = list(processes)
    found: dict[int, list[ProcessTranslation]] = {p.pk: [] for p in listed}
    candidates = _language_candidates(language)
    if candidates and listed:
        for translation in ProcessTranslation.objects.filter(
            process_id__in=list(found), language__in=candidates
        ):
            found[translation.process_id].append(translation)
    return {p.pk: _localize_process(p, _pick(found[p.pk], language), language) for p in listed}


def _localize_phase(
    phase: Phase, original: str, translation: PhaseTranslation | None
) -> LocalizedPhase:
    if translation is None or translation.language.lower() == original.lower():
        return LocalizedPhase(
            title=phase.title,
            description=phase.description,
            language=original,
            is_translation=False,
            description_language=original,
        )
    description, description_language = translation.description, translation.language
    if not description and phase.description:
        description, description_language = phase.description, original
    return LocalizedPhase(
        title=translation.title,
        description=description,
        language=translation.language,
        is_translation=True,
        description_language=description_language,
    )


def _pick_phase(translations: Iterable[PhaseTranslation], language: str) -> PhaseTranslation | None:
    by_language = {t.language.lower(): t for t in translations}
    for code in _language_candidates(language):
        if code in by_language:
            return by_language[code]
    return None


def localized_phase(phase: Phase, language: str) -> LocalizedPhase:
    """A phase's title and description for a page in `language` (the original where no
    translation exists). Give phases `select_related("process")` to spare a query."""
    original = original_language(phase.process)
    cache = getattr(phase, "_prefetched_objects_cache", {})
    if "translations" in cache:
        translations = list(phase.translations.all())
    else:
        translations = list(
            PhaseTranslation.objects.filter(
                phase=phase, language__in=_language_candidates(language)
            )
        )
    return _localize_phase(phase, original, _pick_phase(translations, language))


def localized_phases(phases: Iterable[Phase], language: str) -> dict[int, LocalizedPhase]:
    """`localized_phase` for many phases (of one or more processes) in one query."""
    listed = list(phases)
    found: dict[int, list[PhaseTranslation]] = {p.pk: [] for p in listed}
    candidates = _language_candidates(language)
    if candidates and listed:
        for translation in PhaseTranslation.objects.filter(
            phase_id__in=list(found), language__in=candidates
        ):
            found[translation.phase_id].append(translation)
    return {
        p.pk: _localize_phase(p, original_language(p.process), _pick_phase(found[p.pk], language))
        for p in listed
    }


@dataclass(frozen=True)
class LanguageVersion:
    """How far the process texts are translated into one of its languages."""

    language: str
    translation: ProcessTranslation | None
    phases_translated: int
    phases_total: int
    may_be_outdated: bool


def language_versions(process: Process) -> list[LanguageVersion]:
    """One row per language of the process other than the original's (three queries)."""
    original = original_language(process)
    languages = [str(code) for code in process.languages if code and code != original]
    translations = {
        t.language: t
        for t in ProcessTranslation.objects.filter(process=process, language__in=languages)
    }
    phases_total = Phase.objects.filter(process=process).count()
    per_language = dict(
        PhaseTranslation.objects.filter(phase__process=process, language__in=languages)
        .values_list("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    return [
        LanguageVersion(
            language=code,
            translation=translations.get(code),
            phases_translated=int(per_language.get(code, 0)),
            phases_total=phases_total,
            may_be_outdated=code in translations
            and process.updated_at > translations[code].updated_at,
        )
        for code in languages
    ]
