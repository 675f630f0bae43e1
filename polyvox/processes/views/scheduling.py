"""Secretariat pages to edit a process and move, close early or remove its phases."""

from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import User
from polyvox.processes.forms import PhaseReasonForm, PhaseRescheduleForm, ProcessEditForm
from polyvox.processes.models import Phase, Process
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.selectors import access_process
from polyvox.processes.services.editing import edit_process
from polyvox.processes.services.scheduling import (
    close_phase_early,
    remove_phase,
    reschedule_phase,
)


def _managed_process(request: HttpRequest, slug: str) -> tuple[User, Process]:
    """The signed-in secretariat member and their process; 403 for anyone else, before any form."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    if not is_secretariat(actor, process):
        raise PermissionDenied(_("Only the secretariat manages this process."))
    return actor, process


@login_required
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor, process = _managed_process(request, slug)
    # The form writes what it cleans onto its instance: give it a copy, so the service compares
    # the new values with the process as stored.
    form = ProcessEditForm(request.POST or None, instance=Process.objects.get(pk=process.pk))
    if request.method == "POST" and form.is_valid():
        try:
            edit_process(actor=actor, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Process saved."))
            return redirect(process)
    return render(
        request,
        "processes/form.html",
        {"form": form, "process": process, "heading": _("Edit the process")},
    )


@login_required
def phase_edit(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    actor, process = _managed_process(request, slug)
    phase = get_object_or_404(Phase, pk=phase_id, process=process)
    initial = {"starts_at": phase.starts_at, "ends_at": phase.ends_at}
    form = PhaseRescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        dates = {
            name: _unless_same_minute(form.cleaned_data[name], getattr(phase, name))
            for name in ("starts_at", "ends_at")
        }
        try:
            reschedule_phase(actor=actor, phase=phase, **(form.cleaned_data | dates))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Phase rescheduled; the reason is published."))
            return redirect(process)
    return _phase_page(request, phase, form=form)


@login_required
@require_POST
def phase_close_early(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    return _act_with_reason(
        request, slug, phase_id, "close", close_phase_early,
        _("Phase closed; participants were told why."),
    )  # fmt: skip


@login_required
@require_POST
def phase_remove(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    return _act_with_reason(
        request, slug, phase_id, "remove", remove_phase,
        _("Phase removed; the reason is published."),
    )  # fmt: skip


def _act_with_reason(
    request: HttpRequest,
    slug: str,
    phase_id: int,
    prefix: str,
    service: Callable[..., object],
    done: str,
) -> HttpResponse:
    """Close early or remove: one reason, published; errors shown on the phase page's form."""
    actor, process = _managed_process(request, slug)
    phase = get_object_or_404(Phase, pk=phase_id, process=process)
    form = PhaseReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(actor=actor, phase=phase, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect(process)
    if prefix == "close":
        return _phase_page(request, phase, close_form=form)
    return _phase_page(request, phase, remove_form=form)


def _unless_same_minute(given: datetime, stored: datetime) -> datetime:
    """The form shows minutes: a date sent back unchanged keeps its stored seconds, so a started
    phase's start is not taken for a move."""
    return stored if given == stored.replace(second=0, microsecond=0) else given


def _phase_page(
    request: HttpRequest,
    phase: Phase,
    *,
    form: PhaseRescheduleForm | None = None,
    close_form: PhaseReasonForm | None = None,
    remove_form: PhaseReasonForm | None = None,
) -> HttpResponse:
    """One page per phase: reschedule it, and close it early (if open) or remove it (if upcoming)."""
    phase.refresh_from_db()
    phase_status = phase.status(timezone.now())
    initial = {"starts_at": phase.starts_at, "ends_at": phase.ends_at}
    context = {
        "process": phase.process,
        "phase": phase,
        "phase_status": phase_status,
        "form": form or PhaseRescheduleForm(initial=initial),
        # A refused close or removal shows its form with the error, whatever the phase's state.
        "close_form": close_form
        or (PhaseReasonForm(prefix="close") if phase_status == "open" else None),
        "remove_form": remove_form
        or (PhaseReasonForm(prefix="remove") if phase_status == "upcoming" else None),
    }
    # 200 with the errors on the form, as the other forms do: hx-boost swaps in only 2xx answers.
    return render(request, "processes/phase_edit.html", context)
