"""JSON API: decisions."""

from ninja import Router

router = Router()
