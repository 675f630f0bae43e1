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
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context, status=status)
