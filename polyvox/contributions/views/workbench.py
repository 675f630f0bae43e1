"""Workbench pages: the filtered list with bulk actions, internal notes, and answers to review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.contributions.forms import (
    BulkActionForm,
    InternalNoteForm,
    ReviewForm,
    WorkbenchFilterForm,
)
from polyvox.contributions.permissions import can_review_answers
from polyvox.contributions.selectors.threads import access_contribution
from polyvox.contributions.selectors.workbench import (
    PAGE_SIZE,
    proposed_answer,
    proposed_answers_awaiting_review,
    section_anchors,
    workbench_contributions,
    workbench_members,
    workbench_page,
)
from polyvox.contributions.services.workbench import (
    add_internal_note,
    answer_selection,
    assign,
    needs_review,
    review_answer,
    unassign,
)
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process


def _members(process: Process) -> list[tuple[int, str]]:
    return [(u.pk, u.get_username()) for u in workbench_members(process=process)]


@login_required
def workbench(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    members = _members(process)
    form = WorkbenchFilterForm(
        request.GET or None, anchors=section_anchors(process=process), members=members
    )
    result = workbench_page(
        viewer=request.user, process=process, filters=form.filters(),
        page_number=request.GET.get("page"),
    )  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contributions/workbench.html",
        {
            "process": process, "form": form, "page": result.page, "rows": result.rows,
            "query": query.urlencode(), "bulk_form": BulkActionForm(members=members),
            "here": request.get_full_path(), "can_review": can_review_answers(request.user, process),
            "needs_review": needs_review(signed_in_user(request), process),
        },
    )  # fmt: skip


def _back(request: HttpRequest, process: Process, target: str) -> HttpResponse:
    """Back to the workbench page the action came from (a same-site path only)."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("contributions:workbench", slug=process.slug)


@login_required
@require_POST
def workbench_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    actor = signed_in_user(request)
    form = BulkActionForm(request.POST, members=_members(process))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(request, process, request.POST.get("next", ""))
    data = form.cleaned_data
    # Only inputs of this process, seen through the workbench's own permission check.
    selected = workbench_contributions(viewer=actor, process=process).filter(pk__in=data["inputs"])
    try:
        if data["action"] == "assign":
            assignee = workbench_members(process=process).filter(pk=data["assignee"] or 0).first()
            if assignee is None:
                raise ValidationError({"assignee": _("Choose whom to assign them to.")})
            count = assign(actor=actor, contributions=selected, assignee=assignee)
            messages.success(request, _("%(count)d inputs assigned.") % {"count": count})
        elif data["action"] == "unassign":
            count = unassign(actor=actor, contributions=selected)
            messages.success(request, _("%(count)d inputs left their queue.") % {"count": count})
        else:
            count = answer_selection(
                actor=actor, contributions=selected, outcome=data["outcome"], reason=data["reason"]
            )
            done = (
                _("%(count)d answers proposed for review.")
                if needs_review(actor, process)
                else _("%(count)d inputs answered; their authors were notified.")
            )
            messages.success(request, done % {"count": count})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, process, data.get("next", ""))


@login_required
@require_POST
def internal_note(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = access_contribution(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    form = InternalNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the note (at most 5,000 characters)."))
        add_internal_note(
            actor=signed_in_user(request), contribution=contribution, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Note added; only workbench members see it."))
    return redirect("contributions:answer", slug=slug, tracking_number=tracking_number)


@login_required
def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    proposals = Paginator(
        proposed_answers_awaiting_review(viewer=request.user, process=process), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/workbench_review.html",
        {"process": process, "proposals": proposals, "page": proposals, "me": request.user.pk},
    )


@login_required
@require_POST
def review(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    proposed = proposed_answer(viewer=request.user, process=process, proposal_id=proposal_id)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose to approve or to return the answer."))
        approve = form.cleaned_data["decision"] == "approve"
        review_answer(
            actor=signed_in_user(request), proposed=proposed, approve=approve,
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        number = proposed.contribution.tracking_number
        messages.success(
            request,
            (
                _("Answer to %(number)s published.")
                if approve
                else _("Answer to %(number)s returned.")
            )
            % {"number": number},
        )
    return redirect("contributions:workbench_review", slug=slug)
