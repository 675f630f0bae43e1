"""Contribution pages: contribute, reply, edit, receipts, the workbench, answers."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.contributions.forms import (
    ContributionForm,
    DispositionForm,
    EditForm,
    HideForm,
    InternalNoteForm,
    ReplyForm,
    SectionCommentForm,
)
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.pages import CONTRIBUTION_PAGE
from polyvox.contributions.permissions import (
    ACTION_FOR_KIND,
    can_dispose,
    can_edit_contribution,
    can_moderate,
)
from polyvox.contributions.selectors.threads import (
    access_contribution,
    contribution_thread,
    contribution_to_answer,
)
from polyvox.contributions.selectors.workbench import internal_notes
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.contributions.services.submitting import edit_contribution, submit_contribution
from polyvox.contributions.services.workbench import answer_input, needs_review
from polyvox.core.forms import apply_validation_error
from polyvox.drafts.models import Section
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.permissions import participation_window
from polyvox.processes.selectors import access_process
from polyvox.record.selectors import entry_status

# Submissions have their own page, the intake's (campaigns:submit).
FORM_KINDS = (ContributionKind.GENERAL, ContributionKind.OMISSION)


def _submitted(request: HttpRequest, form: Any, **kwargs: Any) -> Contribution | None:
    """Call submit_contribution with the form's data; errors land on the form."""
    try:
        return submit_contribution(author=signed_in_user(request), **kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _receipt(contribution: Contribution) -> HttpResponse:
    return redirect(
        "contributions:receipt",
        slug=contribution.process.slug,
        tracking_number=contribution.tracking_number,
    )


def _tombstone(request: HttpRequest, process: Process, tracking_number: str) -> HttpResponse:
    """A hidden input's address, for those who may not see it: when and why, none of its text."""
    hidden = (
        Contribution.objects.filter(
            process=process, tracking_number=tracking_number, hidden_at__isnull=False
        )
        .only("process_id", "tracking_number", "hidden_at", "hidden_reason_code")
        .first()
    )
    if hidden is None:
        raise Http404(_("No such contribution."))
    return render(
        request, "contributions/tombstone.html", {"process": process, "contribution": hidden}
    )


def contribution_detail(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    try:
        contribution = access_contribution(
            viewer=request.user, process=process, tracking_number=tracking_number
        )
    except Http404:
        return _tombstone(request, process, tracking_number)
    window = participation_window(
        request.user, process, ACTION_FOR_KIND[ContributionKind.REPLY], timezone.now()
    )
    return render(
        request,
        "contributions/detail.html",
        {
            "process": process,
            "contribution": contribution,
            "thread": contribution_thread(viewer=request.user, contribution=contribution),
            "sections": CONTRIBUTION_PAGE.build(
                request, contribution=contribution, process=process
            ),
            "revisions": contribution.revisions.all(),
            "can_edit": can_edit_contribution(request.user, contribution, timezone.now()),
            "can_answer": can_dispose(request.user, process),
            "reply_form": ReplyForm(author=request.user, process=process)
            if window.allowed and not contribution.hidden_at
            else None,
            # Moderators hide from here; the answer page is for those who answer.
            "hide_form": HideForm()
            if can_moderate(request.user, process) and not contribution.hidden_at
            else None,
        },
    )


@login_required
def contribution_create(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    if kind not in FORM_KINDS:
        raise Http404(_("No such kind of contribution."))
    window = participation_window(request.user, process, ACTION_FOR_KIND[kind], timezone.now())
    initial = {"draft_version": request.GET.get("version"), "section": request.GET.get("section")}
    form = ContributionForm(
        request.POST or None, process=process, kind=kind, author=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        contribution = _submitted(request, form, process=process, kind=kind, **data)
        if contribution is not None:
            return _receipt(contribution)
    return render(
        request,
        "contributions/form.html",
        {
            "process": process,
            "form": form,
            "window": window,
            "kind": kind,
            "heading": ContributionKind(kind).label,
        },
    )


@login_required
def section_comment(request: HttpRequest, slug: str, section_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    section = get_object_or_404(
        Section.objects.published(), pk=section_id, version__draft__process=process
    )
    window = participation_window(
        request.user, process, ACTION_FOR_KIND[ContributionKind.COMMENT], timezone.now()
    )
    form = SectionCommentForm(request.POST or None, author=request.user, process=process)
    if request.method == "POST" and form.is_valid():
        contribution = _submitted(
            request,
            form,
            process=process,
            kind=ContributionKind.COMMENT,
            section=section,
            **form.cleaned_data,
        )
        if contribution is not None:
            return _receipt(contribution)
    return render(
        request, "contributions/form.html",
        {"process": process, "form": form, "window": window, "section": section,
         "heading": _("Comment on a section")},
    )  # fmt: skip


@login_required
def contribution_reply(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    parent = access_contribution(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    window = participation_window(
        request.user, process, ACTION_FOR_KIND[ContributionKind.REPLY], timezone.now()
    )
    form = ReplyForm(request.POST or None, author=request.user, process=process)
    if request.method == "POST" and form.is_valid():
        reply = _submitted(
            request,
            form,
            process=process,
            kind=ContributionKind.REPLY,
            parent=parent,
            **form.cleaned_data,
        )
        if reply is not None:
            messages.success(request, _("Reply posted: %s") % reply.tracking_number)
            return redirect(parent)
    return render(
        request, "contributions/form.html",
        {"process": process, "form": form, "window": window, "parent": parent,
         "heading": _("Reply")},
    )  # fmt: skip


@login_required
def contribution_edit(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = access_contribution(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    initial = {"title": contribution.title, "body": contribution.body}
    form = EditForm(request.POST or None, initial=initial, language=contribution.language)
    if request.method == "POST" and form.is_valid():
        try:
            edit_contribution(
                author=signed_in_user(request), contribution=contribution, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your changes were saved; earlier texts stay visible."))
            return redirect(contribution)
    return render(
        request,
        "contributions/form.html",
        {"process": process, "form": form, "parent": contribution, "heading": _("Edit")},
    )


@login_required
def receipt(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = access_contribution(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    entry = contribution.record_entry
    return render(
        request,
        "contributions/receipt.html",
        {
            "process": process,
            "contribution": contribution,
            # Where the input's public record entry stands: pending, in the log, or signed.
            "entry": entry,
            "entry_status": entry_status(entry) if entry is not None else None,
            "max_merge_delay": settings.POLYVOX_RECORD_MAX_MERGE_DELAY,
        },
    )


@login_required
def answer(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = contribution_to_answer(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    form = DispositionForm(
        request.POST or None,
        contribution=contribution,
        initial=_answer_initial(contribution),
        show_all_sections=request.GET.get("sections") == "all",
    )
    if request.method == "POST" and form.is_valid():
        try:
            _record(request, process, contribution, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Answer proposed; a second member reviews it.")
                if needs_review(signed_in_user(request), process)
                else _("Answer published; the author was notified."))  # fmt: skip
            return redirect("contributions:workbench", slug=process.slug)
    return render(
        request, "contributions/answer.html",
        {"process": process, "contribution": contribution, "form": form, "hide_form": HideForm(),
         "thread": contribution_thread(viewer=request.user, contribution=contribution),
         "notes": internal_notes(viewer=request.user, contribution=contribution),
         "note_form": InternalNoteForm(),
         "needs_review": needs_review(signed_in_user(request), process)},
    )  # fmt: skip


def _answer_initial(contribution: Contribution) -> dict[str, Any]:
    disposition = getattr(contribution, "disposition", None)
    if disposition is None:
        return {}
    return {
        "outcome": disposition.outcome, "reason": disposition.reason,
        "duplicate_of": disposition.duplicate_of.tracking_number if disposition.duplicate_of else "",
        "changed_sections": list(disposition.changed_sections.all()),
    }  # fmt: skip


def _record(
    request: HttpRequest, process: Process, contribution: Contribution, data: dict[str, Any]
) -> None:
    duplicate_of = None
    if data["duplicate_of"]:
        duplicate_of = Contribution.objects.filter(
            process=process, tracking_number=data["duplicate_of"].strip()
        ).first()
        if duplicate_of is None:
            raise ValidationError(
                {"duplicate_of": _("No contribution with this tracking number here.")}
            )
    answer_input(
        actor=signed_in_user(request),
        contribution=contribution,
        outcome=data["outcome"],
        reason=data["reason"],
        duplicate_of=duplicate_of,
        changed_sections=data["changed_sections"],
    )


@login_required
@require_POST
def hide(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = access_contribution(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for hiding this contribution."))
        hide_contribution(
            actor=signed_in_user(request), contribution=contribution, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contribution is hidden; the reason is published."))
    if can_dispose(request.user, process):
        return redirect("contributions:answer", slug=slug, tracking_number=tracking_number)
    return redirect(contribution)
