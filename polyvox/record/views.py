"""The public record of a process: the page, the JSON Lines download and the signed checkpoint."""

import base64
from collections.abc import Sequence
from typing import Any, overload

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process
from polyvox.record.event_names import named_event
from polyvox.record.keys import verifier_key
from polyvox.record.models import RecordEntry
from polyvox.record.selectors import (
    export_record,
    export_size,
    inclusion_proof_url,
    integrated_size,
    latest_checkpoint,
    pending_count,
    public_record,
)

ENTRIES_PER_PAGE = 50


class NewestFirst(Sequence[RecordEntry]):
    """The integrated entries, newest first, as a sequence a Paginator can page by index range:
    its length is the tree size (no COUNT) and a page is one range query on (process, index)."""

    def __init__(self, process: Process, size: int) -> None:
        self.process = process
        self.size = size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, item: int) -> RecordEntry: ...
    @overload
    def __getitem__(self, item: slice) -> list[RecordEntry]: ...
    def __getitem__(self, item: int | slice) -> RecordEntry | list[RecordEntry]:
        if isinstance(item, int):
            return self[item : item + 1][0]
        start, stop, _step = item.indices(self.size)
        if stop <= start:
            return []
        rows = public_record(process=self.process).filter(
            index__lt=self.size - start, index__gte=self.size - stop
        )
        return list(rows.order_by("-index"))


def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    checkpoint = latest_checkpoint(process=process)
    size = integrated_size(process=process)
    page = Paginator(NewestFirst(process, size), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    covered = checkpoint.tree_size if checkpoint is not None else 0
    rows: list[dict[str, Any]] = [
        {
            "entry": entry,
            "event": named_event(process.slug, entry.kind, entry.payload),
            # "2026-12-01T09:15:02.412907Z" → "2026-12-01 09:15:02" (the exact text stays in
            # the <time> element's datetime and in the download).
            "recorded": entry.recorded_at[:19].replace("T", " "),
            "proof_url": inclusion_proof_url(process, entry.index, covered)
            if entry.index is not None and entry.index < covered
            else "",
        }
        for entry in page.object_list
    ]
    context = {
        "process": process,
        "checkpoint": checkpoint,
        "root_b64": base64.b64encode(bytes(checkpoint.root_hash)).decode("ascii")
        if checkpoint is not None
        else "",
        "checkpoint_api_url": reverse("api:record_checkpoint", kwargs={"slug": process.slug}),
        "key_api_url": reverse("api:record_key"),
        "verifier_key": verifier_key(),
        "size": size,
        "pending": pending_count(process=process),
        "max_merge_delay": settings.POLYVOX_RECORD_MAX_MERGE_DELAY,
        "page": page,
        "rows": rows,
    }
    return render(request, "record/list.html", context)


def record_download(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The entries under the latest signed checkpoint; the file name and a header say its size."""
    process = access_process(viewer=request.user, slug=slug)
    size = export_size(process=process)
    response = StreamingHttpResponse(
        export_record(process=process, tree_size=size), content_type="application/jsonl"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-record-{size}.jsonl"'
    response["X-Record-Tree-Size"] = str(size)
    return response


def record_checkpoint(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest signed checkpoint as a file, to keep and compare later."""
    process = access_process(viewer=request.user, slug=slug)
    checkpoint = latest_checkpoint(process=process)
    if checkpoint is None:
        response = HttpResponse(
            _("No checkpoint yet.") + "\n", status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(settings.POLYVOX_RECORD_MAX_MERGE_DELAY)
        return response
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{process.slug}-checkpoint-{checkpoint.tree_size}.txt"'
    )
    return response
