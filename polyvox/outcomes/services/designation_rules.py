"""What the designation services share: who may designate, the checks on what people type, and
the record's copies of designations and objections (public data only)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, require
from polyvox.core.text import normalize_whitespace, refuse_nul
from polyvox.outcomes.models import (
    Designation,
    Level,
    MinorityView,
    Objection,
)
from polyvox.outcomes.permissions import (
    can_designate,
    process_is_open,
)
from polyvox.outcomes.selectors.recommendations import (
    designation_data,
    organisation_data,
)
from polyvox.processes.models import Process

MAX_RATIONALE_CHARS = 10_000
MAX_REASON_CHARS = 5_000


def refuse_designator(actor: Actor | None, process: Process) -> None:
    require(
        can_designate(actor, process),
        _("This process is closed.")
        if not process_is_open(process)
        else _("Only the chair of the process designates the level of consensus."),
    )


def clean_level(level: str) -> str:
    if level not in Level.values:
        raise ValidationError(
            {
                "level": _("Choose one of: %(levels)s.")
                % {"levels": ", ".join(str(label) for label in Level.labels)}
            }
        )
    return level


def clean_rationale(rationale: str, *, required: bool, revised: bool = False) -> str:
    text = normalize_whitespace(rationale or "")
    refuse_nul(text, "rationale")
    if required and not text:
        raise ValidationError(
            {
                "rationale": _("Explain why the level is revised from the one proposed.")
                if revised
                else _("Explain the designation: give a rationale.")
            }
        )
    if len(text) > MAX_RATIONALE_CHARS:
        raise ValidationError(
            {
                "rationale": _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": MAX_RATIONALE_CHARS, "count": len(text)}
            }
        )
    return text


def clean_reason(reason: str) -> str:
    text = normalize_whitespace(reason or "")
    refuse_nul(text, "reason")
    if not text:
        raise ValidationError({"reason": _("Give the reasons for your objection.")})
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError(
            {
                "reason": _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": MAX_REASON_CHARS, "count": len(text)}
            }
        )
    return text


def designation_payload(designation: Designation) -> dict[str, Any]:
    """The record's copy: the level as its code only (a label would be in the chair's language,
    and the record reads the same in every language)."""
    recommendation = designation.recommendation
    data = designation_data(designation)
    del data["level_label"]
    return {
        "designation_id": designation.pk,
        "recommendation": recommendation.number,
        "title": recommendation.title,
        **data,
    }


def objection_payload(objection: Objection) -> dict[str, Any]:
    designation = objection.designation
    return {
        "objection_id": objection.pk,
        "designation_id": designation.pk,
        "recommendation": designation.recommendation.number,
        "organisation": organisation_data(objection.organisation),
        "reason": objection.reason,
    }


def minority_view_payload(view: MinorityView) -> dict[str, Any]:
    """The record's copy of a minority view: its objection, organisation and text, no author's
    name (the record is never rewritten; the public page shows the byline as it stands)."""
    return {
        "objection_id": view.objection_id,
        "organisation": organisation_data(view.organisation),
        "text": view.text,
    }


def level_label(level: str) -> str:
    return str(Level(level).label)
