"""API tokens: Authorization: Bearer on /api/ (stub from the foundation; its owner replaces it)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
