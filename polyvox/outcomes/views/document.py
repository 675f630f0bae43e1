"""The outcome document: a page (printable), a PDF (WeasyPrint) and JSON."""

from django.http import Http404, HttpRequest, HttpResponse


def outcome_document(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def outcome_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def outcome_json(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)
