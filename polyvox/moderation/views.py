"""Moderation pages: the policy, flags and reports, the queue, actions, appeals and the log."""

from datetime import UTC
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.contributions.models import Contribution
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.moderation import policies, selectors, services
from polyvox.moderation.forms import (
    ActionForm,
    AppealDecisionForm,
    AppealForm,
    FlagForm,
    ImpersonationReportForm,
    ModerationModeForm,
    PolicyForm,
)
from polyvox.moderation.models import Appeal
from polyvox.moderation.permissions import can_edit_policy, can_moderate, flag_refusal
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process
from polyvox.statements.models import Statement


def _applied(form: Any, call: Any, **kwargs: Any) -> Any:
    """Call a service; a ValidationError lands on the form and gives None."""
    try:
        return call(**kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def policy(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    editor = can_edit_policy(request.user, process)
    current = selectors.current_policy(process)
    return render(
        request,
        "moderation/policy.html",
        {
            "process": process,
            "policy": current,
            "can_edit": editor,
            "can_moderate": can_moderate(request.user, process),
            "policy_form": PolicyForm(initial={"text": current.text}) if editor else None,
            "mode_form": ModerationModeForm(initial={"moderation_mode": process.moderation_mode})
            if editor
            else None,
        },
    )


@login_required
def edit_policy(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    require(can_edit_policy(request.user, process), _("Only the secretariat edits the policy."))
    form = PolicyForm(
        request.POST or None, initial={"text": selectors.current_policy(process).text}
    )
    if request.method == "POST" and form.is_valid():
        done = _applied(
            form,
            policies.publish_policy,
            actor=signed_in_user(request),
            process=process,
            text=form.cleaned_data["text"],
        )
        if done is not None:
            messages.success(
                request, _("Version %(v)d of the policy is published.") % {"v": done.version}
            )
            return redirect("moderation:policy", slug=slug)
    return render(request, "moderation/policy_form.html", {"process": process, "form": form})


@login_required
@require_POST
def set_mode(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    form = ModerationModeForm(request.POST)
    if form.is_valid() and _applied(
        form,
        policies.set_moderation_mode,
        actor=signed_in_user(request),
        process=process,
        mode=form.cleaned_data["moderation_mode"],
    ):
        messages.success(request, _("The moderation mode is saved and published."))
    else:
        messages.error(
            request, " ".join(str(e) for e in form.errors.values()) or _("Choose a mode.")
        )
    return redirect("moderation:policy", slug=slug)


def _flag_page(
    request: HttpRequest, process: Any, item: Contribution | Statement, **item_kwargs: Any
) -> HttpResponse:
    refusal = flag_refusal(request.user, process)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        flag = _applied(
            form,
            services.flag_item,
            flagger=signed_in_user(request),
            reason_code=form.cleaned_data["reason_code"],
            text=form.cleaned_data["text"],
            **item_kwargs,
        )
        if flag is not None:
            messages.success(request, _("Thank you: a moderator will look at your flag."))
            return redirect("moderation:policy", slug=process.slug)
    return render(
        request,
        "moderation/flag.html",
        {"process": process, "form": form, "item": item, "refusal": refusal, **item_kwargs},
    )


@login_required
def flag_contribution(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = selectors.access_flagged_contribution(
        process=process, tracking_number=tracking_number
    )
    return _flag_page(request, process, contribution, contribution=contribution)


@login_required
def flag_statement(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    statement = selectors.access_statement_to_flag(process=process, statement_id=statement_id)
    return _flag_page(request, process, statement, statement=statement)


@login_required
def report_identity(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    contribution = selectors.access_flagged_contribution(
        process=process, tracking_number=tracking_number
    )
    form = ImpersonationReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flag = _applied(
            form,
            services.report_impersonation,
            reporter=signed_in_user(request),
            contribution=contribution,
            text=form.cleaned_data["text"],
        )
        if flag is not None:
            messages.success(
                request,
                _(
                    "Thank you: the input is withheld from public view while a moderator reviews it."
                ),
            )
            return redirect(contribution)
    return render(
        request,
        "moderation/report_identity.html",
        {"process": process, "form": form, "contribution": contribution},
    )


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    page, items = selectors.moderation_queue(
        viewer=request.user, process=process, page=request.GET.get("page", 1)
    )
    held = selectors.awaiting_review(
        viewer=request.user, process=process, page=request.GET.get("held", 1)
    )
    appeals = selectors.pending_appeals(viewer=request.user, process=process)
    return render(
        request,
        "moderation/queue.html",
        {"process": process, "page": page, "items": items, "held": held, "appeals": appeals},
    )


def _act(
    request: HttpRequest,
    process: Any,
    *,
    contribution: Contribution | None = None,
    statement: Statement | None = None,
) -> HttpResponse:
    review = selectors.item_review(
        viewer=request.user, process=process, contribution=contribution, statement=statement
    )
    form = ActionForm(request.POST or None, initial={"action": review.next_step})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        until = data["restricted_until"]
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        done = _applied(
            form,
            services.take_action,
            moderator=signed_in_user(request),
            contribution=contribution,
            statement=statement,
            action=data["action"],
            reason_code=data["reason_code"],
            text=data["text"],
            skipped_step_reason=data["skipped_step_reason"],
            restricted_until=until,
        )
        if done is not None:
            messages.success(request, _("Done: the author was notified."))
            return redirect("moderation:queue", slug=process.slug)
    return render(
        request,
        "moderation/item.html",
        {
            "process": process,
            "contribution": contribution,
            "statement": statement,
            "review": review,
            "form": form,
        },
    )


@login_required
def moderate_contribution(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    require(can_moderate(request.user, process), _("Only moderators and the secretariat moderate."))
    contribution = selectors.access_flagged_contribution(
        process=process, tracking_number=tracking_number
    )
    return _act(request, process, contribution=contribution)


@login_required
def moderate_statement(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    require(can_moderate(request.user, process), _("Only moderators and the secretariat moderate."))
    statement = selectors.access_statement_to_flag(process=process, statement_id=statement_id)
    return _act(request, process, statement=statement)


@login_required
def appeal(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    action = selectors.access_action(process=process, action_id=action_id)
    require(
        action.author_id == request.user.pk or can_moderate(request.user, process),
        _("Only the author concerned can appeal this action."),
    )
    existing = Appeal.objects.filter(action=action).first()
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _applied(
            form,
            services.appeal_action,
            appellant=signed_in_user(request),
            action=action,
            text=form.cleaned_data["text"],
        )
        if done is not None:
            messages.success(request, _("Your appeal is sent; a different moderator will decide."))
            return redirect("moderation:appeal", slug=slug, action_id=action.pk)
    return render(
        request,
        "moderation/appeal.html",
        {"process": process, "action": action, "appeal": existing, "form": form},
    )


@login_required
def decide_appeal(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    require(can_moderate(request.user, process), _("Only moderators decide appeals."))
    action = selectors.access_action(process=process, action_id=action_id)
    appeal_row = Appeal.objects.filter(action=action).select_related("action").first()
    if appeal_row is None:
        messages.error(request, _("This action has not been appealed."))
        return redirect("moderation:queue", slug=slug)
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _applied(
            form,
            services.decide_appeal,
            actor=signed_in_user(request),
            appeal=appeal_row,
            reverse_action=form.cleaned_data["decision"] == "reverse",
            text=form.cleaned_data["decision_text"],
        )
        if done is not None:
            messages.success(request, _("The appeal is decided; both sides were notified."))
            return redirect("moderation:queue", slug=slug)
    return render(
        request,
        "moderation/decide_appeal.html",
        {"process": process, "action": action, "appeal": appeal_row, "form": form},
    )


def log(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    return render(
        request,
        "moderation/log.html",
        {
            "process": process,
            "counts": selectors.log_counts(process),
            "page": selectors.log_page(process, request.GET.get("page", 1)),
        },
    )
