"""API tokens: `Authorization: Bearer pvx_…` on /api/ acts as the token's user, within its scope.

It runs after Django's AuthenticationMiddleware and replaces `request.user` for the request; the
token travels in a header a browser never adds by itself, so a token request needs no CSRF token
(`request._dont_enforce_csrf_checks`). A cookie request is left as it is and keeps CSRF.
Errors answer in the API's one error shape, `{"error": "…"}`."""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from polyvox.accounts.models import ApiToken, TokenScope
from polyvox.accounts.services.tokens import note_use, token_for_key

API_PREFIX = "/api/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_PROCESS_PATH = re.compile(r"^/api/v\d+/processes/(?P<slug>[^/]+)(?:/|$)")


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def scope_refusal(token: ApiToken, method: str, path: str) -> str | None:
    """Why `token` may not make this request, or None when its scope allows it."""
    unsafe = method.upper() not in SAFE_METHODS
    if unsafe and token.scope != TokenScope.WRITE:
        return _("This token may only read: make a write token to change anything.")
    if token.process_id is None:
        return None
    match = _PROCESS_PATH.match(path)
    if match is None:
        return (
            _("This token is for one process only: it may not write outside it.")
            if unsafe
            else None
        )
    if token.process is None or match["slug"] != token.process.slug:
        return _("This token is for another process.")
    return None


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if not request.path_info.startswith(API_PREFIX) or not header:
            return self.get_response(request)
        scheme, _space, key = header.partition(" ")
        if scheme.lower() != "bearer":
            return self.get_response(request)
        token = token_for_key(key.strip())
        if token is None:
            return _error(401, _("This API token is unknown or has been revoked."))
        user = token.user
        if not user.is_active or user.closed_at is not None:
            return _error(401, _("This API token's account is closed or disabled."))
        refusal = scope_refusal(token, request.method or "GET", request.path_info)
        if refusal is not None:
            return _error(403, refusal)
        note_use(token)
        request.user = user
        request.api_token = token  # type: ignore[attr-defined]
        # A header a browser never sends by itself: no cross-site request can carry it.
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
