"""`GET /api/v1/processes/{slug}/indicators`."""

from ninja import Router

from polyvox.core.api_auth import api_auth

router = Router(auth=api_auth)
