"""Hostile input: oversized bodies → 413, too many fields → 400, CSRF failures, one error shape.

Django raises RequestDataTooBig and TooManyFieldsSent lazily, when a view (or a middleware) first
reads request.body or request.POST; the error can surface as an exception out of the view
(process_exception) or out of the middleware below this one (caught around get_response). Both
answer the same: under /api/ the API's error shape (`{"error": …}`, docs/api.md), elsewhere a short
page that says what went wrong, never a 500.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

HOSTILE = (RequestDataTooBig, TooManyFieldsSent)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def error_response(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """The API's error shape under /api/, a short page elsewhere."""
    response: HttpResponse
    if _is_api(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        html = render_to_string(
            "operations/refused.html", {"title": title, "message": message}, request=request
        )
        response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def hostile_response(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = _("The request is too large: at most %(mb).1f MB may be sent at once.") % {
            "mb": limit / 1e6
        }
        return error_response(request, 413, _("Too large"), message)
    message = _("The form sent too many fields: at most %(limit)d.") % {
        "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 0
    }
    return error_response(request, 400, _("Too many fields"), message)


def refuse_early(request: HttpRequest) -> HttpResponse | None:
    """Read a form's fields here, before the middleware below (CSRF reads them) turns Django's
    lazy errors into a plain 400 page; refuse a body over the limit by its declared length."""
    if request.method in SAFE_METHODS:
        return None
    content_type = request.META.get("CONTENT_TYPE", "")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return error_response(
            request, 400, _("Bad request"), _("The Content-Length header is not a number.")
        )
    # Files of a multipart form do not count against the limit (their own limit is the
    # attachment's); everything else is read into memory whole.
    if limit is not None and length > limit and not content_type.startswith("multipart/"):
        return hostile_response(request, RequestDataTooBig())
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        try:
            request.POST  # noqa: B018 (parsed now, so that its errors are answered here)
        except HOSTILE as error:
            return hostile_response(request, error)
        except MultiPartParserError:
            return error_response(request, 400, _("Bad request"), _("The form data is malformed."))
    return None


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = refuse_early(request)
        if refused is not None:
            return refused
        try:
            return self.get_response(request)
        except HOSTILE as error:  # raised by a middleware below that read the body
            return hostile_response(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, HOSTILE):
            return hostile_response(request, exception)
        return None


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: 403 in the API's error shape under /api/, a page that says what to do
    elsewhere (Django's reason is for developers; it is not shown)."""
    if _is_api(request):
        message = _(
            "CSRF check failed: a request signed in with the session cookie must send the "
            "X-CSRFToken header; or authenticate with an API token (Authorization: Bearer …)."
        )
    else:
        message = _(
            "This form could not be sent: its security check failed. The page may have been "
            "open too long, or cookies are blocked. Go back, reload the page and send it again."
        )
    return error_response(request, 403, _("Form expired"), message)
