"""Translator pages: which languages the process texts exist in, and one language's version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import User
from polyvox.processes.forms import TranslationForm
from polyvox.processes.models import PhaseTranslation, Process, ProcessTranslation
from polyvox.processes.permissions import can_publish_translations
from polyvox.processes.selectors import access_process, language_versions, original_language
from polyvox.processes.services.translations import (
    publish_language_version,
    translatable_languages,
    withdraw_process_translation,
)


def _translator(request: HttpRequest, slug: str) -> tuple[User, Process]:
    """The signed-in translator (or secretariat member) and the process; 403 for anyone else."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    if not can_publish_translations(actor, process):
        raise PermissionDenied(
            _("Only a translator or the secretariat of this process publishes translations.")
        )
    return actor, process


@login_required
def translations(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, process = _translator(request, slug)
    return render(
        request,
        "processes/translations.html",
        {
            "process": process,
            "original_language": original_language(process),
            "versions": language_versions(process),
        },
    )


def _initial(process: Process, language: str) -> dict[str, str]:
    translation = ProcessTranslation.objects.filter(process=process, language=language).first()
    initial: dict[str, str] = {}
    if translation is not None:
        initial = {
            "title": translation.title,
            "mandate": translation.mandate,
            "how_it_works": translation.how_it_works,
        }
    for phase_translation in PhaseTranslation.objects.filter(
        phase__process=process, language=language
    ):
        initial[f"phase_{phase_translation.phase_id}_title"] = phase_translation.title
        initial[f"phase_{phase_translation.phase_id}_description"] = phase_translation.description
    return initial


@login_required
def translation_edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    actor, process = _translator(request, slug)
    if language not in translatable_languages(process):
        raise Http404(_("This process is not translated into that language."))
    phases = list(process.phases.order_by("starts_at", "id"))
    form = TranslationForm(
        request.POST or None,
        language=language,
        phases=phases,
        initial=_initial(process, language),
    )
    if request.method == "POST" and form.is_valid():
        try:
            publish_language_version(
                actor=actor,
                process=process,
                language=language,
                title=form.cleaned_data["title"],
                mandate=form.cleaned_data["mandate"],
                how_it_works=form.cleaned_data["how_it_works"],
                phases=form.phase_texts(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Translation published."))
            return redirect("processes:translations", slug=process.slug)
    return render(
        request,
        "processes/translation_form.html",
        {
            "process": process,
            "form": form,
            "language": language,
            "original_language": original_language(process),
        },
    )


@login_required
@require_POST
def translation_withdraw(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    actor, process = _translator(request, slug)
    try:
        withdraw_process_translation(actor=actor, process=process, language=language)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Translation withdrawn: pages show the original again."))
    return redirect("processes:translations", slug=process.slug)
