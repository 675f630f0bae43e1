"""The process's rule set, chamber thresholds, objection window and electorate.

Everyone reads what the rule set means, with its source, and the electorate's public labels and
groups; the secretariat edits them here (`outcomes.services.rules`), until a decision is declared.
A form with errors answers 200 with them; someone who may not edit gets the 403 page.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyvox.analytics.decision_rules import RULES
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.outcomes.forms.decisions import (
    ElectorForm,
    OutcomeSettingsForm,
    RemoveElectorForm,
    settings_initial,
)
from polyvox.outcomes.models import Elector, RuleSet
from polyvox.outcomes.permissions import can_manage_recommendations
from polyvox.outcomes.selectors.decisions import (
    chamber_rules,
    elector_groups,
    electors_of,
    outcome_settings,
)
from polyvox.outcomes.services import rules as rule_services
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

ELECTORS_PER_PAGE = 50

# What each preset means, in the words ("in favour" = support or can live with;
# "against" = oppose or block; abstain = present, not voting; absent = not present).
RULE_MEANINGS: dict[str, "StrPromise"] = {
    RuleSet.SIMPLE_MAJORITY: gettext_lazy(
        "Passes when more are in favour than against. A tie fails."
    ),
    RuleSet.TWO_THIRDS: gettext_lazy(
        "Passes when those in favour are at least two thirds of those voting (in favour and "
        "against), and at least one vote is cast. Abstentions do not count as votes."
    ),
    RuleSet.UN_SECURITY_COUNCIL: gettext_lazy(
        "Voters are in the group “permanent” or “elected”. Passes with at least nine in favour "
        "and no permanent member against. A permanent member's abstention or absence is not a "
        "veto."
    ),
    RuleSet.GNSO_SUPERMAJORITY: gettext_lazy(
        "Voters are in the house “contracted” or “non-contracted”; a house's members are all "
        "its electors, absent ones included. Passes when those in favour are at least two thirds "
        "of the members of each house, or at least three quarters of one house and more than "
        "half of the other."
    ),
    RuleSet.CONSENSUS_WITH_BLOCKS: gettext_lazy(
        "Passes when nobody blocks and more are in favour than against. Only this rule set lets "
        "participants block."
    ),
    RuleSet.CHAMBERS: gettext_lazy(
        "Each stakeholder group is a chamber with its own threshold, of its members or of the "
        "votes cast in it. Passes when every chamber passes."
    ),
    RuleSet.ONE_STATE_ONE_VOTE: gettext_lazy(
        "Only voters in the group “government” decide, one vote per state; the others are "
        "consultative and shown apart. Passes when more states are in favour than against."
    ),
}


def _rule_rows(own: str) -> list[dict[str, Any]]:
    """Every preset, in the order of `decision_rules.RULES`, with its meaning and source."""
    rows = []
    for name, rule in RULES.items():
        label = RuleSet(name).label if name in RuleSet.values else rule.title
        rows.append(
            {
                "name": name,
                "title": label,
                "meaning": RULE_MEANINGS.get(name, ""),
                "source": rule.source,
                "allows_block": rule.allows_block,
                "own": name == own,
            }
        )
    return rows


def _rules_page(
    request: HttpRequest, process: Process, form: OutcomeSettingsForm | None
) -> HttpResponse:
    settings = outcome_settings(process)
    chambers = [
        {"group": group, "text": settings.chambers[group], "described": rule.describe()}
        for group, rule in sorted(chamber_rules(settings).items())
    ]
    context = {
        "process": process,
        "settings": settings,
        "rules": _rule_rows(settings.rule_set),
        "own_title": RuleSet(settings.rule_set).label
        if settings.rule_set in RuleSet.values
        else settings.rule_set,
        "own_meaning": RULE_MEANINGS.get(settings.rule_set, ""),
        "chambers": chambers,
        "decided": rule_services.decisions_declared(process),
        "elector_groups": elector_groups(process),
        "form": form,
    }
    return render(request, "outcomes/rules.html", context)


def rules(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    may_edit = can_manage_recommendations(request.user, process)
    if request.method != "POST":
        initial = settings_initial(outcome_settings(process))
        return _rules_page(
            request, process, OutcomeSettingsForm(initial=initial) if may_edit else None
        )
    actor = signed_in_user(request)
    require(may_edit, _("Only the secretariat of an open process sets its rules."))
    form = OutcomeSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule_services.update_outcome_settings(
                actor=actor,
                process=process,
                rule_set=data["rule_set"],
                chambers=data["chambers"],
                objection_days=data["objection_days"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The rules are saved and published on the record."))
            return redirect("outcomes:rules", slug=process.slug)
    return _rules_page(request, process, form)


def _electors_page(
    request: HttpRequest,
    process: Process,
    form: ElectorForm | None,
    *,
    errors: list[str] | None = None,
) -> HttpResponse:
    may_edit = form is not None
    rows = electors_of(process)
    if may_edit:
        rows = rows.select_related("user")  # the secretariat sees whose seat it is
    page = Paginator(rows, ELECTORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "process": process,
        "page": page,
        "form": form,
        "may_edit": may_edit,
        "errors": errors or [],
        "groups": elector_groups(process),
        "decided": rule_services.decisions_declared(process),
    }
    return render(request, "outcomes/electors.html", context)


def electors(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    may_edit = can_manage_recommendations(request.user, process)
    if request.method != "POST":
        return _electors_page(request, process, ElectorForm() if may_edit else None)
    actor = signed_in_user(request)
    require(may_edit, _("Only the secretariat of an open process sets its electorate."))
    form = ElectorForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            elector = rule_services.add_elector(
                actor=actor,
                process=process,
                user=data["user"],
                voter=data["voter"],
                group=data["group"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(voter)s now has a seat in the group %(group)s.")
                % {"voter": elector.voter, "group": elector.group},
            )
            return redirect("outcomes:electors", slug=process.slug)
    return _electors_page(request, process, form)


@login_required
@require_POST
def remove_elector(request: HttpRequest, slug: str, elector_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    elector = get_object_or_404(Elector, process=process, pk=elector_id)
    require(
        can_manage_recommendations(actor, process),
        _("Only the secretariat of an open process sets its electorate."),
    )
    RemoveElectorForm(request.POST).is_valid()
    elector.process = process
    try:
        rule_services.remove_elector(actor=actor, elector=elector)
    except ValidationError as error:
        return _electors_page(request, process, ElectorForm(), errors=error.messages)
    messages.success(request, _("%(voter)s no longer has a seat.") % {"voter": elector.voter})
    return redirect("outcomes:electors", slug=process.slug)
