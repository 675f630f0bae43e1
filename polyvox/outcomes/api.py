"""JSON API for outcomes: public data only."""

from ninja import Router

router = Router()
