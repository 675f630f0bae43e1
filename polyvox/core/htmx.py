"""One view serves the full page or, for htmx requests, a named partial of the same template."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    *,
    partial: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    # A boosted link or form (hx-boost on <body>) wants the whole page; only targeted requests
    # get the fragment.
    wants_fragment = bool(htmx) and not getattr(htmx, "boosted", False)
    name = f"{template}#{partial}" if wants_fragment else template
    return render(request, name, context, status=status)
