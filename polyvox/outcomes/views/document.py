"""The outcome document: a page (printable), a PDF (WeasyPrint) and JSON.

One public document per process: every recommendation with its text and linked sections, its
designation (confirmed or revised, rationale, date), the evidence as tables, the minority views
verbatim, the decision with its what-if table; then the joint statements beside their dissents,
then what the apps above add (`OUTCOME_DOCUMENT`: commitments). The PDF renders the same body in
a page of its own with the print stylesheet inline, so WeasyPrint fetches nothing. The JSON is
`selectors.recommendations.outcome_document`. Who may read it is what `access_process` decides.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import weasyprint
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from polyvox.core.static_text import static_text
from polyvox.drafts.models import Section
from polyvox.joint_statements.models import StatementStatus
from polyvox.joint_statements.selectors import statements_of
from polyvox.outcomes.models import Designation, MinorityView, Recommendation
from polyvox.outcomes.pages import OUTCOME_DOCUMENT
from polyvox.outcomes.selectors.decisions import decision_data, outcome_settings
from polyvox.outcomes.selectors.recommendations import designations_of, recommendations_of
from polyvox.outcomes.selectors.recommendations import outcome_document as document_data
from polyvox.outcomes.views.decisions import rule_label
from polyvox.outcomes.views.recommendations import (
    EvidenceTables,
    evidence_tables,
    group_label,
)
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

PRINT_CSS = "css/print-outcome.css"


@dataclass
class WhatIfRow:
    rule: str
    title: str
    passed: bool
    reason: str
    own: bool


@dataclass
class TallyRow:
    group: str
    in_favour: int
    against: int
    abstain: int
    absent: int
    members: int


@dataclass
class DecisionView:
    rule_title: str
    passed: bool
    reason: str
    declared_at: datetime | None
    groups: list[TallyRow]
    what_if: list[WhatIfRow]


@dataclass
class RecommendationEntry:
    recommendation: Recommendation
    sections: list[Section]
    proposal: Designation | None
    final: Designation | None
    minority_views: list[MinorityView]
    evidence: EvidenceTables | None
    decision: DecisionView | None

    @property
    def prefix(self) -> str:
        """Makes the ids of its evidence panel unique in the document."""
        return f"recommendation-{self.recommendation.number}-"


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def decision_view(data: dict[str, Any] | None) -> DecisionView | None:
    """`selectors.decisions.decision_data` laid out for a page."""
    if data is None:
        return None
    rule_set = str(data.get("rule_set", ""))
    groups = [
        TallyRow(
            group_label(str(group)),
            _int(tally.get("in_favour")),
            _int(tally.get("against")),
            _int(tally.get("abstain")),
            _int(tally.get("absent")),
            _int(tally.get("members")),
        )
        for group, tally in sorted((data.get("groups") or {}).items())
    ]
    what_if = [
        WhatIfRow(
            rule=str(result.get("rule", "")),
            title=rule_label(str(result.get("rule", ""))),
            passed=bool(result.get("passed")),
            reason=str(result.get("reason", "")),
            own=result.get("rule") == rule_set,
        )
        for result in data.get("what_if") or []
    ]
    declared_at = data.get("declared_at")
    if isinstance(declared_at, str):
        declared_at = datetime.fromisoformat(declared_at)
    return DecisionView(
        rule_title=rule_label(rule_set),
        passed=bool(data.get("passed")),
        reason=str(data.get("reason", "")),
        declared_at=declared_at if isinstance(declared_at, datetime) else None,
        groups=groups,
        what_if=what_if,
    )


def _entries(process: Process) -> list[RecommendationEntry]:
    """Every recommendation of the process, with what the document shows of it (a handful of
    queries for all of them, plus one per declared decision)."""
    recommendations = recommendations_of(process).prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.select_related("version__draft").order_by(
                "version__draft__created_at", "version__number", "order"
            ),
            to_attr="linked_sections",
        ),
        Prefetch(
            "designations__minority_views",
            queryset=MinorityView.objects.select_related("organisation").order_by(
                "objection__created_at", "pk"
            ),
        ),
    )
    entries = []
    for recommendation in recommendations:
        proposal, final = designations_of(recommendation)
        shown = final or proposal
        entries.append(
            RecommendationEntry(
                recommendation=recommendation,
                sections=recommendation.linked_sections,
                proposal=proposal,
                final=final,
                minority_views=list(final.minority_views.all()) if final else [],
                evidence=evidence_tables(shown.evidence) if shown else None,
                decision=(
                    decision_view(decision_data(recommendation))
                    if hasattr(recommendation, "decision")
                    else None
                ),
            )
        )
    return entries


def _context(request: HttpRequest, process: Process) -> dict[str, Any]:
    settings = outcome_settings(process)
    published = statements_of(process).filter(status=StatementStatus.PUBLISHED)
    return {
        "process": process,
        "generated_at": timezone.now(),
        "rule_title": rule_label(settings.rule_set),
        "objection_days": settings.objection_days,
        "entries": _entries(process),
        "joint_statements": [(s, s.linked) for s in published],  # type: ignore[attr-defined]
        "panels": OUTCOME_DOCUMENT.build(request, process=process),
        "now": timezone.now(),
    }


def outcome_document(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    return render(request, "outcomes/document.html", _context(request, process))


def _print_css() -> str:
    return static_text(PRINT_CSS)


def outcome_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    context = {**_context(request, process), "print_css": _print_css(), "pdf": True}
    html = render_to_string("outcomes/document_pdf.html", context, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="outcome-{process.slug}.pdf"'
    return response


def outcome_json(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    body = json.dumps(document_data(process), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcome-{process.slug}.json"'
    return response
