"""Hostile input: oversized bodies → 413, malformed text → 400, one error shape (stub from the foundation; its owner replaces it)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason)
