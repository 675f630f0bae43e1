"""Health checks for load balancers and the page shown when the database does not answer."""

import sys
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# Once every migration is applied it stays so for this process's code; the database is still
# asked on every /readyz, the migration graph (slow to build) at most this often.
MIGRATIONS_RECHECK_SECONDS = 60.0
_migrated_at: float | None = None


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers HTTP: 200 "ok". Touches no database (liveness)."""
    return _text("ok")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers and every migration is applied; 503 with the reason."""
    global _migrated_at  # a per-process cache of one fact
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = time.monotonic()
        if _migrated_at is None or now - _migrated_at > MIGRATIONS_RECHECK_SECONDS:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if plan:
                _migrated_at = None
                names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
                more = f" (+{len(plan) - 5})" if len(plan) > 5 else ""
                return _text(f"not ready: unapplied migrations: {names}{more}", status=503)
            _migrated_at = now
    except DatabaseError as error:
        connection.close_if_unusable_or_obsolete()
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return _text(f"not ready: database unavailable: {reason}", status=503)
    return _text("ok")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a small page that needs no database, or the API's error shape."""
    retry_after = settings.POLYVOX_RETRY_AFTER
    message = _("The database is unavailable. Try again in a few seconds.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message}, status=503)
    else:
        html = render_to_string("operations/unavailable.html", {"retry_after": retry_after})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an unreachable database seen outside a view (sessions, the signed-in user)
    still answers 503; anything else is the plain 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    html = render_to_string("500.html")
    return HttpResponse(html, status=500)
