"""Recommendations: the public list, one recommendation's page, adding and editing them."""

from django.http import Http404, HttpRequest, HttpResponse


def recommendation_list(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def create(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)
