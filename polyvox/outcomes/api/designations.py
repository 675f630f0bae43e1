"""JSON API: designations."""

from ninja import Router

router = Router()
