"""Positions on recommendations and decisions under the process's rule set, with the what-if table.

`decision_panel` builds the context of "outcomes/_decision_panel.html", which the recommendation
page includes: the rule set, the tally by group, the position form for those who may, the
declared decision (or the button to declare it) and the what-if table of every preset. Before a
decision is declared the tally and the table are live; after, they are the ones frozen with it.

The position form posts here: with htmx (its own `hx-post`) the answer is the panel alone; without
JavaScript a recorded position redirects to the recommendation, and a refused one answers 200 with
the panel and its errors on a page of its own. A service's PermissionDenied is the 403 page.
"""

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

from polyvox.analytics.decision_rules import RULES
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import is_signed_in, require
from polyvox.outcomes.forms.decisions import DeclareForm, PositionForm
from polyvox.outcomes.models import Recommendation, RuleSet
from polyvox.outcomes.permissions import can_declare_decisions
from polyvox.outcomes.selectors.decisions import (
    decision_data,
    has_electors,
    live_what_if,
    outcome_settings,
    position_count,
    position_of,
    positions_of,
    tallies,
)
from polyvox.outcomes.selectors.recommendations import recommendation_by_number
from polyvox.outcomes.services import decisions
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process

POSITIONS_PER_PAGE = 50
TALLY_COLUMNS = ("in_favour", "against", "abstain", "absent", "members")


def _recommendation(request: HttpRequest, slug: str, number: int) -> Recommendation:
    process = access_process(viewer=request.user, slug=slug)
    return recommendation_by_number(process, number)


def _swaps_panel(request: HttpRequest) -> bool:
    """Only the panel's own hx-post swaps the panel; boosted pages get whole pages."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def rule_label(name: str) -> str:
    """A preset's translated title (the model's choices), or the pure module's title."""
    if name in RuleSet.values:
        return str(RuleSet(name).label)
    rule = RULES.get(name)
    return rule.title if rule is not None else name


def position_refusal(request: HttpRequest, recommendation: Recommendation) -> str | None:
    """Why the viewer may not record a position now, or None when they may."""
    return decisions.refusal_to_record(request.user, recommendation, timezone.now())


def _group_rows(groups: dict[str, dict[str, int]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One row per group (sorted), and the totals of every column."""
    rows: list[dict[str, Any]] = [
        {"group": group, **counts} for group, counts in sorted(groups.items())
    ]
    totals = {
        column: sum(int(counts.get(column, 0)) for counts in groups.values())
        for column in TALLY_COLUMNS
    }
    return rows, totals


def _what_if_rows(results: list[dict[str, Any]], own: str) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        name = str(result["rule"])
        rule = RULES.get(name)
        rows.append(
            {
                "rule": name,
                "title": rule_label(name),
                "source": rule.source if rule is not None else "",
                "passed": bool(result["passed"]),
                "reason": result["reason"],
                "own": name == own,
            }
        )
    return rows


def decision_panel(
    request: HttpRequest,
    recommendation: Recommendation,
    *,
    form: PositionForm | None = None,
    declare_errors: list[str] | None = None,
    recorded: bool = False,
) -> dict[str, Any]:
    """The context of "outcomes/_decision_panel.html" for `recommendation`, seen by the viewer.

    `form`: a position form with errors to show instead of a fresh one; `declare_errors`: why
    declaring was refused; `recorded`: say that the viewer's position was just recorded."""
    process = recommendation.process
    settings = outcome_settings(process)
    decided = decision_data(recommendation)
    if decided is not None:
        own = str(decided["rule_set"])
        groups, what_if = decided["groups"], decided["what_if"]
    else:
        own = settings.rule_set
        counted = tallies(recommendation)  # once: the tally and the what-if table share it
        groups = {group: tally.to_json() for group, tally in counted.items()}
        what_if = [result.to_json() for result in live_what_if(recommendation, counted)]
    group_rows, totals = _group_rows(groups)
    rule = RULES.get(own)
    allows_block = rule.allows_block if rule is not None else False
    refusal = None if decided is not None else position_refusal(request, recommendation)
    mine = position_of(request.user, recommendation) if is_signed_in(request.user) else None
    if refusal is None and form is None and decided is None:
        initial = {"position": mine.position, "reason": mine.reason} if mine else None
        form = PositionForm(initial=initial, allows_block=allows_block)
    return {
        "process": process,
        "recommendation": recommendation,
        "decision_rule": {
            "name": own,
            "title": rule_label(own),
            "source": rule.source if rule is not None else "",
            "allows_block": allows_block,
        },
        "decision": decided,
        "decision_groups": group_rows,
        "decision_totals": totals,
        "decision_what_if": _what_if_rows(what_if, own),
        "position_form": form if decided is None and refusal is None else None,
        "position_refusal": refusal,
        "position_recorded": recorded,
        "my_position": mine,
        "positions_count": position_count(recommendation),
        "can_declare": decided is None and can_declare_decisions(request.user, process),
        "declare_errors": declare_errors or [],
        "signed_in": is_signed_in(request.user),
    }


def _panel_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The panel on a page of its own (a refusal without JavaScript), or alone for htmx."""
    if _swaps_panel(request):
        return render(request, "outcomes/_decision_panel.html", context)
    return render(request, "outcomes/decision.html", context)


@login_required
def position(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor = signed_in_user(request)
    recommendation = _recommendation(request, slug, number)
    if request.method != "POST":
        return redirect(recommendation)
    refusal = position_refusal(request, recommendation)
    require(refusal is None, refusal or "")
    settings = outcome_settings(recommendation.process)
    rule = RULES.get(settings.rule_set)
    form = PositionForm(request.POST, allows_block=rule is not None and rule.allows_block)
    if form.is_valid():
        try:
            decisions.record_position(
                actor=actor,
                recommendation=recommendation,
                position=form.cleaned_data["position"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if _swaps_panel(request):
                context = decision_panel(request, recommendation, recorded=True)
                return render(request, "outcomes/_decision_panel.html", context)
            messages.success(request, _("Your position is recorded. It is public, with your name."))
            return redirect(f"{recommendation.get_absolute_url()}#decision")
    return _panel_page(request, decision_panel(request, recommendation, form=form))


def position_list(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation = _recommendation(request, slug, number)
    page = Paginator(positions_of(recommendation), POSITIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "process": recommendation.process,
        "recommendation": recommendation,
        "page": page,
        "has_electors": has_electors(recommendation.process),
    }
    return render(request, "outcomes/positions.html", context)


@login_required
@require_POST
def declare(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor = signed_in_user(request)
    recommendation = _recommendation(request, slug, number)
    require(
        can_declare_decisions(actor, recommendation.process),
        _("Only the secretariat or the chair may declare decisions, while the process is open."),
    )
    DeclareForm(request.POST).is_valid()
    try:
        decision = decisions.declare_decision(actor=actor, recommendation=recommendation)
    except ValidationError as error:
        context = decision_panel(request, recommendation, declare_errors=error.messages)
        return _panel_page(request, context)
    messages.success(
        request,
        _("The decision is declared: passed.")
        if decision.passed
        else _("The decision is declared: not passed."),
    )
    return redirect(f"{recommendation.get_absolute_url()}#decision")
