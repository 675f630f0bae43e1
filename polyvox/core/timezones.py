"""Deadlines are stored and enforced in UTC and shown in the viewer's time zone."""

import functools
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

COOKIE = "polyvox_tz"


@functools.cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def viewer_timezone_name(request: HttpRequest) -> str | None:
    """The participant's saved zone, else the browser's (sent by a tiny script as a cookie)."""
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    name = getattr(profile, "timezone", "") or request.COOKIES.get(COOKIE, "")
    return name if name in known_timezones() else None


class ViewerTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = viewer_timezone_name(request)
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        return self.get_response(request)


def utc_minute(moment: datetime) -> str:
    """`moment` as "YYYY-MM-DD HH:MM" in UTC: how messages and e-mails state deadlines."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
