"""The text of a static file, for what must carry it inline (a PDF's print stylesheet)."""

from django.contrib.staticfiles import finders


def static_text(name: str) -> str:
    """The content of static file `name` (e.g. "css/print.css"), or "" when there is none: the
    PDF renderers inline their stylesheet so that WeasyPrint fetches nothing."""
    path = finders.find(name)
    if not path or isinstance(path, list):
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()
