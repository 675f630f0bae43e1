"""JSON API for contributions (public data only for anonymous callers)."""

from ninja import Router

router = Router()
