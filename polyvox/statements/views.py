"""Statement pages: list and propose, vote one at a time, the opinion map, moderation, promotion."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.analytics.opinion_map import MIN_VOTES
from polyvox.contributions.selectors.threads import access_contribution
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.participants.http import signed_in_user
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.selectors import access_process
from polyvox.statements import agreement, selectors, services
from polyvox.statements.forms import (
    MapReplayForm,
    ModerationForm,
    ModerationModeForm,
    PromoteForm,
    StatementForm,
    VoteForm,
)
from polyvox.statements.item_links import links_by_statement
from polyvox.statements.permissions import (
    can_moderate_statements,
    can_promote_contribution,
    can_propose_statement,
    can_vote,
)
from polyvox.statements.vote_card import tally_once_voted, vote_progress, votes_are_taken


def _applied(form: Any, call: Any, **kwargs: Any) -> Any:
    """Call a service; a ValidationError lands on the form and gives None."""
    try:
        return call(**kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _swaps_card(request: HttpRequest) -> bool:
    """Only the card's own hx-post swaps the card; boosted pages and links get whole pages."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def _safe_next(request: HttpRequest) -> str | None:
    """Where a vote cast from the statements page returns to (same site only)."""
    target = request.POST.get("next", "")
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and ok else None


def _statement_id(raw: str) -> int | None:
    """A statement id from the query string; anything else is ignored (never a 500)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def statement_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {"author": request.user, "process": process, "text": form.cleaned_data["text"]}
        if statement := _applied(form, services.propose_statement, **kwargs):
            pending = statement.status == "pending"
            messages.success(
                request,
                _("Thank you: it awaits moderation.")
                if pending
                else _("Your statement is open for votes."),
            )
            return redirect("statements:list", slug=slug)
    window = can_propose_statement(request.user, process, timezone.now())
    statements = list(selectors.accepted_statements(process))
    context = {
        "process": process,
        "form": form,
        "window": window,
        "statements": statements,
        # Links from the apps above (moderation's "Flag"): statement id → links.
        "statement_links": links_by_statement(process, statements, request.user),
        "my_votes": selectors.votes_of(participant=request.user, process=process),
        "can_vote": can_vote(request.user, process, timezone.now()).allowed,
        # While votes are taken, a statement's counts wait for the viewer's own vote (Pol.is).
        "counts_after_voting": votes_are_taken(process, timezone.now()),
        "can_moderate": can_moderate_statements(request.user, process),
    }
    return render(request, "statements/list.html", context)


@login_required
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    form = VoteForm(request.POST or None)
    card_only = _swaps_card(request)
    if request.method == "POST" and form.is_valid():
        statement = selectors.access_statement(
            process=process, statement_id=form.cleaned_data["statement"]
        )
        _applied(
            form,
            services.cast_vote,
            participant=actor,
            statement=statement,
            value=form.cleaned_data["value"],
        )
        if not form.errors and not card_only:
            voted = reverse("statements:vote", kwargs={"slug": slug})
            return redirect(
                _safe_next(request) or f"{voted}?voted={form.cleaned_data['statement']}"
            )
    # The counts of the statement just voted on (never of one the viewer has not voted on).
    voted_on = (
        form.cleaned_data["statement"]
        if form.is_bound and form.is_valid() and not form.errors
        else _statement_id(request.GET.get("voted", ""))
    )
    context = {
        "process": process,
        "form": form,
        "window": can_vote(actor, process, timezone.now()),
        "statement": selectors.next_statement_for(participant=actor, process=process),
        "progress": vote_progress(participant=actor, process=process),
        "tally": tally_once_voted(participant=actor, process=process, statement_id=voted_on)
        if voted_on is not None
        else None,
    }
    return render(
        request, "statements/vote.html#card" if card_only else "statements/vote.html", context
    )


def opinion_map(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    view = selectors.latest_opinion_map(process=process, viewer=request.user)
    refresh = selectors.opinion_map_status(viewer=request.user, process=process)
    context: dict[str, Any] = {
        "process": process,
        "map": view,
        "refresh": refresh,
        "min_votes": MIN_VOTES,
    }
    if _swaps_card(request):  # the status panel's poll
        response = render(request, "statements/opinion_map.html#refresh", context)
        shown = request.GET.get("run", "")
        if shown and (refresh.active is None or str(refresh.active.pk) != shown):
            response["HX-Refresh"] = "true"
        return response
    if view is not None:
        context |= {
            "crosstab": agreement.stakeholder_crosstab(view.snapshot),
            "bridging": agreement.bridging_statements(process, view.snapshot),
            "bridging_scores": agreement.bridging_score_table(process, view.snapshot),
            "agreement": agreement.statement_agreement_by_stakeholder_group(process, view.snapshot),
            "kindred": agreement.who_agrees_with(participant=request.user, process=process),
        }
    return render(request, "statements/opinion_map.html", context)


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(
        can_moderate_statements(actor, process),
        _("Only moderators and the secretariat moderate statements."),
    )
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        statement = selectors.access_statement(
            process=process, statement_id=form.cleaned_data["statement"]
        )
        accept = form.cleaned_data["decision"] == "accept"
        if _applied(
            form,
            services.moderate_statement,
            actor=actor,
            statement=statement,
            accept=accept,
            reason=form.cleaned_data["reason"],
        ):
            return redirect("statements:moderation", slug=slug)
    mode = ModerationModeForm(
        initial={"moderation": selectors.statement_settings(process).moderation}
    )
    context = {
        "process": process,
        "form": form,
        "mode_form": mode,
        "pending": selectors.pending_statements(process),
        # The map's settings are the secretariat's (moderators see the page too).
        "map_form": MapReplayForm(
            initial={"replay": selectors.statement_settings(process).replay_map}
        )
        if is_secretariat(actor, process)
        else None,
    }
    return render(request, "statements/moderation.html", context)


@login_required
@require_POST
def moderation_mode(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    form = ModerationModeForm(request.POST)
    if form.is_valid():
        services.set_statement_moderation(
            actor=actor, process=process, mode=form.cleaned_data["moderation"]
        )
        messages.success(request, _("Moderation setting saved."))
    return redirect("statements:moderation", slug=slug)


@login_required
@require_POST
def map_settings(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    form = MapReplayForm(request.POST)
    if form.is_valid():
        services.set_map_replay(actor=actor, process=process, replay=form.cleaned_data["replay"])
        messages.success(request, _("Opinion map setting saved: the map is being recomputed."))
    return redirect("statements:moderation", slug=slug)


@login_required
def promote(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    contribution = access_contribution(
        viewer=actor, process=process, tracking_number=tracking_number
    )
    require(
        can_promote_contribution(actor, process),
        _("Only the secretariat promotes contributions."),
    )
    form = PromoteForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(
            form,
            services.promote_contribution,
            actor=actor,
            contribution=contribution,
            text=form.cleaned_data["text"],
        )
    ):
        messages.success(request, _("The statement is open for votes."))
        return redirect("statements:list", slug=slug)
    return render(
        request,
        "statements/promote.html",
        {"process": process, "form": form, "contribution": contribution},
    )
