"""Positions on recommendations, and decisions under the process's rule set.

Positions are not public events one by one (like statement votes): the record gets the
decision, which carries the tally of every group and the what-if table under every preset, as
`polyvox.analytics.decision_rules` computed them when it was declared.
"""

from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.analytics.decision_rules import RULES, decide, what_if
from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.core.text import normalize_whitespace, refuse_nul
from polyvox.notifications.services import notify
from polyvox.outcomes.models import (
    Decision,
    Position,
    PositionKind,
    PositionRevision,
    Recommendation,
)
from polyvox.outcomes.permissions import (
    can_declare_decisions,
    can_record_position,
    process_is_open,
)
from polyvox.outcomes.selectors.decisions import (
    chamber_rules,
    elector_of,
    has_electors,
    outcome_settings,
    rule_title,
    tallies,
)
from polyvox.participants.models import User
from polyvox.participants.selectors import profile_to_take_part
from polyvox.processes.models import ParticipationPolicy
from polyvox.processes.permissions import action_window, can_take_part
from polyvox.processes.phase_types import Action
from polyvox.record.services import append_entry

MAX_REASON_CHARS = 5_000
NOTIFY_BATCH = 500  # recipients per `notify` call: memory stays bounded however many took part


def _decision_taken(recommendation: Recommendation) -> bool:
    return Decision.objects.filter(recommendation_id=recommendation.pk).exists()


def position_refusal(actor: Actor | None, recommendation: Recommendation, now: datetime) -> str:
    """Why `actor` may not record a position now, in words they can act on."""
    process = recommendation.process
    if not process_is_open(process):
        return _("This process is closed.")
    if _decision_taken(recommendation):
        return _("The decision on this recommendation has been declared: positions are closed.")
    if not is_signed_in(actor):
        return _("Log in to record a position.")
    if not can_take_part(actor, process):
        if process.participation_policy == ParticipationPolicy.INVITED:
            return _("This process is open to invited participants only.")
        return _("You cannot take part in this process.")
    window = action_window(process, Action.POSITION, now)
    return window.reason or _("Positions are not open now.")


def refusal_to_record(
    actor: Actor | None, recommendation: Recommendation, now: datetime
) -> str | None:
    """Why `actor` may not record a position on `recommendation` now, or None when they may:
    the phase, the process and their part in it, then the electorate where there is one."""
    if not can_record_position(actor, recommendation, now):
        return position_refusal(actor, recommendation, now)
    process = recommendation.process
    if has_electors(process) and elector_of(actor, process) is None:
        return _(
            "Only the electors of this process record positions on its recommendations; "
            "you hold no seat."
        )
    return None


def allowed_positions(recommendation: Recommendation) -> list[str]:
    """The positions the process's rule set accepts (block only where it allows blocking)."""
    rule = RULES.get(outcome_settings(recommendation.process).rule_set)
    allows_block = rule is not None and rule.allows_block
    return [kind for kind in PositionKind.values if kind != PositionKind.BLOCK or allows_block]


def _clean_position(position: str, recommendation: Recommendation) -> str:
    value = (position or "").strip()
    if value == PositionKind.BLOCK and value not in allowed_positions(recommendation):
        settings = outcome_settings(recommendation.process)
        raise ValidationError(
            {
                "position": _(
                    "The rule set of this process (%(rule)s) does not allow blocking: choose "
                    "“oppose” to vote against."
                )
                % {"rule": rule_title(settings.rule_set)}
            }
        )
    if value not in PositionKind.values:
        raise ValidationError(
            {
                "position": _("Choose one of: %(positions)s.")
                % {"positions": ", ".join(allowed_positions(recommendation))}
            }
        )
    return value


def _clean_reason(reason: str) -> str:
    text = normalize_whitespace(reason or "")
    refuse_nul(text, "reason")
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(limit)d characters (this has %(count)d).")
                % {"limit": MAX_REASON_CHARS, "count": len(text)}
            }
        )
    return text


@transaction.atomic
def record_position(
    *,
    actor: User,
    recommendation: Recommendation,
    position: str,
    reason: str = "",
    now: datetime | None = None,
) -> Position:
    """Record (or change) `actor`'s position while a decision phase is open. Every position
    recorded is kept as a `PositionRevision`; the `Position` row holds the current one."""
    now = now or timezone.now()
    # Lock the recommendation: a decision declared meanwhile waits for this, or this for it.
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    refusal = refusal_to_record(actor, locked, now)
    require(refusal is None, refusal or "")
    value = _clean_position(position, locked)
    text = _clean_reason(reason)
    profile_to_take_part(actor)
    current = (
        Position.objects.select_for_update()
        .filter(recommendation=locked, author_id=actor.pk)
        .first()
    )
    if current is not None and (current.position, current.reason) == (value, text):
        return current
    if current is None:
        current = Position(recommendation=locked, author=actor)
    current.position = value
    current.reason = text
    current.updated_at = now
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        # Recorded concurrently by the same person (a double submit): the later one wins.
        current = Position.objects.select_for_update().get(recommendation=locked, author=actor)
        current.position, current.reason, current.updated_at = value, text, now
        current.save()
    PositionRevision.objects.create(
        recommendation=locked, author=actor, position=value, reason=text, recorded_at=now
    )
    return current


def _recipients(recommendation: Recommendation, actor: User) -> Iterator[list[User]]:
    """Everyone who recorded a position, a batch at a time (never all in memory at once)."""
    people = (
        User.objects.filter(
            pk__in=Position.objects.filter(recommendation=recommendation).values("author_id"),
            is_active=True,
        )
        .exclude(pk=actor.pk)
        .order_by("pk")
        .only("pk", "email", "is_active")
        .iterator(chunk_size=NOTIFY_BATCH)
    )
    while batch := list(islice(people, NOTIFY_BATCH)):
        yield batch


def decision_payload(decision: Decision) -> dict[str, Any]:
    """What the record says about a decision: all public (counts, never names)."""
    recommendation = decision.recommendation
    return {
        "recommendation": recommendation.number,
        "title": recommendation.title,
        "rule_set": decision.rule_set,
        "rule_title": rule_title(decision.rule_set),
        "passed": decision.passed,
        "reason": decision.reason,
        "groups": decision.groups,
        "what_if": decision.what_if,
    }


@transaction.atomic
def declare_decision(
    *, actor: User, recommendation: Recommendation, now: datetime | None = None
) -> Decision:
    """Decide `recommendation` under the process's rule set, once, and keep what every preset
    would have decided on the same positions (the what-if table)."""
    now = now or timezone.now()
    process = recommendation.process
    require(
        can_declare_decisions(actor, process),
        _("Only the secretariat or the chair of an open process declares decisions."),
    )
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    existing = Decision.objects.filter(recommendation=locked).first()
    if existing is not None:
        raise ValidationError(
            {
                "decision": _("The decision on this recommendation was declared on %(date)s.")
                % {"date": existing.declared_at.strftime("%Y-%m-%d %H:%M UTC")}
            }
        )
    groups = tallies(locked)
    if not groups:
        raise ValidationError(
            {"decision": _("No one has recorded a position on this recommendation yet.")}
        )
    settings = outcome_settings(process)
    chambers = chamber_rules(settings)
    result = decide(settings.rule_set, groups, chambers=chambers)
    table = what_if(groups, chambers=chambers)
    decision = Decision(
        recommendation=locked,
        rule_set=settings.rule_set,
        passed=result.passed,
        reason=result.reason,
        groups={group: tally.to_json() for group, tally in groups.items()},
        what_if=[row.to_json() for row in table],
        declared_by=actor,
        declared_at=now,
    )
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise ValidationError(
            {"decision": _("The decision on this recommendation has already been declared.")}
        ) from None
    append_entry(process=process, kind="decision.declared", payload=decision_payload(decision))
    subject = _("Decision on recommendation %(number)d: %(outcome)s") % {
        "number": locked.number,
        "outcome": _("passed") if decision.passed else _("not passed"),
    }
    body = _(
        "Under the rule set of “%(process)s” (%(rule)s), recommendation %(number)d, "
        "“%(title)s”, %(outcome)s: %(reason)s"
    ) % {
        "process": process.title,
        "rule": rule_title(decision.rule_set),
        "number": locked.number,
        "title": locked.title,
        "outcome": _("passed") if decision.passed else _("did not pass"),
        "reason": decision.reason,
    }
    for batch in _recipients(locked, actor):
        notify(recipients=batch, subject=subject, body=body, url=locked.get_absolute_url())
    return decision
