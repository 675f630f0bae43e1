"""Consensus designations: the chair proposes and finalises; participants object."""

from django.http import Http404, HttpRequest, HttpResponse


def propose(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def finalise(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def object_to(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)


def withdraw_objection(request: HttpRequest, slug: str, objection_id: int) -> HttpResponse:
    raise Http404("Not built yet.")  # being written (issue 10)
