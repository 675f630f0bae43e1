"""Rate limits: sign-up, log-in, inputs, votes, flags and the API, per account and per address.

Where the counts live: a table (`operations.RateLimitCounter`), not Django's cache. Polyvox runs
several gunicorn workers on SQLite or PostgreSQL and configures no shared cache (the default
local-memory cache is per process, so each worker would count a third of the requests); the
database is the one store every worker already shares. One statement counts a request:
``INSERT … ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count`` (SQLite ≥ 3.35 and
PostgreSQL), atomic without a lock held past the statement, in autocommit (middleware runs outside
the view's transaction). Windows are fixed (the key holds the window's number); a few of the
requests that open a new window delete the expired rows (indexed `expires_at`), so the table stays
as small as the traffic of one window. A database that fails here lets the request through: a
rate limit must never turn an outage of its store into an outage of the site.

Who is counted: the signed-in account (session or API token, so this runs after
ApiTokenMiddleware) and the network address (REMOTE_ADDR, or the last address of the header named
by `POLYVOX_CLIENT_ADDRESS_HEADER` when a trusted reverse proxy sets it; IPv6 by its /64). Loopback
addresses are not counted per address (`POLYVOX_RATE_LIMIT_EXEMPT_NETWORKS`): a peer on the host
itself is the reverse proxy or an operator's tool, and counting it would throttle every visitor
together. The key is an HMAC of rule, window and who, so the table holds no address.

What is counted: form views by their URL name (`resolver_match.view_name`), unsafe methods only;
every request under /api/, reads (GET, HEAD, OPTIONS) and writes separately. Past a limit: 429 with
Retry-After in seconds; the API's error shape under /api/, a short page elsewhere. The limits are
`DEFAULT_RATE_LIMITS`, overridden per rule by the `POLYVOX_RATE_LIMITS` setting (docs/abuse.md).
"""

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from polyvox.operations.models import RateLimitCounter

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class RuleSpec(TypedDict, total=False):
    """One rule of POLYVOX_RATE_LIMITS: what it matches and its (requests, seconds) limits."""

    views: list[str]  # URL names ("participants:register"); unsafe methods only
    api: Literal["read", "write"]  # every request under /api/ of that kind
    account: tuple[int, int] | None  # (requests, seconds) per signed-in account
    address: tuple[int, int] | None  # (requests, seconds) per network address


# Generous: no person and no test reaches them; a script or a bot does. The deadline-rush
# benchmark (hundreds of signed-in clients on one host) is covered by the loopback exemption and
# by per-account API writes of five a second.
DEFAULT_RATE_LIMITS: dict[str, RuleSpec] = {
    "sign-up": {"views": ["participants:register"], "address": (100, 3600)},
    # django-axes locks one account after five wrong passwords from one address; this limits
    # trying many accounts from one address.
    "log-in": {"views": ["participants:login"], "address": (300, 900)},
    "password-reset": {
        "views": ["participants:password_reset"],
        "account": (10, 3600),
        "address": (100, 3600),
    },
    "inputs": {
        "views": [
            "contributions:create",
            "contributions:comment",
            "contributions:reply",
            "campaigns:submit",
        ],
        "account": (120, 600),
        "address": (1000, 600),
    },
    "votes": {"views": ["statements:vote"], "account": (600, 600), "address": (5000, 600)},
    "flags": {
        "views": ["moderation:flag", "moderation:report_identity"],
        "account": (30, 3600),
        "address": (300, 3600),
    },
    # Each confirmation e-mail goes to an address someone typed: limit how many one address sends.
    "follow-by-email": {"views": ["notifications:follow_by_email"], "address": (30, 3600)},
    "api-read": {"api": "read", "account": (1200, 60), "address": (3000, 60)},
    "api-write": {"api": "write", "account": (300, 60), "address": (1200, 60)},
}
DEFAULT_EXEMPT_NETWORKS = ("127.0.0.0/8", "::1/128")
# Counting one request is one statement (identifiers quoted as both SQLite and PostgreSQL read them).
_COUNT_SQL = (
    'INSERT INTO "operations_ratelimitcounter" ("key", "count", "expires_at") VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = "operations_ratelimitcounter"."count" + 1 '
    'RETURNING "count"'
)
# One new window in PRUNE_ONE_IN deletes the expired rows (chosen by the key's hash, no randomness).
PRUNE_ONE_IN = 16
_clock = time.time  # the tests set the clock here


@dataclass(frozen=True)
class Limit:
    rule: str
    scope: Literal["account", "address"]
    requests: int
    seconds: int


def rules() -> dict[str, RuleSpec]:
    """The defaults with the setting's rules laid over them (a rule's keys replace the default's)."""
    merged: dict[str, RuleSpec] = {
        name: RuleSpec(**spec) for name, spec in DEFAULT_RATE_LIMITS.items()
    }
    for name, spec in getattr(settings, "POLYVOX_RATE_LIMITS", {}).items():
        merged[name] = RuleSpec(**{**merged.get(name, {}), **spec})
    return merged


def limits_for(request: HttpRequest) -> list[Limit]:
    """The limits that count this request (empty for most requests)."""
    path = request.path_info
    method = (request.method or "GET").upper()
    if path.startswith("/api/"):
        kind = "read" if method in SAFE_METHODS else "write"
        matched = [(n, s) for n, s in rules().items() if s.get("api") == kind]
    elif method in SAFE_METHODS:
        return []
    else:
        match = request.resolver_match
        if match is None:
            return []
        matched = [(n, s) for n, s in rules().items() if match.view_name in s.get("views", [])]
    found = []
    for name, spec in matched:
        per: tuple[tuple[Literal["account", "address"], tuple[int, int] | None], ...] = (
            ("account", spec.get("account")),
            ("address", spec.get("address")),
        )
        for scope, value in per:
            if value:
                found.append(Limit(name, scope, int(value[0]), int(value[1])))
    return found


def client_address(request: HttpRequest) -> str:
    """The client's address: the trusted proxy's header when configured, else REMOTE_ADDR."""
    header = getattr(settings, "POLYVOX_CLIENT_ADDRESS_HEADER", "")
    raw = ""
    if header:
        value = request.META.get("HTTP_" + header.strip().upper().replace("-", "_"), "")
        # The proxy appends the peer it saw: the last address is the one it vouches for.
        raw = str(value).split(",")[-1].strip()
    if not raw:
        raw = str(request.META.get("REMOTE_ADDR", ""))
    return raw


def _address_key(raw: str) -> str | None:
    """The address as counted (IPv6 by its /64), or None when exempt or unreadable."""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    exempt = getattr(settings, "POLYVOX_RATE_LIMIT_EXEMPT_NETWORKS", DEFAULT_EXEMPT_NETWORKS)
    if any(address in ipaddress.ip_network(net) for net in exempt):
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _who(request: HttpRequest, scope: str) -> str | None:
    if scope == "account":
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return f"user:{user.pk}"
    key = _address_key(client_address(request))
    return None if key is None else f"addr:{key}"


def _counter_key(limit: Limit, who: str, window: int) -> str:
    message = f"{limit.rule}|{limit.scope}|{limit.seconds}|{window}|{who}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def count_request(key: str, expires_at: datetime) -> int:
    """Count one request against a window's counter; the count after it (one statement)."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [key, connection.ops.adapt_datetimefield_value(expires_at)])
        row = cursor.fetchone()
    count = int(row[0])
    if count == 1 and int(key[:4], 16) % PRUNE_ONE_IN == 0:
        prune_expired()
    return count


def prune_expired(now: datetime | None = None) -> int:
    """Delete the counters of windows that have ended; how many went."""
    deleted, _by_model = RateLimitCounter.objects.filter(
        expires_at__lte=now or datetime.now(UTC)
    ).delete()
    return deleted


def check(request: HttpRequest, now: float | None = None) -> int | None:
    """Count the request against its limits: None when it may go on, else the seconds to wait."""
    if not getattr(settings, "POLYVOX_RATE_LIMITS_ENABLED", True):
        return None
    limits = limits_for(request)
    if not limits:
        return None
    now = _clock() if now is None else now
    wait: int | None = None
    for limit in limits:
        who = _who(request, limit.scope)
        if who is None:
            continue
        window = int(now // limit.seconds)
        ends = (window + 1) * limit.seconds
        count = count_request(_counter_key(limit, who, window), datetime.fromtimestamp(ends, UTC))
        if count > limit.requests:
            seconds = max(1, math.ceil(ends - now))
            wait = seconds if wait is None else max(wait, seconds)
    return wait


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with Retry-After: the API's error shape under /api/, a short page elsewhere."""
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        message = ngettext(
            "Too many requests: try again in %(seconds)d second.",
            "Too many requests: try again in %(seconds)d seconds.",
            retry_after,
        ) % {"seconds": retry_after}
        response = JsonResponse({"error": message}, status=429)
    else:
        minutes = max(1, math.ceil(retry_after / 60))
        html = render_to_string(
            "operations/too_many_requests.html",
            {"message": retry_message(minutes), "retry_after": retry_after},
            request=request,
        )
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """After the session, the signed-in user and the API token; before the view (process_view,
    where the URL name is known)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        try:
            wait = check(request)
        except DatabaseError:
            logger.warning("rate limit not checked: the database failed", exc_info=True)
            return None
        if wait is None:
            return None
        logger.info("rate limited: %s %s", request.method, request.path_info)
        return too_many_requests(request, wait)


def retry_message(minutes: int) -> str:
    return ngettext(
        "Too many requests — try again in %(minutes)d minute.",
        "Too many requests — try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
