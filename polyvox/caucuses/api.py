"""JSON API for caucuses (public data only)."""

from ninja import Router

router = Router()
