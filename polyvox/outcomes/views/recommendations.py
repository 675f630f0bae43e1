"""Recommendations: the public list, one recommendation's page, adding and editing them.

A recommendation's page shows its text and linked sections, its designation (proposed, with the
objections and the objection form while they are open; final, with the minority views verbatim),
the evidence panel as tables, the decision panel (`views.decisions.decision_panel`) and what the
apps above add (`RECOMMENDATION_PAGE`). A service's ValidationError comes back on the page it came
from (200, with the message); its PermissionDenied is the 403 page with its reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.organisations.permissions import represented_by
from polyvox.outcomes.forms.designations import ObjectionForm, RecommendationForm
from polyvox.outcomes.models import Objection, PositionKind, Recommendation
from polyvox.outcomes.pages import RECOMMENDATION_PAGE
from polyvox.outcomes.permissions import (
    can_designate,
    can_manage_recommendations,
    can_object,
    objections_are_open,
)
from polyvox.outcomes.selectors.recommendations import (
    UNSPECIFIED,
    designations_of,
    evidence,
    linked_sections,
    minority_views_of,
    objection_of,
    public_objections,
    recommendation_by_number,
    recommendations_of,
    standing_objection_count,
)
from polyvox.outcomes.services.recommendations import add_recommendation, edit_recommendation
from polyvox.outcomes.views.decisions import decision_panel
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import StakeholderGroup
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

RECOMMENDATIONS_PER_PAGE = 50
OBJECTIONS_PER_PAGE = 50


# --- The evidence panel, as tables -------------------------------------------------------------


@dataclass
class CountRow:
    label: str
    counts: list[int]
    total: int


@dataclass
class StatementRow:
    number: str
    text: str
    counts: list[int]
    by_group: list[CountRow] = field(default_factory=list)


@dataclass
class EvidenceTables:
    """The evidence of a designation (JSON, as the chair saw it) laid out for a page."""

    position_labels: list[str]
    total: int
    by_group: list[CountRow]
    by_region: list[CountRow]
    vote_labels: list[str]
    statements: list[StatementRow]
    computed_at: datetime | None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def group_label(key: str) -> str:
    """A stakeholder group's name in the viewer's language; any other group by its key."""
    if key == UNSPECIFIED:
        return _("Not declared")
    try:
        return str(StakeholderGroup(key).label)
    except ValueError:
        return key


def _count(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _position_rows(table: Mapping[str, Any], label: Any) -> list[CountRow]:
    kinds = [kind.value for kind in PositionKind]
    rows = []
    for key, counts in table.items():
        counts = counts if isinstance(counts, Mapping) else {}
        values = [_count(counts.get(kind)) for kind in kinds]
        rows.append(CountRow(label(str(key)), values, sum(values)))
    return rows


def evidence_tables(data: Mapping[str, Any] | None) -> EvidenceTables | None:
    """Positions by stakeholder group and by region, and statement votes, as table rows."""
    if not data:
        return None
    positions = data.get("positions") or {}
    statements = []
    for item in data.get("statements") or []:
        votes = ["agree", "disagree", "pass"]
        by_group = [
            CountRow(group_label(str(group)), values, sum(values))
            for group, counts in (item.get("by_group") or {}).items()
            for values in [[_count((counts or {}).get(vote)) for vote in votes]]
        ]
        statements.append(
            StatementRow(
                number=str(item.get("id", "")),
                text=str(item.get("text", "")),
                counts=[_count(item.get(vote)) for vote in votes],
                by_group=by_group,
            )
        )
    return EvidenceTables(
        position_labels=[str(kind.label) for kind in PositionKind],
        total=_count(positions.get("total")),
        by_group=_position_rows(positions.get("by_group") or {}, group_label),
        by_region=_position_rows(positions.get("by_region") or {}, group_label),
        vote_labels=[_("Agree"), _("Disagree"), _("Pass")],
        statements=statements,
        computed_at=_as_datetime(data.get("computed_at")),
    )


# --- Pages -------------------------------------------------------------------------------------


def find_recommendation(
    request: HttpRequest, slug: str, number: int
) -> tuple[Process, Recommendation]:
    process = access_process(viewer=request.user, slug=slug)
    return process, recommendation_by_number(process, number)


def recommendation_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    page = Paginator(recommendations_of(process), RECOMMENDATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(r, *designations_of(r), getattr(r, "decision", None)) for r in page]
    context = {
        "process": process,
        "page": page,
        "rows": rows,
        "now": timezone.now(),
        "can_manage": can_manage_recommendations(request.user, process),
    }
    return render(request, "outcomes/list.html", context)


def _form_page(
    request: HttpRequest,
    process: Process,
    form: RecommendationForm,
    recommendation: Recommendation | None = None,
) -> HttpResponse:
    heading = _("Edit the recommendation") if recommendation else _("Add a recommendation")
    context = {
        "process": process,
        "recommendation": recommendation,
        "form": form,
        "heading": heading,
    }
    return render(request, "outcomes/recommendation_form.html", context)


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(
        can_manage_recommendations(actor, process),
        _("Only the secretariat may add recommendations, while the process is open."),
    )
    form = RecommendationForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = add_recommendation(
                actor=actor,
                process=process,
                title=data["title"],
                text=data["text"],
                sections=list(data["sections"]),
                statements=data["statements"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Recommendation %(number)s added.") % {"number": recommendation.number},
            )
            return redirect(recommendation)
    return _form_page(request, process, form)


@login_required
def edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, recommendation = find_recommendation(request, slug, number)
    require(
        can_manage_recommendations(actor, process),
        _("Only the secretariat may edit recommendations, while the process is open."),
    )
    form = RecommendationForm(request.POST or None, process=process, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edited = edit_recommendation(
                actor=actor,
                recommendation=recommendation,
                title=data["title"],
                text=data["text"],
                sections=list(data["sections"]),
                statements=data["statements"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Recommendation saved; the earlier text is kept."))
            return redirect(edited)
    return _form_page(request, process, form, recommendation)


def detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process, recommendation = find_recommendation(request, slug, number)
    return render_detail(request, process, recommendation)


def render_detail(
    request: HttpRequest,
    process: Process,
    recommendation: Recommendation,
    *,
    objection_form: ObjectionForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The recommendation's page; `objection_form` with its errors, `errors`: why a withdrawal or
    an objection was refused (shown at 200)."""
    viewer, now = request.user, timezone.now()
    proposal, final = designations_of(recommendation)
    shown = final or proposal
    open_for_objections = proposal is not None and objections_are_open(proposal, now)

    mine = objection_of(viewer, proposal) if proposal is not None else None
    listed: Any = Objection.objects.none()
    if final is not None:
        listed = minority_views_of(final)
    elif proposal is not None:
        listed = public_objections(proposal)
    page = Paginator(listed, OBJECTIONS_PER_PAGE).get_page(request.GET.get("page"))

    errors = list(errors or [])
    if mine is not None and objection_form is not None:
        # A second objection: the refusal is shown with the one already made, not a new form.
        errors += [str(e) for field_errors in objection_form.errors.values() for e in field_errors]
        objection_form = None
    offer_form = proposal is not None and mine is None and can_object(viewer, proposal, now)
    if objection_form is None and offer_form:
        objection_form = ObjectionForm(represented=list(represented_by(viewer)))
    designate = can_designate(viewer, process)
    context = {
        "process": process,
        "recommendation": recommendation,
        "sections": list(linked_sections(recommendation)),
        "proposal": proposal,
        "final": final,
        "shown": shown,
        "open_for_objections": open_for_objections,
        "standing_count": standing_objection_count(proposal) if proposal else 0,
        "page": page,
        "my_objection": mine,
        "can_withdraw": mine is not None and mine.withdrawn_at is None and open_for_objections,
        "objection_form": objection_form,
        "errors": errors,
        "can_manage": can_manage_recommendations(viewer, process),
        "can_propose": designate and final is None and proposal is None,
        "can_finalise": designate
        and final is None
        and proposal is not None
        and not open_for_objections,
        "can_designate": designate,
        "evidence": evidence_tables(shown.evidence if shown else evidence(recommendation)),
        "evidence_is_live": shown is None,
        "decision": decision_panel(request, recommendation),
        "panels": RECOMMENDATION_PAGE.build(
            request, recommendation=recommendation, process=process
        ),
        "now": now,
    }
    return render(request, "outcomes/recommendation.html", context)
