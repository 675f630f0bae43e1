"""The secretariat's form for a participation target: what it counts, and the share aimed for.

One select names what is counted (a stakeholder group, a region, the Global South, or a gender
named in the text box beside it), so the form works without JavaScript."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polyvox.indicators.vocabulary import value_choices
from polyvox.processes.models import TargetDimension

GENDER_CHOICE = f"{TargetDimension.GENDER}:"


def _what_choices() -> list[tuple[Any, Any]]:
    groups: list[tuple[Any, Any]] = [("", _("Choose…"))]
    for dimension, label in (
        (TargetDimension.STAKEHOLDER_GROUP, _("Stakeholder group")),
        (TargetDimension.REGION, _("Region")),
    ):
        groups.append(
            (label, [(f"{dimension}:{value}", text) for value, text in value_choices(dimension)])
        )
    groups.append(
        (
            _("Other"),
            [
                (f"{TargetDimension.GLOBAL_SOUTH}:global_south", _("Global South")),
                (GENDER_CHOICE, _("A gender (name it below)")),
            ],
        )
    )
    return groups


class TargetForm(forms.Form):
    what = forms.ChoiceField(label=_("Inputs from"), choices=())
    gender = forms.CharField(
        label=_("Gender, if the target counts one"),
        required=False,
        max_length=40,
        help_text=_("As participants describe themselves, e.g. “woman”; case does not matter."),
    )
    percent = forms.DecimalField(
        label=_("Minimum share of inputs (per cent)"),
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        decimal_places=1,
        max_digits=4,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = _what_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        what = cleaned.get("what") or ""
        dimension, _sep, value = what.partition(":")
        if what == GENDER_CHOICE:
            value = cleaned.get("gender") or ""
            if not value.strip():
                self.add_error("gender", _("Name the gender this target counts."))
        cleaned["dimension"] = dimension
        cleaned["value"] = value
        percent = cleaned.get("percent")
        if percent is not None:
            cleaned["min_share"] = percent / 100
        return cleaned
