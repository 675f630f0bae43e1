"""Asks a signed-in participant to accept the terms of use and the privacy notice in force.

When `settings.POLYVOX_REQUIRE_CONSENT` is on (it is, but in the tests that do not test this), a
signed-in person who has not accepted the current version of each document is sent (GET) to
/accounts/consent/?next=…, and any other request that would change something is refused with
403 and the reason. The documents themselves, the consent page, logging out, static files, the
API (its callers are programs with tokens), language switching, health checks and the admin stay
open. At most one query a request: the answer is kept in the session under the versions in force,
so raising a version asks again.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from polyvox.participants.models import User
from polyvox.participants.services import consents_missing, current_versions

SESSION_KEY = "polyvox_consented"


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("participants:consent"),
        reverse("participants:terms"),
        reverse("participants:privacy"),
        reverse("participants:logout"),
        settings.STATIC_URL
        if str(settings.STATIC_URL).startswith("/")
        else f"/{settings.STATIC_URL}",
        "/api/",
        "/i18n/",
        "/healthz",
        "/readyz",
        "/admin/",
        # Someone who will not accept new terms may still take their data and leave.
        *getattr(settings, "POLYVOX_CONSENT_EXEMPT_PATHS", ()),
    )


def _session_value(user: User) -> str:
    versions = current_versions()
    return f"{user.pk}:" + ":".join(versions[doc] for doc in sorted(versions))


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if not getattr(settings, "POLYVOX_REQUIRE_CONSENT", False):
            return None
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if getattr(request, "api_token", None) is not None:
            return None
        if request.path.startswith(_exempt_prefixes()):
            return None
        expected = _session_value(user)
        if request.session.get(SESSION_KEY) == expected:
            return None
        if not consents_missing(user):
            request.session[SESSION_KEY] = expected
            return None
        if request.method in ("GET", "HEAD"):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('participants:consent')}?{query}")
        return render(request, "participants/consent_required.html", status=403)
