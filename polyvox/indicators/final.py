"""The final indicators: frozen when the process closes, read by the report and the API after.

A report "at close" must not drift as answers and edits arrive later, and a reader must be able
to check it: closing stores the public figures as they stood, and appends their SHA-256 (over
RFC 8785 canonical JSON, as record entries are hashed) to the record as `indicators.final`."""

import hashlib
from datetime import datetime
from typing import Any

import rfc8785
from django.urls import reverse

from polyvox.indicators.models import FinalIndicators
from polyvox.indicators.presenting import public_indicators
from polyvox.indicators.selectors import process_indicators
from polyvox.processes.models import Process, TargetDimension
from polyvox.record.services import append_entry


def gender_targets_of(process: Process) -> set[str]:
    return set(
        process.participation_targets.filter(dimension=TargetDimension.GENDER).values_list(
            "value", flat=True
        )
    )


def public_sha256(public: dict[str, Any]) -> str:
    return hashlib.sha256(rfc8785.dumps(public)).hexdigest()


def freeze_final_indicators(process: Process, closed_at: datetime) -> FinalIndicators:
    """A closing step (`contributions.closing_steps`): store the figures as they stand at
    `closed_at` and put their hash on the record."""
    figures = process_indicators(process, now=closed_at)
    public = public_indicators(
        figures, gender_targets=gender_targets_of(process), with_alerts=False
    )
    final = FinalIndicators.objects.create(
        process=process,
        public=public,
        alerts=figures.get("alerts") or [],
        sha256=public_sha256(public),
        created_at=closed_at,
    )
    append_entry(
        process=process,
        kind="indicators.final",
        payload={
            "sha256": final.sha256,
            "report": reverse("indicators:report", kwargs={"slug": process.slug}),
            "api": f"/api/v1/processes/{process.slug}/indicators",
        },
    )
    return final


def indicators_for(process: Process, *, with_alerts: bool) -> dict[str, Any]:
    """What the page, the report and the API show: the final figures once the process has closed
    with them, the live ones before."""
    final = FinalIndicators.objects.filter(process=process).first()
    if final is None:
        return public_indicators(
            process_indicators(process),
            gender_targets=gender_targets_of(process),
            with_alerts=with_alerts,
        )
    return {**final.public, "alerts": list(final.alerts) if with_alerts else []}
