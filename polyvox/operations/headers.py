"""Permissions-Policy on every answer: Polyvox uses no powerful browser feature, so it denies them all."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Every feature a page could ask the browser for, denied to the page and to any frame in it
# (W3C Permissions Policy; the list follows the features Chromium and Firefox know in 2026).
# Polyvox reads text, shows forms and downloads files: none of these is needed, and a script
# that slipped past the Content-Security-Policy still cannot reach a camera or a location.
# "interest-cohort" and "browsing-topics" opt every page out of interest-based advertising.
DENIED_FEATURES = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "battery",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "document-domain",
    "encrypted-media",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy (and, for answers no later middleware sees, X-Frame-Options)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Static files are answered by whitenoise, which sits before Django's clickjacking
        # middleware: they would go without X-Frame-Options.
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
