"""The indicators page and the process-quality report (HTML and PDF), and the secretariat's
participation targets.

The page is live: every request computes the figures again (`selectors.process_indicators`,
aggregate queries only), so it follows the process as inputs arrive and are answered; once the
process has closed, the page and the report show the figures frozen at closing (`final`). The report
is the same figures mapped to the São Paulo Multistakeholder Guidelines and to UNESCO's ROAM-X
indicators, each linked to its data; the PDF renders the report's body in a page of its own with
the print stylesheet inline, so WeasyPrint fetches nothing (as the outcome document does).
"""

from datetime import UTC, date, datetime
from typing import Any

import weasyprint
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.commitments.selectors import OVERDUE, process_counts
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.core.static_text import static_text
from polyvox.indicators import frameworks, presenting, report
from polyvox.indicators.final import indicators_for
from polyvox.indicators.forms import TargetForm
from polyvox.indicators.permissions import can_see_alerts, can_set_targets
from polyvox.indicators.services import remove_participation_target, set_participation_target
from polyvox.indicators.targets import target_rows
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import ParticipationTarget, Process, TargetDimension
from polyvox.processes.selectors import access_process, localized_process

PRINT_CSS = "css/print-quality-report.css"


def _today() -> date:
    return timezone.now().astimezone(UTC).date()


def _commitments(process: Process) -> dict[str, int]:
    counts = process_counts(process, _today())
    return {
        "total": sum(c.count for c in counts),
        "overdue": sum(c.count for c in counts if c.key == OVERDUE),
    }


def _context(request: HttpRequest, process: Process) -> dict[str, Any]:
    """What the page, the report and its PDF show: one computation of the figures."""
    targets = target_rows(process)
    gender_targets = {t.value for t in targets if t.dimension == TargetDimension.GENDER}
    alerts_allowed = can_see_alerts(request.user, process)
    indicators = indicators_for(process, with_alerts=alerts_allowed)
    participation = indicators["participation"]
    figures = report.figures(indicators, _commitments(process))
    return {
        "process": process,
        "indicators": indicators,
        "computed_at": datetime.fromisoformat(indicators["computed_at"]),
        "participation": participation,
        "responsiveness": indicators["responsiveness"],
        "interaction": indicators["interaction"],
        "concentration": indicators["concentration"],
        "breakdowns": presenting.breakdowns(participation, gender_targets),
        "cross": presenting.cross_rows(participation.get("cross") or [], gender_targets),
        "responsiveness_chart": presenting.responsiveness_chart(indicators["responsiveness"]),
        "circulation": presenting.circulation_rows(indicators["circulation"]),
        "circulation_chart": presenting.circulation_chart(indicators["circulation"]),
        "figures": figures,
        # The same figures for templates, which cannot read a key with a dot in it.
        "fig": {key.replace(".", "_"): figure for key, figure in figures.items()},
        "frameworks": frameworks.frameworks(figures),
        "alerts": indicators["alerts"],
        "can_see_alerts": alerts_allowed,
        "targets": targets,
        "can_set_targets": can_set_targets(request.user, process),
        "api_url": f"/api/v1/processes/{process.slug}/indicators",
        "page_url": reverse("indicators:page", kwargs={"slug": process.slug}),
        "process_text": localized_process(process, get_language()),
        "closed": process.closed_at is not None,
        "base": "",
    }


def indicators_page(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    context = _context(request, process)
    if context["can_set_targets"]:
        context["form"] = TargetForm()
    return render(request, "indicators/page.html", context)


@login_required
@require_POST
def add_target(request: HttpRequest, slug: str) -> HttpResponse:
    """Set a target (or change its share); errors are shown on the page, answering 200."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(
        can_set_targets(actor, process),
        _("Only the secretariat of this process may set participation targets."),
    )
    form = TargetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            set_participation_target(
                actor=actor,
                process=process,
                dimension=data["dimension"],
                value=data["value"],
                min_share=data["min_share"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Participation target saved."))
            return redirect(reverse("indicators:page", kwargs={"slug": slug}) + "#targets")
    context = {**_context(request, process), "form": form}
    return render(request, "indicators/page.html", context)


@login_required
@require_POST
def remove_target(request: HttpRequest, slug: str, target_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    target = get_object_or_404(ParticipationTarget, process=process, pk=target_id)
    remove_participation_target(actor=actor, target=target)
    messages.success(request, _("Participation target removed."))
    return redirect(reverse("indicators:page", kwargs={"slug": slug}) + "#targets")


def quality_report(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    return render(request, "indicators/report.html", _context(request, process))


def _print_css() -> str:
    return static_text(PRINT_CSS)


def quality_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    context = {
        **_context(request, process),
        "print_css": _print_css(),
        "pdf": True,
        # The PDF is read away from the site: its links name the site.
        "base": request.build_absolute_uri("/").rstrip("/"),
    }
    html = render_to_string("indicators/report_pdf.html", context, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="quality-report-{process.slug}.pdf"'
    return response
