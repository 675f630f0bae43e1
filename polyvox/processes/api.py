"""JSON API for processes (public data only for anonymous callers)."""

from ninja import Router

router = Router()
