"""JSON API for statements."""

from ninja import Router

router = Router()
