"""JSON API for outcomes: recommendations, designations (with minority views) and decisions
(with the what-if table). Public data only."""

from ninja import Router

from polyvox.outcomes.api import decisions, designations

router = Router()
router.add_router("", designations.router)
router.add_router("", decisions.router)
