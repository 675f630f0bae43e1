"""JSON API for commitments: public data only."""

from ninja import Router

router = Router()
