"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyvox.config.settings")
application = get_wsgi_application()
# Import every view now (the URL map, the API, scipy, WeasyPrint): `polyvox serve` preloads this
# module, so every forked worker, and every replacement of a killed one, starts warm instead of
# spending seconds importing on its first request while clients wait.
get_resolver().url_patterns  # noqa: B018
