"""The public record of a process, as a page and as a JSON Lines download."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from polyvox.processes.selectors import access_process
from polyvox.record.selectors import export_record, public_record


def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    entries = public_record(process=process).order_by("-id")[:500]
    return render(request, "record/list.html", {"process": process, "entries": entries})


def record_download(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    response = StreamingHttpResponse(
        export_record(process=process), content_type="application/jsonl"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-record.jsonl"'
    return response
