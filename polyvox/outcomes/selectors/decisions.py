"""Reads of positions, the rule set, the electorate and decisions: public data, counted in the
database.

Positions are public with their author's name (as on a roll-call), so these reads take no viewer.
`tallies` never loads the positions themselves: a process may have 100,000 participants, and the
tally is one grouped query (`values(...).annotate(Count)`).
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import CharField, Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from polyvox.analytics.decision_rules import (
    RULES,
    ChamberRule,
    GroupTally,
    Result,
    parse_chamber,
    what_if,
)
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.outcomes.models import (
    Decision,
    Elector,
    OutcomeSettings,
    Position,
    Recommendation,
)
from polyvox.participants.models import StakeholderGroup
from polyvox.processes.models import Process

# The spelling of `Position.position` is the spelling of `decision_rules.POSITIONS`; a voter
# with no position counts as "absent".
ABSENT = "absent"


def outcome_settings(process: Process) -> OutcomeSettings:
    """The process's saved settings, or the defaults (unsaved) when the secretariat set none."""
    saved = OutcomeSettings.objects.filter(process=process).first()
    return saved if saved is not None else OutcomeSettings(process=process)


def chamber_rules(settings: OutcomeSettings) -> dict[str, ChamberRule]:
    """The chamber thresholds of `settings`, parsed (they were validated when saved)."""
    return {group: parse_chamber(text) for group, text in (settings.chambers or {}).items()}


def has_electors(process: Process) -> bool:
    return Elector.objects.filter(process=process).exists()


def electors_of(process: Process) -> QuerySet[Elector]:
    """The electorate, by group then public label (paginate it: it may be large)."""
    return Elector.objects.filter(process=process).order_by("group", "voter", "pk")


def elector_of(user: Actor | None, process: Process) -> Elector | None:
    if not is_signed_in(user):
        return None
    return Elector.objects.filter(process=process, user_id=user.pk).first()


def elector_groups(process: Process) -> dict[str, int]:
    """How many electors each group has, counted in the database."""
    rows = (
        Elector.objects.filter(process=process)
        .values("group")
        .annotate(n=Count("pk"))
        .order_by("group")
    )
    return {row["group"]: row["n"] for row in rows}


def _counts_to_tallies(rows: QuerySet[Any]) -> dict[str, GroupTally]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        position = row["stance"] or ABSENT
        counts[row["voter_group"]][position] = (
            counts[row["voter_group"]].get(position, 0) + row["n"]
        )
    return {group: GroupTally.from_counts(counts[group]) for group in sorted(counts)}


def tallies(recommendation: Recommendation) -> dict[str, GroupTally]:
    """The count of each position in each group, aggregated in the database.

    With electors: group = the elector's group, and every elector without a position is absent
    (positions recorded by others do not count). Without: group = the author's declared
    stakeholder group, and only those who recorded a position are counted (no absents)."""
    process = recommendation.process
    if has_electors(process):
        stance = Position.objects.filter(
            recommendation=recommendation, author_id=OuterRef("user_id")
        ).values("position")[:1]
        rows = (
            Elector.objects.filter(process=process)
            .annotate(stance=Subquery(stance), voter_group=F("group"))
            .values("voter_group", "stance")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return _counts_to_tallies(rows)
    by_profile = (
        Position.objects.filter(recommendation=recommendation)
        .annotate(
            voter_group=Coalesce(
                F("author__profile__stakeholder_group"),
                Value(StakeholderGroup.INDIVIDUAL.value),
                output_field=CharField(),
            ),
            stance=F("position"),
        )
        .values("voter_group", "stance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _counts_to_tallies(by_profile)


def live_what_if(
    recommendation: Recommendation, counted: Mapping[str, GroupTally] | None = None
) -> list[Result]:
    """What the positions recorded so far yield under every preset (in `RULES` order)."""
    settings = outcome_settings(recommendation.process)
    groups = tallies(recommendation) if counted is None else counted
    return what_if(groups, chambers=chamber_rules(settings))


def rule_title(rule_set: str) -> str:
    rule = RULES.get(rule_set)
    return rule.title if rule is not None else rule_set


def decision_of(recommendation: Recommendation) -> Decision | None:
    """The declared decision (uses `select_related("decision")` where the caller did)."""
    try:
        return recommendation.decision
    except Decision.DoesNotExist:
        return None


def decision_data(recommendation: Recommendation) -> dict[str, Any] | None:
    """The declared decision, JSON-ready, exactly as stored when it was declared; None if none."""
    decision = decision_of(recommendation)
    if decision is None:
        return None
    return {
        "rule_set": decision.rule_set,
        "rule_title": rule_title(decision.rule_set),
        "passed": decision.passed,
        "reason": decision.reason,
        "groups": decision.groups,
        "what_if": decision.what_if,
        "declared_at": decision.declared_at.isoformat(),
    }


def positions_of(recommendation: Recommendation) -> QuerySet[Position]:
    """The named positions, oldest first, for a paginated list. Each row carries
    `author_name` and `stakeholder_group` (from the profile), and `voter` and `elector_group`
    (the elector's public label and group; None for someone who holds no seat)."""
    seat = Elector.objects.filter(
        process_id=recommendation.process_id, user_id=OuterRef("author_id")
    )
    return (
        Position.objects.filter(recommendation=recommendation)
        .annotate(
            author_name=F("author__profile__display_name"),
            stakeholder_group=F("author__profile__stakeholder_group"),
            voter=Subquery(seat.values("voter")[:1]),
            elector_group=Subquery(seat.values("group")[:1]),
        )
        .order_by("updated_at", "pk")
    )


def position_of(user: Actor | None, recommendation: Recommendation) -> Position | None:
    """`user`'s current position on `recommendation`, if they recorded one."""
    if not is_signed_in(user):
        return None
    return Position.objects.filter(recommendation=recommendation, author_id=user.pk).first()


def position_count(recommendation: Recommendation) -> int:
    return Position.objects.filter(recommendation=recommendation).count()
