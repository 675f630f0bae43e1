"""JSON API for campaigns."""

from ninja import Router

router = Router()
