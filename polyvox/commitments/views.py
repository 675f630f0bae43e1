"""Pages of commitments: thin views over services and selectors.

A service's ValidationError is shown on the page it came from (200, the form with its errors, so
hx-boost swaps it in); its PermissionDenied is the 403 page with its message. A commitment, update
or contestation that is not this process's is a 404.
"""

import json
from datetime import UTC, date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.commitments import selectors
from polyvox.commitments.forms import (
    AnswerForm,
    CommitmentForm,
    ContestForm,
    FilterForm,
    UpdateForm,
)
from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.commitments.permissions import can_commit, can_contest, can_post_update, speaks_for
from polyvox.commitments.services.following import answer_contestation, contest_update, post_update
from polyvox.commitments.services.making import make_commitment
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.organisations.permissions import represented_by
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

COMMITMENTS_PER_PAGE = 25
UPDATES_PER_PAGE = 10
FEED_ITEMS_PER_PAGE = 50
FEED_CONTENT_TYPE = "application/feed+json"


def today() -> date:
    return timezone.now().astimezone(UTC).date()


def _commitment(request: HttpRequest, slug: str, commitment_id: int) -> tuple[Process, Commitment]:
    process = access_process(viewer=request.user, slug=slug)
    return process, selectors.commitment_in(process, commitment_id, today())


def commitment_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The accountability page: counts per state (overdue apart), filters, one page of the list."""
    process = access_process(viewer=request.user, slug=slug)
    organisations = list(selectors.organisations_committed(process))
    recommendations = list(selectors.recommendations_to_link(process).only("id", "number", "title"))
    form = FilterForm(
        request.GET or None, organisations=organisations, recommendations=recommendations
    )
    state, organisation, recommendation = "", None, None
    if form.is_valid():
        state = form.cleaned_data["state"]
        wanted = form.cleaned_data["organisation"]
        organisation = next((o for o in organisations if o.slug == wanted), None)
        number = form.cleaned_data["recommendation"]
        recommendation = next((r for r in recommendations if r.number == number), None)
    rows = selectors.commitments_of(
        process,
        today=today(),
        state=state or None,
        organisation=organisation,
        recommendation=recommendation,
    )
    page = Paginator(rows, COMMITMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "process": process,
        "form": form,
        "counts": selectors.process_counts(process, today()),
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(state or organisation or recommendation),
        "can_commit": can_commit(request.user, process),
    }
    return render(request, "commitments/list.html", context)


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(
        can_commit(actor, process),
        _("Only those taking part in this process may make commitments in it."),
    )
    initial: dict[str, Any] = {}
    wanted = request.GET.get("recommendation", "")
    if wanted.isdigit():
        initial["recommendations"] = list(
            selectors.recommendations_to_link(process)
            .filter(number=int(wanted))
            .values_list("pk", flat=True)
        )
    form = CommitmentForm(
        request.POST or None,
        initial=initial,
        represented=represented_by(actor),
        recommendations=selectors.recommendations_to_link(process),
        decisions=selectors.decisions_to_link(process),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = make_commitment(
                actor=actor,
                process=process,
                title=data["title"],
                description=data["description"],
                due_on=data["due_on"],
                organisation=data["organisation"],
                recommendations=list(data.get("recommendations") or []),
                decision=data.get("decision"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your commitment is published. Post updates as you go."))
            return redirect(commitment)
    return render(request, "commitments/form.html", {"process": process, "form": form})


def _timeline(
    request: HttpRequest,
    commitment: Commitment,
    *,
    bound: dict[str, Any] | None = None,
) -> tuple[Any, list[dict[str, Any]]]:
    """One page of updates, each with its contest form (for who may) and its contestations with
    their answer forms (for who may). `bound` replaces one form by the one that failed."""
    bound = bound or {}
    viewer = request.user
    page = Paginator(selectors.updates_of(commitment), UPDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    updates = list(page)
    # Whether the viewer may contest or answer depends on the commitment, not on the update:
    # asked once per page.
    may_contest = bool(updates) and can_contest(viewer, _on(updates[0], commitment))
    answers_for_it = bool(updates) and speaks_for(viewer, commitment)
    rows = []
    for update in updates:
        update.commitment = commitment
        contestations = []
        for contestation in update.contestations.all():
            contestation.update = update
            key = f"answer-{contestation.pk}"
            form = None
            if answers_for_it and not contestation.answer:
                form = bound.get(key) or AnswerForm(auto_id=f"id_{key}_%s")
            contestations.append({"contestation": contestation, "form": form})
        key = f"contest-{update.pk}"
        contest_form = None
        if may_contest:
            contest_form = bound.get(key) or ContestForm(auto_id=f"id_{key}_%s")
        rows.append({"update": update, "form": contest_form, "contestations": contestations})
    return page, rows


def _on(update: CommitmentUpdate, commitment: Commitment) -> CommitmentUpdate:
    update.commitment = commitment
    return update


def _detail(
    request: HttpRequest,
    process: Process,
    commitment: Commitment,
    *,
    bound: dict[str, Any] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The commitment's page; `errors`: why an answer was refused (shown at 200, at the top)."""
    page, rows = _timeline(request, commitment, bound=bound)
    context = {
        "errors": errors or [],
        "process": process,
        "commitment": commitment,
        "page": page,
        "rows": rows,
        "can_update": can_post_update(request.user, commitment),
    }
    return render(request, "commitments/detail.html", context)


def detail(request: HttpRequest, slug: str, commitment_id: int) -> HttpResponse:
    process, commitment = _commitment(request, slug, commitment_id)
    return _detail(request, process, commitment)


@login_required
def update(request: HttpRequest, slug: str, commitment_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, commitment = _commitment(request, slug, commitment_id)
    require(
        can_post_update(actor, commitment),
        _(
            "Only whoever made this commitment, or a representative of its organisation, can "
            "post updates on it."
        ),
    )
    form = UpdateForm(request.POST or None, initial={"status": commitment.status})
    if request.method == "POST" and form.is_valid():
        try:
            post_update(
                actor=actor,
                commitment=commitment,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                evidence=form.evidence_links(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Update posted."))
            return redirect(commitment)
    context = {"process": process, "commitment": commitment, "form": form}
    return render(request, "commitments/update.html", context)


@login_required
@require_POST
def contest(request: HttpRequest, slug: str, commitment_id: int, update_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, commitment = _commitment(request, slug, commitment_id)
    target: CommitmentUpdate = selectors.update_of(commitment, update_id)
    key = f"contest-{target.pk}"
    form = ContestForm(request.POST, auto_id=f"id_{key}_%s")
    if form.is_valid():
        try:
            contest_update(actor=actor, update=target, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your contestation is published next to the update."))
            return redirect(commitment)
    return _detail(request, process, commitment, bound={key: form})


@login_required
@require_POST
def answer(
    request: HttpRequest, slug: str, commitment_id: int, contestation_id: int
) -> HttpResponse:
    actor = signed_in_user(request)
    process, commitment = _commitment(request, slug, commitment_id)
    contestation: Contestation = selectors.contestation_of(commitment, contestation_id)
    key = f"answer-{contestation.pk}"
    form = AnswerForm(request.POST, auto_id=f"id_{key}_%s")
    if form.is_valid():
        try:
            answer_contestation(
                actor=actor, contestation=contestation, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return _detail(request, process, commitment, bound={key: form}, errors=error.messages)
        messages.success(request, _("Your answer is published under the contestation."))
        return redirect(commitment)
    return _detail(request, process, commitment, bound={key: form})


def _feed_item(request: HttpRequest, item: selectors.FeedItem) -> dict[str, Any]:
    commitment = item.commitment
    url = request.build_absolute_uri(commitment.get_absolute_url())
    byline = commitment.organisation.name if commitment.organisation else commitment.owner_name
    data: dict[str, Any] = {"url": url, "date_published": item.at.astimezone(UTC).isoformat()}
    if item.update is None:
        data.update(
            id=f"{url}#made",
            title=_("Commitment: %(title)s") % {"title": commitment.title},
            content_text=_("%(who)s commits to “%(title)s” by %(date)s.")
            % {"who": byline, "title": commitment.title, "date": commitment.due_on.isoformat()}
            + (f"\n\n{commitment.description}" if commitment.description else ""),
            authors=[{"name": commitment.owner_name}],
            tags=["commitment"],
        )
        return data
    update = item.update
    status = update.get_status_display()
    text = f"{update.text}"
    if update.reason:
        text += "\n\n" + _("Reason: %(reason)s") % {"reason": update.reason}
    if update.evidence:
        text += "\n\n" + _("Evidence:") + "\n" + "\n".join(update.evidence)
    data.update(
        id=f"{url}#update-{update.pk}",
        title=_("%(title)s: %(status)s") % {"title": commitment.title, "status": status},
        content_text=text,
        authors=[{"name": update.author_name}],
        tags=["update", update.status],
        external_url=update.evidence[0] if update.evidence else None,
    )
    if data["external_url"] is None:
        del data["external_url"]
    return data


def feed(request: HttpRequest, slug: str) -> HttpResponse:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): commitments made and updates posted,
    newest first, 50 a page, `next_url` to the next page."""
    process = access_process(viewer=request.user, slug=slug)
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) <= 1_000_000 else 1
    offset = (number - 1) * FEED_ITEMS_PER_PAGE
    items = selectors.feed_items(process, offset=offset, limit=FEED_ITEMS_PER_PAGE + 1)
    feed_path = reverse("commitments:feed", kwargs={"slug": process.slug})
    body: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _("Commitments · %(process)s") % {"process": process.title},
        "home_page_url": request.build_absolute_uri(
            reverse("commitments:list", kwargs={"slug": process.slug})
        ),
        "feed_url": request.build_absolute_uri(feed_path),
        "description": _("Commitments made in %(process)s and their dated updates.")
        % {"process": process.title},
        "items": [_feed_item(request, item) for item in items[:FEED_ITEMS_PER_PAGE]],
    }
    if len(items) > FEED_ITEMS_PER_PAGE:
        body["next_url"] = request.build_absolute_uri(f"{feed_path}?page={number + 1}")
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type=FEED_CONTENT_TYPE
    )
