"""Participation targets: the secretariat sets and removes the shares of inputs it aims for.

A target is part of the process's design (São Paulo Multistakeholder Guidelines, step 2: identify
and map stakeholders), so setting or removing one is a public event on the process's record. The
indicators page compares each target with the inputs received (`selectors.process_indicators`)."""

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.indicators.permissions import can_set_targets
from polyvox.indicators.vocabulary import (
    GLOBAL_SOUTH,
    MAX_GENDER_CHARS,
    normalise_gender,
    value_choices,
)
from polyvox.participants.models import User
from polyvox.processes.models import ParticipationTarget, Process, TargetDimension
from polyvox.record.services import append_entry

ONE = Decimal(1)
SHARE_PLACES = Decimal("0.001")


def clean_dimension(dimension: str) -> str:
    if dimension not in TargetDimension.values:
        raise ValidationError(
            {
                "dimension": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(TargetDimension.values)}
            }
        )
    return dimension


def clean_value(dimension: str, value: str) -> str:
    """The value in the dimension's vocabulary (`vocabulary.value_choices`)."""
    if dimension == TargetDimension.GLOBAL_SOUTH:
        return GLOBAL_SOUTH
    if dimension == TargetDimension.GENDER:
        cleaned = normalise_gender(value or "")
        if not cleaned:
            raise ValidationError({"value": _("Name the gender this target counts.")})
        if any(unicodedata.category(char).startswith("C") for char in cleaned):
            raise ValidationError({"value": _("Use letters, not control characters.")})
        if len(cleaned) > MAX_GENDER_CHARS:
            raise ValidationError(
                {"value": _("At most %(limit)d characters.") % {"limit": MAX_GENDER_CHARS}}
            )
        return cleaned
    allowed = [known for known, _label in value_choices(dimension)]
    if value not in allowed:
        raise ValidationError(
            {"value": _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}}
        )
    return value


def clean_min_share(min_share: Any) -> Decimal:
    """A share of inputs above 0 and at most 1, to three decimal places (0.125 = 12.5 %)."""
    try:
        share = Decimal(str(min_share)).quantize(SHARE_PLACES)
    except (InvalidOperation, ValueError):
        raise ValidationError({"min_share": _("Give a share between 0 and 1.")}) from None
    if not share.is_finite() or share <= 0 or share > ONE:
        raise ValidationError(
            {"min_share": _("A target is a share of inputs above 0 % and at most 100 %.")}
        )
    return share


def target_payload(target: ParticipationTarget) -> dict[str, Any]:
    """What the record says of a target: public, and the share as text (exact decimals)."""
    return {
        "target": target.pk,
        "dimension": target.dimension,
        "value": target.value,
        "min_share": str(target.min_share),
    }


def _refuse_once_closed(process: Process) -> None:
    """The final report was measured against the targets the process closed with."""
    if process.closed_at is not None:
        raise ValidationError(
            _("This process has closed: its targets are part of its final report and stay.")
        )


def set_participation_target(
    *, actor: User, process: Process, dimension: str, value: str, min_share: Any
) -> ParticipationTarget:
    """Add a target, or change the share of the one already set for this dimension and value.

    The targets of one dimension cannot add up to more than 100 % of inputs: they could not all
    be met."""
    require(
        can_set_targets(actor, process),
        _("Only the secretariat of this process may set participation targets."),
    )
    _refuse_once_closed(process)
    dimension = clean_dimension(dimension)
    value = clean_value(dimension, value)
    share = clean_min_share(min_share)
    with transaction.atomic():
        Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
        others = (
            ParticipationTarget.objects.filter(process=process, dimension=dimension)
            .exclude(value=value)
            .aggregate(total=Sum("min_share"))["total"]
        ) or Decimal(0)
        if dimension != TargetDimension.GLOBAL_SOUTH and others + share > ONE:
            raise ValidationError(
                {
                    "min_share": _(
                        "The targets for this dimension would add up to %(total)s %% of inputs: "
                        "they cannot all be met. Lower this one or another."
                    )
                    % {"total": f"{(others + share) * 100:.1f}"}
                }
            )
        target, created = ParticipationTarget.objects.get_or_create(
            process=process,
            dimension=dimension,
            value=value,
            defaults={"min_share": share, "created_by": actor},
        )
        if not created:
            if target.min_share == share:
                return target
            target.min_share = share
            target.save(update_fields=["min_share"])
        append_entry(process=process, kind="target.set", payload=target_payload(target))
    return target


def remove_participation_target(*, actor: User, target: ParticipationTarget) -> None:
    """Remove a target; the record keeps when it was set and when it was removed."""
    process = target.process
    require(
        can_set_targets(actor, process),
        _("Only the secretariat of this process may remove participation targets."),
    )
    _refuse_once_closed(process)
    with transaction.atomic():
        payload = target_payload(target)
        target.delete()
        append_entry(process=process, kind="target.removed", payload=payload)
