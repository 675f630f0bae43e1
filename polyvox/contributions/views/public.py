"""The public list of inputs (searchable, filtered, campaigns shown once) and its downloads."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from polyvox.contributions.forms import PublicListFilterForm
from polyvox.contributions.public_exports import csv_lines, json_chunks, public_rows
from polyvox.contributions.selectors.public_list import (
    CountedPaginator,
    listed_ids,
    listed_inputs,
    organisation_filter,
    public_inputs,
    public_list,
    public_list_counts,
    public_section_anchors,
)
from polyvox.drafts.selectors import published_versions
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

PAGE_SIZE = 50  # inputs per page: a flooded consultation must still load on a slow link


def _filtered(request: HttpRequest, slug: str) -> tuple[Process, PublicListFilterForm]:
    process = access_process(viewer=request.user, slug=slug)
    form = PublicListFilterForm(request.GET or None, anchors=public_section_anchors(process))
    return process, form


def _query_string(filters: dict[str, str]) -> str:
    """The filters as URL parameters, for page links and the downloads."""
    names = {
        "query": "q",
        "kind": "kind",
        "section": "section",
        "organisation": "organisation",
        "language": "language",
    }
    return urlencode({names[key]: value for key, value in filters.items() if value})


def contribution_list(request: HttpRequest, slug: str) -> HttpResponse:
    process, form = _filtered(request, slug)
    filters = form.filters()
    listed = public_list(viewer=request.user, process=process, **filters)
    total, rows = public_list_counts(viewer=request.user, process=process, **filters)
    paginator = CountedPaginator(listed_ids(listed), PAGE_SIZE, count=rows)
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    return render(
        request,
        "contributions/list.html",
        {
            "process": process,
            "form": form,
            "page": page,
            "rows": listed_inputs(viewer=request.user, process=process, ids=ids),
            "total": total,  # campaign members included
            "query": _query_string(filters),
            "searching": any(filters.values()),
            "versions": published_versions(process),
            "organisation": organisation_filter(filters["organisation"]),
        },
    )


def _download(
    request: HttpRequest, slug: str
) -> tuple[Process, dict[str, str], Iterator[dict[str, Any]]]:
    """The rows the list shows with the same search and filters, one per input (not folded)."""
    process, form = _filtered(request, slug)
    filters = form.filters()
    inputs = public_inputs(viewer=request.user, process=process, **filters)
    return process, filters, public_rows(inputs)


def contributions_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    process, _filters, rows = _download(request, slug)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-contributions.csv"'
    return response


def contributions_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    process, filters, rows = _download(request, slug)
    header = {"process": process.slug, "filters": filters}
    response = StreamingHttpResponse(
        json_chunks(header, rows), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-contributions.json"'
    return response
