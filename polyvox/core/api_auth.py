"""How API callers authenticate: a personal API token (`polyvox.accounts`), or the session cookie.

A token request carries no cookie and needs no CSRF token; a cookie request keeps CSRF.
`polyvox.accounts.middleware.ApiTokenMiddleware` checks the token (unknown or revoked → 401,
outside its scope → 403) before any view runs and marks the request with `api_token`; here an
operation only asks whether it did. Core cannot import accounts (layers), hence the attribute."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer pvx_…`, already checked by the middleware."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        if getattr(request, "api_token", None) is None:
            return None
        return request.user


api_token_auth = ApiTokenAuth()
# The token first: a token request that also carries a session cookie is judged by its token and
# needs no CSRF; only then the cookie, whose CSRF check ninja makes (403 without a token).
api_auth = [api_token_auth, django_auth]
