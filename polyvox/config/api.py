"""The JSON API: NinjaAPI(version 1) with each app's router and one error shape."""

import json
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

MAX_JSON_DEPTH = 32
# NUL (PostgreSQL cannot store it), lone surrogates (not Unicode) and noncharacters.
_UNSTORABLE = re.compile(
    "[\x00\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)


def _check_json(value: Any, path: str, depth: int) -> None:
    """Refuse (400, with the JSON path) text that cannot be stored and nesting too deep."""
    if depth > MAX_JSON_DEPTH:
        raise HttpError(400, f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels at {path}.")
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is not None:
            # A field error, keyed like the schema's own ("on_behalf_of", "items[2].text").
            field = path.removeprefix("$.").removeprefix("$").strip() or "__all__"
            raise ValidationError(
                {
                    field: f"The text contains U+{ord(found.group()):04X}, which cannot be stored "
                    "(NUL, a lone surrogate or a noncharacter)."
                }
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, f"{path} (a key)", depth)
            _check_json(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]", depth + 1)


class StrictJsonParser(Parser):
    """JSON bodies decoded strictly: UTF-8 only, no NaN/Infinity, nothing unstorable, bounded depth."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise HttpError(400, f"The body is not UTF-8 (byte {error.start}).") from error

        def refuse_constant(name: str) -> Any:
            raise HttpError(400, f"The body is not valid JSON: {name} is not a JSON number.")

        try:
            data = json.loads(text, parse_constant=refuse_constant)
        except RecursionError as error:
            raise HttpError(
                400, f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels."
            ) from error
        except json.JSONDecodeError as error:
            raise HttpError(
                400,
                f"The body is not valid JSON: {error.msg} (line {error.lineno}, "
                f"column {error.colno}).",
            ) from error
        _check_json(data, "$", 0)
        return data


api = NinjaAPI(
    title="Polyvox API",
    version="1",
    description="Public data of multistakeholder processes. Anonymous callers see public data only.",
    urls_namespace="api",
    parser=StrictJsonParser(),
)


def _error(request: HttpRequest, status: int, message: str, fields: object = None) -> HttpResponse:
    body: dict[str, object] = {"error": message}
    if fields:
        body["fields"] = fields
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 400, "Invalid input.", fields)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "Invalid input.", exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's errors (401 AuthenticationError, 403 AuthorizationError and CSRF, 429 Throttled,
    400 from the parser) in the one error shape."""
    if isinstance(exc.__cause__, ValidationError):  # the parser's field error, wrapped by ninja
        return on_validation_error(request, exc.__cause__)
    if isinstance(exc.__cause__, HttpError):  # ninja wraps the parser's error; ours says more
        exc = exc.__cause__
    message = str(exc)
    if message == "CSRF check Failed":
        message = (
            "CSRF check failed: a request signed in with the session cookie must send the "
            "X-CSRFToken header; or authenticate with an API token (Authorization: Bearer …)."
        )
    return _error(request, exc.status_code, message)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Permission denied.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.")


def _mount_routers() -> None:
    from polyvox.campaigns.api import router as campaigns
    from polyvox.caucuses.api import router as caucuses
    from polyvox.commitments.api import router as commitments
    from polyvox.contributions.api import router as contributions
    from polyvox.drafts.api import router as drafts
    from polyvox.indicators.api import router as indicators
    from polyvox.joint_statements.api import router as joint_statements
    from polyvox.moderation.api import router as moderation
    from polyvox.notifications.api import router as notifications
    from polyvox.organisations.api import router as organisations
    from polyvox.outcomes.api import router as outcomes
    from polyvox.processes.api import router as processes
    from polyvox.record.api import router as record
    from polyvox.statements.api import router as statements

    api.add_router("/", processes, tags=["processes"])
    api.add_router("/", drafts, tags=["drafts"])
    api.add_router("/", contributions, tags=["contributions"])
    api.add_router("/", statements, tags=["statements"])
    api.add_router("/", campaigns, tags=["campaigns"])
    api.add_router("/", organisations, tags=["organisations"])
    api.add_router("/", caucuses, tags=["caucuses"])
    api.add_router("/", joint_statements, tags=["joint statements"])
    api.add_router("/", outcomes, tags=["outcomes"])
    api.add_router("/", commitments, tags=["commitments"])
    api.add_router("/", record, tags=["record"])
    api.add_router("/", moderation, tags=["moderation"])
    api.add_router("/", indicators, tags=["indicators"])
    api.add_router("/", notifications, tags=["notifications"])


_mount_routers()
