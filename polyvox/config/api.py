"""The JSON API: NinjaAPI(version 1) with each app's router and one error shape."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

api = NinjaAPI(
    title="Polyvox API",
    version="1",
    description="Public data of multistakeholder processes. Anonymous callers see public data only.",
    urls_namespace="api",
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
    from polyvox.joint_statements.api import router as joint_statements
    from polyvox.moderation.api import router as moderation
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


_mount_routers()
