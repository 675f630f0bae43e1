"""Process pages: the list, one process with its timeline, and secretariat set-up forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polyvox.core.forms import apply_validation_error
from polyvox.participants.http import signed_in_user
from polyvox.participants.selectors import active_participant, public_profile
from polyvox.processes.forms import PhaseForm, ProcessForm
from polyvox.processes.home import process_cards
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.processes.permissions import (
    can_create_process,
    can_publish_translations,
    is_secretariat,
)
from polyvox.processes.selectors import (
    access_process,
    localized_phases,
    localized_process,
    participant_interests,
    process_staff,
    processes_for,
    schedule_changes,
)
from polyvox.processes.services.creating import create_process
from polyvox.processes.services.scheduling import schedule_phase


def process_list(request: HttpRequest) -> HttpResponse:
    """The home page: each process with its current phase and deadline (`processes.home`)."""
    processes = processes_for(viewer=request.user)
    cards = process_cards(processes, language=get_language() or "")
    return render(
        request,
        "processes/list.html",
        {"cards": cards, "can_create": can_create_process(request.user)},
    )


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    now = timezone.now()
    language = get_language() or ""
    all_phases = list(process.phases.all())
    # Each phase's title and description in the page's language where translated (one query).
    texts = localized_phases(all_phases, language)
    phases = [(phase, phase.status(now), texts[phase.pk]) for phase in all_phases]
    return render(
        request,
        "processes/detail.html",
        {
            "process": process,
            "localized": localized_process(process, language),
            "phases": phases,
            "is_secretariat": is_secretariat(request.user, process),
            "can_translate": can_publish_translations(request.user, process),
            "schedule_changes": schedule_changes(process),
            "sections": PROCESS_PAGE.build(request, process=process),
            "staff": process_staff(process),
        },
    )


@login_required
def process_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    if not can_create_process(actor):
        raise PermissionDenied(_("Only staff members can create processes."))
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            process = create_process(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Process created."))
            return redirect(process)
    return render(request, "processes/form.html", {"form": form, "heading": _("New process")})


@login_required
def phase_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            schedule_phase(actor=actor, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Phase scheduled."))
            return redirect(process)
    return render(
        request,
        "processes/form.html",
        {"form": form, "process": process, "heading": _("Schedule a phase")},
    )


def participant_interests_view(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    """A participant's statement-of-interest revisions, for this process's secretariat."""
    process = access_process(viewer=request.user, slug=slug)
    person = active_participant(username)
    history = participant_interests(viewer=request.user, process=process, user=person)
    return render(
        request,
        "processes/participant_interests.html",
        {
            "person": public_profile(viewer=request.user, user=person),
            "process": process,
            "history": history,
        },
    )
