"""JSON API for organisations (public data only)."""

from ninja import Router

router = Router()
