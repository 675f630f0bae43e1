"""Forms of decisions: a position on a recommendation, the process's rule set, an elector.

They validate shape and say clearly what is wrong; the services (`outcomes.services.decisions`,
`outcomes.services.rules`) decide who may and re-check every rule.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyvox.analytics.decision_rules import RULES, parse_chamber
from polyvox.outcomes.models import OutcomeSettings, PositionKind, RuleSet
from polyvox.participants.models import User

REASON_MAX_LENGTH = 5000
_GROUP = re.compile(r"^[-a-zA-Z0-9_]+$")


class PositionForm(forms.Form):
    """Support, can live with, oppose, block (only where the rule set allows it), abstain."""

    position = forms.ChoiceField(
        label=_("Your position"),
        choices=PositionKind.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("Your position is public, with your name."),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, allows_block: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allows_block = allows_block
        field = self.fields["position"]
        if not allows_block:
            field.widget.choices = [
                (value, label) for value, label in PositionKind.choices if value != "block"
            ]

    def clean_position(self) -> str:
        position: str = self.cleaned_data["position"]
        if position == PositionKind.BLOCK and not self.allows_block:
            raise ValidationError(
                _(
                    "This process's rule set does not allow blocking: "
                    "choose “oppose” to record that you are against it."
                ),
                code="block_not_allowed",
            )
        return position


class DeclareForm(forms.Form):
    """Declaring takes no input: the form carries the CSRF token and the confirmation."""


def _rule_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in RuleSet.choices if value in RULES]


def chambers_text(chambers: dict[str, str]) -> str:
    """The saved thresholds as the textarea shows them: one "group = threshold" a line."""
    return "\n".join(f"{group} = {rule}" for group, rule in sorted(chambers.items()))


def parse_chambers_text(text: str) -> dict[str, str]:
    """Lines "group = threshold" (blank lines and lines starting with # ignored) → a dict;
    ValidationError naming the line that is wrong."""
    chambers: dict[str, str] = {}
    errors: list[ValidationError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        group, sep, rule = (part.strip() for part in line.partition("="))
        if not sep or not group or not rule:
            errors.append(
                ValidationError(
                    _("Line %(line)s: write “group = threshold”, e.g. “government = 2/3:members”."),
                    params={"line": number},
                    code="chamber_line",
                )
            )
            continue
        if not _GROUP.match(group):
            errors.append(
                ValidationError(
                    _(
                        "Line %(line)s: “%(group)s” is not a group name: use letters, digits, "
                        "hyphens and underscores, as in “civil_society”."
                    ),
                    params={"line": number, "group": group[:40]},
                    code="chamber_group",
                )
            )
            continue
        if group in chambers:
            errors.append(
                ValidationError(
                    _("Line %(line)s: the group “%(group)s” is given twice."),
                    params={"line": number, "group": group},
                    code="chamber_duplicate",
                )
            )
            continue
        try:
            parse_chamber(rule)
        except ValueError as error:
            errors.append(
                ValidationError(
                    _("Line %(line)s: %(error)s"),
                    params={"line": number, "error": str(error)},
                    code="chamber_rule",
                )
            )
            continue
        chambers[group] = rule
    if errors:
        raise ValidationError(errors)
    return chambers


class OutcomeSettingsForm(forms.Form):
    """The rule set, the chamber thresholds (for `chambers`) and the objection window."""

    rule_set = forms.ChoiceField(label=_("Rule set"), choices=_rule_choices)
    chambers = forms.CharField(
        label=_("Chamber thresholds"),
        help_text=_(
            "For the chambers rule set: one line per stakeholder group, “group = threshold”. "
            "A threshold is a fraction of members or of votes cast: “2/3:members” (at least two "
            "thirds of its members), “>1/2:votes” (more than half of the votes cast). A group "
            "not listed decides by more than half of its votes cast."
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    objection_days = forms.IntegerField(
        label=_("Days to object to a proposed designation"),
        min_value=1,
        max_value=90,
        help_text=_("From 1 to 90 days."),
    )

    def clean_chambers(self) -> dict[str, str]:
        return parse_chambers_text(self.cleaned_data.get("chambers") or "")


def settings_initial(settings: OutcomeSettings) -> dict[str, Any]:
    return {
        "rule_set": settings.rule_set,
        "chambers": chambers_text(dict(settings.chambers or {})),
        "objection_days": settings.objection_days,
    }


class ElectorForm(forms.Form):
    """A registered participant, their public label and their group."""

    user = forms.CharField(
        label=_("Username or e-mail address"),
        help_text=_("Of a registered participant. It is not published."),
        max_length=254,
    )
    voter = forms.CharField(
        label=_("Voter (public label)"),
        help_text=_("Published with every position: a name, a seat, or a state."),
        max_length=120,
    )
    group = forms.SlugField(
        label=_("Group"),
        help_text=_(
            "A stakeholder group or chamber (e.g. “government”), “permanent” or “elected” "
            "(Security Council), “contracted” or “non-contracted” (GNSO houses)."
        ),
        max_length=40,
        error_messages={
            "invalid": _("Use letters, digits, hyphens and underscores only, e.g. “civil_society”.")
        },
    )

    def clean_user(self) -> User:
        value = self.cleaned_data["user"].strip()
        matches = list(
            User.objects.filter(Q(username=value) | Q(email__iexact=value), is_active=True)[:2]
        )
        if len(matches) != 1:
            raise ValidationError(
                _("No registered participant has this username or e-mail address.")
                if not matches
                else _("More than one participant has this e-mail address: give the username."),
                code="unknown_participant",
            )
        return matches[0]


class RemoveElectorForm(forms.Form):
    """Removing takes no input: the form carries the CSRF token."""
