"""Health checks before anything else; an unreachable database answered with 503, not 500."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from polyvox.operations.views import DATABASE_UNAVAILABLE, database_unavailable, healthz, readyz

HEALTH_CHECKS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: /healthz and /readyz answer before the host check (a load balancer
    asks by IP address), the HTTPS redirect, sessions and the signed-in user (no database)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        check = HEALTH_CHECKS.get(request.path_info)
        if check is not None and request.method in ("GET", "HEAD"):
            return check(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After (pages: a small page
    that needs no database; the API: {"error": …}). Middleware and context processors that
    reach it are covered by handler500 (`polyvox.operations.views.server_error`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request)
        return None
