"""`process_indicators`: a process's participation, responsiveness, interaction, concentration and
circulation figures, JSON-ready (the indicators page, the API and the quality report read it).

First version: the shape R builds on; the figures are filled in by later commits.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from polyvox.processes.models import Process

SUPPRESS_BELOW = 5


def process_indicators(process: Process, *, now: datetime | None = None) -> dict[str, Any]:
    """The figures of `process` at `now` (default: the current time)."""
    now = now or timezone.now()
    return {
        "process": process.slug,
        "computed_at": now.isoformat(),
        "suppress_below": SUPPRESS_BELOW,
        "participation": {
            "inputs": 0,
            "participants": 0,
            "by_group": [],
            "by_region": [],
            "by_gender": [],
            "cross": [],
            "representation_score": None,
            "global_south_share": None,
        },
        "responsiveness": {
            "inputs": 0,
            "answered": 0,
            "answered_share": None,
            "answered_with_reason_share": None,
            "median_days_to_answer": None,
            "p90_days_to_answer": None,
        },
        "interaction": {
            "replies": 0,
            "cross_group_replies": 0,
            "cross_group_share": None,
            "answers_given": 0,
        },
        "concentration": {
            "hhi_by_organisation": None,
            "organisations": 0,
            "campaign_inputs": 0,
            "campaign_share": None,
        },
        "circulation": [],
        "alerts": [],
    }
