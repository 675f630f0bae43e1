"""The feedback report of a draft version: its page (a page of inputs) and streamed downloads."""

from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from polyvox.contributions.exports import csv_lines, json_chunks
from polyvox.contributions.pages import FEEDBACK_REPORT
from polyvox.contributions.selectors.feedback_report import SECTION_INPUTS_SHOWN, feedback_report
from polyvox.drafts.models import DraftVersion
from polyvox.processes.selectors import access_process

REPORT_PAGE_SIZE = 200  # feedback report pages; the CSV and JSON downloads hold everything


def _version(request: HttpRequest, slug: str, draft: str, number: int) -> DraftVersion:
    process = access_process(viewer=request.user, slug=slug)
    return get_object_or_404(
        DraftVersion.objects.published().select_related("draft__process"),
        draft__process=process,
        draft__slug=draft,
        number=number,
    )


def feedback(request: HttpRequest, slug: str, draft: str, number: int) -> HttpResponse:
    version = _version(request, slug, draft, number)
    report = feedback_report(version=version, section_inputs_shown=SECTION_INPUTS_SHOWN)
    figures = [
        (_("By stakeholder group"), report.by_stakeholder_group),
        (_("By region"), report.by_region),
    ]
    # The paginator reads only the page asked for (and counts nothing: the figures did).
    page = Paginator(report.inputs, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/feedback_report.html",
        {
            "process": version.draft.process,
            "report": report,
            "figures": figures,
            "page": page,
            "sections": FEEDBACK_REPORT.build(
                request, process=version.draft.process, version=version
            ),
        },
    )


def _download(content: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def feedback_csv(request: HttpRequest, slug: str, draft: str, number: int) -> StreamingHttpResponse:
    report = feedback_report(version=_version(request, slug, draft, number))
    return _download(
        csv_lines(report), "text/csv; charset=utf-8", f"{slug}-{draft}-v{number}-feedback.csv"
    )


def feedback_json(
    request: HttpRequest, slug: str, draft: str, number: int
) -> StreamingHttpResponse:
    report = feedback_report(version=_version(request, slug, draft, number))
    return _download(
        json_chunks(report),
        "application/json; charset=utf-8",
        f"{slug}-{draft}-v{number}-feedback.json",
    )
