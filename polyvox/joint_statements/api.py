"""JSON API for joint_statements (public data only)."""

from ninja import Router

router = Router()
