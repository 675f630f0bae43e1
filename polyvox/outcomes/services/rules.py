"""The rule set of a process and its electorate: set by the secretariat, fixed once a decision
has been declared (a decision must stay reproducible from the rules it was taken under)."""

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from polyvox.analytics.decision_rules import RULES, parse_chamber
from polyvox.core.permissions import require
from polyvox.core.text import refuse_nul
from polyvox.outcomes.models import Decision, Elector, OutcomeSettings, RuleSet
from polyvox.outcomes.permissions import can_manage_recommendations
from polyvox.outcomes.selectors.decisions import outcome_settings
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.permissions import can_take_part
from polyvox.record.services import append_entry

MIN_OBJECTION_DAYS = 1
MAX_OBJECTION_DAYS = 90
MAX_CHAMBERS = 50
MAX_GROUP_CHARS = Elector._meta.get_field("group").max_length or 40
MAX_VOTER_CHARS = Elector._meta.get_field("voter").max_length or 120
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def decisions_declared(process: Process) -> bool:
    return Decision.objects.filter(recommendation__process=process).exists()


def _refuse_manager(actor: User | None, process: Process) -> None:
    require(
        can_manage_recommendations(actor, process),
        _("Only the secretariat of an open process sets its rules and electorate."),
    )


def clean_group(value: str, field: str = "group") -> str:
    """A group name as stored: lower-case letters, digits, hyphens and underscores."""
    group = (value or "").strip().lower()
    refuse_nul(group, field)
    if not group:
        raise ValidationError({field: _("Name the group.")})
    if len(group) > MAX_GROUP_CHARS or not _SLUG.match(group):
        raise ValidationError(
            {
                field: _(
                    "“%(group)s” is not a group name: use at most %(limit)d lower-case letters, "
                    "digits, hyphens or underscores (e.g. civil_society)."
                )
                % {"group": group[:60], "limit": MAX_GROUP_CHARS}
            }
        )
    return group


def clean_chambers(chambers: Mapping[str, str]) -> dict[str, str]:
    """Each chamber's threshold, checked with `decision_rules.parse_chamber`; errors name the group."""
    if len(chambers) > MAX_CHAMBERS:
        raise ValidationError(
            {"chambers": _("At most %(limit)d chambers.") % {"limit": MAX_CHAMBERS}}
        )
    cleaned: dict[str, str] = {}
    for raw_group, raw_rule in chambers.items():
        group = clean_group(str(raw_group), "chambers")
        text = str(raw_rule or "").strip()
        refuse_nul(text, "chambers")
        try:
            parsed = parse_chamber(text)
        except ValueError as error:
            raise ValidationError(
                {
                    "chambers": _("Chamber “%(group)s”: %(error)s")
                    % {"group": group, "error": str(error)}
                }
            ) from None
        if group in cleaned:
            raise ValidationError(
                {"chambers": _("Chamber “%(group)s” is listed twice.") % {"group": group}}
            )
        cleaned[group] = parsed.spec()
    return cleaned


def _described(chambers: Mapping[str, str]) -> dict[str, str]:
    return {group: parse_chamber(text).describe() for group, text in chambers.items()}


def rules_payload(settings: OutcomeSettings) -> dict[str, Any]:
    """What the record says about the rules: all public."""
    rule = RULES.get(settings.rule_set)
    return {
        "rule_set": settings.rule_set,
        "rule_title": rule.title if rule is not None else settings.rule_set,
        "chambers": dict(settings.chambers or {}),
        "chambers_described": _described(settings.chambers or {}),
        "objection_days": settings.objection_days,
    }


@transaction.atomic
def update_outcome_settings(
    *,
    actor: User,
    process: Process,
    rule_set: str,
    chambers: Mapping[str, str],
    objection_days: int,
) -> OutcomeSettings:
    """Set the rule set, the chamber thresholds and the objection window.

    Once a decision has been declared the rule set and chambers are fixed (the decision must
    stay reproducible); the objection window, which only concerns designations, may still
    change."""
    _refuse_manager(actor, process)
    errors: dict[str, str] = {}
    if rule_set not in RuleSet.values:
        errors["rule_set"] = _("Choose one of the rule sets: %(known)s.") % {
            "known": ", ".join(RuleSet.values)
        }
    if (
        isinstance(objection_days, bool)
        or not isinstance(objection_days, int)
        or not MIN_OBJECTION_DAYS <= objection_days <= MAX_OBJECTION_DAYS
    ):
        errors["objection_days"] = _(
            "Give participants between %(min)d and %(max)d days to object."
        ) % {"min": MIN_OBJECTION_DAYS, "max": MAX_OBJECTION_DAYS}
    if errors:
        raise ValidationError(errors)
    cleaned = clean_chambers(chambers)
    current = outcome_settings(process)
    if current.pk is not None:
        current = OutcomeSettings.objects.select_for_update().get(pk=current.pk)
    changes_rules = (current.rule_set, dict(current.chambers or {})) != (rule_set, cleaned)
    if changes_rules and decisions_declared(process):
        raise ValidationError(
            {
                "rule_set": _(
                    "A decision has been declared under these rules: the rule set and the "
                    "chambers can no longer change."
                )
            }
        )
    unchanged = not changes_rules and current.objection_days == objection_days
    if unchanged and current.pk is not None:
        return current
    current.rule_set = rule_set
    current.chambers = cleaned
    current.objection_days = objection_days
    current.save()
    append_entry(process=process, kind="outcome.rules_changed", payload=rules_payload(current))
    return current


def _refuse_once_decided(process: Process) -> None:
    if decisions_declared(process):
        raise ValidationError(
            {
                "electors": _(
                    "A decision has been declared: the electorate is fixed and can no longer "
                    "change."
                )
            }
        )


def clean_voter(value: str) -> str:
    voter = " ".join((value or "").split())
    refuse_nul(voter, "voter")
    if not voter:
        raise ValidationError(
            {
                "voter": _(
                    "Give the elector a public label (their name, or the state they vote for)."
                )
            }
        )
    if len(voter) > MAX_VOTER_CHARS:
        raise ValidationError(
            {"voter": _("Keep the label under %(limit)d characters.") % {"limit": MAX_VOTER_CHARS}}
        )
    return voter


@transaction.atomic
def add_elector(*, actor: User, process: Process, user: User, voter: str, group: str) -> Elector:
    """Give `user` a seat in the electorate, under a public label and in a group."""
    _refuse_manager(actor, process)
    _refuse_once_decided(process)
    label = clean_voter(voter)
    seat_group = clean_group(group)
    if not can_take_part(user, process):
        raise ValidationError(
            {"user": _("%(user)s cannot take part in this process.") % {"user": user.username}}
        )
    if Elector.objects.filter(process=process, user=user).exists():
        raise ValidationError({"user": _("%(user)s already has a seat.") % {"user": user.username}})
    if Elector.objects.filter(process=process, voter=label).exists():
        raise ValidationError(
            {"voter": _("Another elector already has the label “%(voter)s”.") % {"voter": label}}
        )
    elector = Elector(process=process, user=user, voter=label, group=seat_group)
    try:
        with transaction.atomic():
            elector.save()
    except IntegrityError:
        raise ValidationError(
            {"voter": _("This person or this label already has a seat.")}
        ) from None
    append_entry(
        process=process,
        kind="outcome.elector_added",
        payload={"elector_id": elector.pk, "voter": elector.voter, "group": elector.group},
    )
    return elector


@transaction.atomic
def remove_elector(*, actor: User, elector: Elector) -> None:
    """Take a seat out of the electorate (before any decision is declared)."""
    process = elector.process
    _refuse_manager(actor, process)
    _refuse_once_decided(process)
    payload = {"elector_id": elector.pk, "voter": elector.voter, "group": elector.group}
    Elector.objects.filter(pk=elector.pk).delete()
    append_entry(process=process, kind="outcome.elector_removed", payload=payload)
