"""Positions on recommendations and decisions under the process's rule set, with the what-if table."""

from django.http import Http404, HttpRequest, HttpResponse


def position(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def position_list(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def declare(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)
