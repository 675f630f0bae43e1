"""Consensus designations: the chair proposes and finalises; participants object.

The chair's forms show the evidence panel beside them. An objection or a withdrawal refused by its
service (the window closed meanwhile, a second objection) comes back on the recommendation's page
with the message (200); who may not act at all gets the 403 page with the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.organisations.permissions import represented_by
from polyvox.outcomes.forms.designations import (
    FinaliseDesignationForm,
    ObjectionForm,
    ProposeDesignationForm,
)
from polyvox.outcomes.models import Objection
from polyvox.outcomes.permissions import can_designate, objections_are_open
from polyvox.outcomes.selectors.decisions import outcome_settings
from polyvox.outcomes.selectors.recommendations import (
    designations_of,
    evidence,
    public_objections,
)
from polyvox.outcomes.services import designations as services
from polyvox.outcomes.views.recommendations import (
    OBJECTIONS_PER_PAGE,
    evidence_tables,
    find_recommendation,
    render_detail,
)
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process


def _when(moment: object) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")  # type: ignore[arg-type]


@login_required
def propose(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, recommendation = find_recommendation(request, slug, number)
    require(can_designate(actor, process), _("Only the chair may propose a designation."))
    form = ProposeDesignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_designation(
                actor=actor,
                recommendation=recommendation,
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Designation proposed. Participants may object until %(when)s.")
                % {"when": _when(proposal.objections_close_at)},
            )
            return redirect(recommendation)
    context = {
        "process": process,
        "recommendation": recommendation,
        "form": form,
        "objection_days": outcome_settings(process).objection_days,
        "evidence": evidence_tables(evidence(recommendation)),
        "evidence_is_live": True,
    }
    return render(request, "outcomes/propose.html", context)


@login_required
def finalise(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, recommendation = find_recommendation(request, slug, number)
    require(can_designate(actor, process), _("Only the chair may make a designation final."))
    proposal, final = designations_of(recommendation)
    if proposal is None:
        raise Http404(_("No designation has been proposed for this recommendation."))
    if final is not None:
        messages.info(request, _("This designation is already final."))
        return redirect(recommendation)
    form = FinaliseDesignationForm(request.POST or None, initial={"level": proposal.level})
    if request.method == "POST" and form.is_valid():
        try:
            services.finalise_designation(
                actor=actor,
                proposal=proposal,
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The designation is final; the objections still standing are attached as "
                    "minority views."
                ),
            )
            return redirect(recommendation)
    standing = public_objections(proposal).filter(withdrawn_at__isnull=True)
    context = {
        "process": process,
        "recommendation": recommendation,
        "proposal": proposal,
        "form": form,
        "still_open": objections_are_open(proposal, timezone.now()),
        "page": Paginator(standing, OBJECTIONS_PER_PAGE).get_page(request.GET.get("page")),
        "evidence": evidence_tables(evidence(recommendation)),
        "evidence_is_live": True,
    }
    return render(request, "outcomes/finalise.html", context)


@login_required
@require_POST
def object_to(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, recommendation = find_recommendation(request, slug, number)
    proposal, final = designations_of(recommendation)
    if proposal is None:
        raise Http404(_("No designation has been proposed for this recommendation."))
    represented = list(represented_by(actor))
    form = ObjectionForm(request.POST, represented=represented)
    now = timezone.now()
    if final is not None or not objections_are_open(proposal, now):
        refusal = services.objection_refusal(actor, proposal, now)
        return render_detail(
            request,
            process,
            recommendation,
            errors=[refusal, _("Nothing was saved.")],
        )
    if form.is_valid():
        try:
            services.object_to(
                actor=actor,
                designation=proposal,
                reason=form.cleaned_data["reason"],
                on_behalf_of=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your objection is published. If it still stands when the designation is made "
                    "final, it is attached as a minority view."
                ),
            )
            return redirect(f"{recommendation.get_absolute_url()}#designation")
    return render_detail(request, process, recommendation, objection_form=form)


@login_required
@require_POST
def withdraw_objection(request: HttpRequest, slug: str, objection_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    objection = get_object_or_404(
        Objection.objects.select_related("designation__recommendation__process"),
        pk=objection_id,
        designation__recommendation__process=process,
    )
    recommendation = objection.designation.recommendation
    try:
        services.withdraw_objection(actor=actor, objection=objection)
    except ValidationError as error:
        return render_detail(request, process, recommendation, errors=error.messages)
    messages.success(request, _("Your objection is withdrawn."))
    return redirect(f"{recommendation.get_absolute_url()}#designation")
