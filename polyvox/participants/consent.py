"""Asks for consent to a new version of the terms (stub from the foundation; its owner replaces it)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
