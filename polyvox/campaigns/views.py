"""Campaign pages: the public list and detail, the secretariat's decisions, and the signals page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.campaigns.forms import (
    AnswerCampaignForm,
    MergeCampaignsForm,
    SplitCampaignForm,
    SubmissionForm,
)
from polyvox.campaigns.models import Campaign, RunStatus, Source
from polyvox.campaigns.selectors import (
    access_campaign,
    campaign_additions,
    campaign_summaries,
    campaign_summary,
    campaigns_of,
    detection_status,
    first_additions,
)
from polyvox.campaigns.selectors.abuse_signals import signals
from polyvox.campaigns.services.decisions import (
    answer_campaign,
    confirm_campaign,
    merge_campaigns,
    split_campaign,
)
from polyvox.campaigns.services.detection_runs import request_detection
from polyvox.campaigns.services.intake import receive_submission
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.permissions import can_dispose
from polyvox.core.forms import apply_validation_error
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.permissions import participation_window
from polyvox.processes.phase_types import Action
from polyvox.processes.selectors import access_process

ADDITIONS_ON_LIST = 5
CAMPAIGNS_PER_PAGE = 20  # the largest first; each shows its tallies and first additions


def campaign_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    paginator = Paginator(campaigns_of(viewer=request.user, process=process), CAMPAIGNS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    campaigns = list(page.object_list)
    additions = first_additions(viewer=request.user, campaigns=campaigns, limit=ADDITIONS_ON_LIST)
    summaries = campaign_summaries(viewer=request.user, campaigns=campaigns)
    return render(
        request,
        "campaigns/list.html",
        {
            "process": process,
            "page": page,
            "rows": [(s, additions[s.campaign.pk]) for s in summaries],
            "can_manage": can_dispose(request.user, process),
            "detection": detection_status(viewer=request.user, process=process),
        },
    )


def detection_progress(request: HttpRequest, slug: str) -> HttpResponse:
    """The detection status panel, polled by htmx while a run is under way; the page itself
    without htmx. When the run the page showed has ended, htmx reloads the whole page."""
    process = access_process(viewer=request.user, slug=slug)
    if not getattr(request, "htmx", False):
        return redirect("campaigns:list", slug=process.slug)
    status = detection_status(viewer=request.user, process=process)
    response = render(
        request, "campaigns/_detection_status.html", {"process": process, "detection": status}
    )
    shown = request.GET.get("run", "")
    if shown and (status.active is None or str(status.active.pk) != shown):
        response["HX-Refresh"] = "true"
    return response


def _detail(
    request: HttpRequest, process: Process, campaign: Campaign, status: int = 200, **forms: Any
) -> HttpResponse:
    additions = Paginator(campaign_additions(viewer=request.user, campaign=campaign), 50)
    context = {
        "process": process, "summary": campaign_summary(viewer=request.user, campaign=campaign),
        "page": additions.get_page(request.GET.get("page")),
        "can_manage": can_dispose(request.user, process),
        "answer_form": AnswerCampaignForm(), "split_form": SplitCampaignForm(),
        "merge_form": MergeCampaignsForm(), **forms,
    }  # fmt: skip
    return render(request, "campaigns/detail.html", context, status=status)


def campaign_detail(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    campaign = access_campaign(viewer=request.user, process=process, campaign_id=campaign_id)
    return _detail(request, process, campaign)


def _act(request: HttpRequest, slug: str, campaign_id: int) -> tuple[Process, Campaign]:
    process = access_process(viewer=request.user, slug=slug)
    return process, access_campaign(viewer=request.user, process=process, campaign_id=campaign_id)


@login_required
@require_POST
def detect(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    run = request_detection(actor=actor, process=process)
    if run.status == RunStatus.RUNNING:
        messages.info(
            request,
            _("Detection is already running; it will run once more when it ends."),
        )
    elif run.status == RunStatus.QUEUED:
        messages.success(request, _("Detection started; this page shows its progress."))
    return redirect("campaigns:list", slug=process.slug)


@login_required
@require_POST
def confirm(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, campaign = _act(request, slug, campaign_id)
    try:
        confirm_campaign(actor=actor, campaign=campaign)
        messages.success(request, _("Campaign confirmed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("campaigns:detail", slug=process.slug, campaign_id=campaign.pk)


@login_required
@require_POST
def split(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, campaign = _act(request, slug, campaign_id)
    form = SplitCampaignForm(request.POST)
    try:
        numbers = form.numbers() if form.is_valid() else []
        ids = Contribution.objects.filter(process=process, tracking_number__in=numbers)
        split_campaign(actor=actor, campaign=campaign, contribution_ids=[c.pk for c in ids] or [0])
    except ValidationError as error:
        apply_validation_error(form, error)
        return _detail(request, process, campaign, status=400, split_form=form)
    messages.success(request, _("Campaign split."))
    return redirect("campaigns:list", slug=process.slug)


@login_required
@require_POST
def merge(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, campaign = _act(request, slug, campaign_id)
    form = MergeCampaignsForm(request.POST)
    try:
        others = (
            list(Campaign.objects.filter(process=process, pk__in=form.ids()))
            if form.is_valid()
            else []
        )
        merged = merge_campaigns(actor=actor, campaigns=[campaign, *others])
    except ValidationError as error:
        apply_validation_error(form, error)
        return _detail(request, process, campaign, status=400, merge_form=form)
    messages.success(request, _("Campaigns merged."))
    return redirect("campaigns:detail", slug=process.slug, campaign_id=merged.pk)


@login_required
@require_POST
def answer(request: HttpRequest, slug: str, campaign_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, campaign = _act(request, slug, campaign_id)
    form = AnswerCampaignForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose an answer and give a reason."))
        count = answer_campaign(actor=actor, campaign=campaign, **form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return _detail(request, process, campaign, status=400, answer_form=form)
    messages.success(request, _("Answer published to %(count)d submissions.") % {"count": count})
    return redirect("campaigns:detail", slug=process.slug, campaign_id=campaign.pk)


@login_required
def signals_page(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = signals(viewer=actor, process=process)
    return render(request, "campaigns/signals.html", {"process": process, "signals": found})


@login_required
def submission_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The web form's way into the intake: domain and /24 network kept as secretariat signals."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    window = participation_window(actor, process, Action.SUBMISSION, timezone.now())
    initial = {"draft_version": request.GET.get("version"), "section": request.GET.get("section")}
    form = SubmissionForm(
        request.POST or None, request.FILES or None, process=process, author=actor,
        initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            received = receive_submission(
                author=actor, process=process, source=Source.WEB,
                email_domain=actor.email or "", network=request.META.get("REMOTE_ADDR") or "",
                text=data.pop("body"), **data,
            )  # fmt: skip
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            number = received.contribution.tracking_number
            return redirect("contributions:receipt", slug=process.slug, tracking_number=number)
    return render(
        request, "contributions/form.html",
        {"process": process, "form": form, "window": window, "kind": ContributionKind.SUBMISSION,
         "heading": ContributionKind.SUBMISSION.label, "multipart": True},
    )  # fmt: skip
