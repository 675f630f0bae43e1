"""JSON API for drafts (public data only for anonymous callers)."""

from ninja import Router

router = Router()
