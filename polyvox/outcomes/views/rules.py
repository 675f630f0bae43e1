"""The process's rule set, chamber thresholds, objection window and electorate."""

from django.http import Http404, HttpRequest, HttpResponse


def rules(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def electors(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def remove_elector(request: HttpRequest, slug: str, elector_id: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)
