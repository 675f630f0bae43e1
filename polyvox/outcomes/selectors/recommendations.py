"""Reads of recommendations and consensus designations: public data, counted in the database.

The evidence panel beside a designation counts positions by stakeholder group and by M49 region,
and the votes on the statements linked to the recommendation by stakeholder group. It is grouped
and counted by the database (`values(...).annotate(Count)`), never loaded row by row, and it holds
no name and never gender. The outcome document gathers every recommendation, its designation with
the evidence and minority views, its decision, the joint statements beside their dissents, and what
the apps above add (`OUTCOME_DATA`).
"""

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.drafts.models import Section
from polyvox.joint_statements.sections import feedback_report_data
from polyvox.outcomes.models import (
    Designation,
    Level,
    MinorityView,
    Objection,
    Position,
    PositionKind,
    Recommendation,
    Stage,
)
from polyvox.outcomes.pages import OUTCOME_DATA
from polyvox.outcomes.selectors.decisions import decision_data, outcome_settings
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.processes.models import Process
from polyvox.statements.models import StatementStatus, Vote, VoteValue

# Where a participant declared no country (or one M49 does not know).
UNSPECIFIED = "unspecified"
_VOTE_KEYS = {VoteValue.AGREE: "agree", VoteValue.DISAGREE: "disagree", VoteValue.PASS: "pass"}
_GROUP_ORDER = {group: i for i, group in enumerate(StakeholderGroup.values)}


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


# Recommendations -------------------------------------------------------------------------------


def recommendations_of(process: Process) -> QuerySet[Recommendation]:
    """The process's recommendations in number order, each with its designations (oldest first;
    `designations_of` reads them without another query) and its decision, if declared."""
    return (
        Recommendation.objects.filter(process=process)
        .select_related("process", "decision")
        .prefetch_related(
            Prefetch(
                "designations",
                queryset=Designation.objects.select_related("proposal").order_by(
                    "designated_at", "pk"
                ),
            )
        )
        .order_by("number")
    )


def recommendation_by_number(process: Process, number: int) -> Recommendation:
    recommendation = recommendations_of(process).filter(number=number).first()
    if recommendation is None:
        raise Http404(_("No such recommendation."))
    return recommendation


def objection_of(viewer: Actor | None, designation: Designation) -> Objection | None:
    """The viewer's own objection to `designation` (withdrawn or not), if they made one."""
    if not is_signed_in(viewer):
        return None
    return Objection.objects.filter(designation=designation, author_id=viewer.pk).first()


def outcome_counts(process: Process) -> dict[str, Any]:
    """How far the process's recommendations are, counted in the database: how many, with a
    proposed (not yet final) or a final designation, decided, and the final levels."""
    counts = Recommendation.objects.filter(process=process).aggregate(
        count=Count("pk", distinct=True),
        designated=Count("pk", filter=Q(designations__stage=Stage.PROPOSED), distinct=True),
        final=Count("pk", filter=Q(designations__stage=Stage.FINAL), distinct=True),
        decided=Count("decision", distinct=True),
    )
    levels = dict(
        designations_in(process)
        .filter(stage=Stage.FINAL)
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "count": counts["count"],
        "final": counts["final"],
        "proposed": counts["designated"] - counts["final"],
        "decided": counts["decided"],
        "levels": [(level.label, levels[level.value]) for level in Level if level.value in levels],
    }


def linked_sections(recommendation: Recommendation) -> QuerySet[Section]:
    """The draft sections a recommendation is linked to, in draft and document order."""
    return recommendation.sections.select_related("version__draft__process").order_by(
        "version__draft__slug", "version__number", "order"
    )


def section_data(section: Section) -> dict[str, Any]:
    version = section.version
    return {
        "draft": version.draft.slug,
        "version": version.number,
        "anchor": section.anchor,
        "heading": section.heading,
        "url": section.get_absolute_url(),
    }


# Designations ----------------------------------------------------------------------------------


def designations_of(
    recommendation: Recommendation,
) -> tuple[Designation | None, Designation | None]:
    """(the proposal, the final designation): (None, None) before any; (proposal, None) while
    the designation is open to objections or waits for the chair."""
    rows = list(recommendation.designations.all())
    final = next((d for d in rows if d.stage == Stage.FINAL), None)
    if final is not None:
        proposal = next((d for d in rows if d.pk == final.proposal_id), final.proposal)
        return proposal, final
    proposals = [d for d in rows if d.stage == Stage.PROPOSED]
    return (proposals[-1] if proposals else None), None


def current_designation(recommendation: Recommendation) -> Designation | None:
    """The final designation if there is one, else the pending proposal."""
    proposal, final = designations_of(recommendation)
    return final or proposal


def designation_data(designation: Designation) -> dict[str, Any]:
    """A designation, JSON-ready and public: the level, the rationale, the window, the evidence."""
    proposal = designation.proposal
    closes = proposal.objections_close_at if proposal else designation.objections_close_at
    return {
        "stage": designation.stage,
        "level": designation.level,
        "level_label": str(Level(designation.level).label),
        "rationale": designation.rationale,
        "designated_at": iso(designation.designated_at),
        "objections_close_at": iso(closes),
        "proposed_level": proposal.level if proposal else designation.level,
        "revised": designation.revised,
        "evidence": designation.evidence,
    }


def public_objections(designation: Designation) -> QuerySet[Objection]:
    """Objections to a proposal, oldest first (withdrawn ones too: they were public); paginate."""
    return (
        Objection.objects.filter(designation=designation)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


def standing_objection_count(designation: Designation) -> int:
    return Objection.objects.filter(designation=designation, withdrawn_at__isnull=True).count()


def minority_views_of(designation: Designation) -> QuerySet[MinorityView]:
    """The objections attached verbatim to a final designation, in the order they were made."""
    return (
        MinorityView.objects.filter(designation=designation)
        .select_related("organisation")
        .order_by("objection__created_at", "pk")
    )


def organisation_data(organisation: Any) -> dict[str, str] | None:
    return None if organisation is None else {"name": organisation.name, "slug": organisation.slug}


def minority_view_data(view: MinorityView) -> dict[str, Any]:
    return {
        "author": view.author_name,
        "organisation": organisation_data(view.organisation),
        "text": view.text,
    }


def designations_in(process: Process) -> QuerySet[Designation]:
    """Every designation of the process, proposed and final, by recommendation then time."""
    return (
        Designation.objects.filter(recommendation__process=process)
        .select_related("recommendation__process", "proposal")
        .order_by("recommendation__number", "designated_at", "pk")
    )


def designation_in(process: Process, designation_id: int) -> Designation:
    designation = designations_in(process).filter(pk=designation_id).first()
    if designation is None:
        raise Http404(_("No such designation."))
    return designation


# Evidence --------------------------------------------------------------------------------------


def _position_counts(rows: QuerySet[Any], key: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        bucket = counts.setdefault(row[key], dict.fromkeys(PositionKind.values, 0))
        bucket[row["position"]] = bucket.get(row["position"], 0) + row["n"]
    return counts


def _group_key(group: str) -> tuple[int, str]:
    return (_GROUP_ORDER.get(group, len(_GROUP_ORDER)), group)


def position_evidence(recommendation: Recommendation) -> dict[str, Any]:
    """Positions counted by stakeholder group, by M49 region and in all (no names)."""
    positions = Position.objects.filter(recommendation=recommendation)
    group_rows = (
        positions.annotate(
            group=Coalesce(
                F("author__profile__stakeholder_group"),
                Value(StakeholderGroup.INDIVIDUAL.value),
                output_field=CharField(),
            )
        )
        .values("group", "position")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_group = _position_counts(group_rows, "group")
    country_rows = (
        positions.annotate(
            country=Coalesce(F("author__profile__country"), Value(""), output_field=CharField())
        )
        .values("country", "position")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_region: dict[str, dict[str, int]] = {}
    for row in country_rows:
        region = region_of(row["country"]) if row["country"] else None
        bucket = by_region.setdefault(
            region.region if region else UNSPECIFIED, dict.fromkeys(PositionKind.values, 0)
        )
        bucket[row["position"]] = bucket.get(row["position"], 0) + row["n"]
    by_position = dict.fromkeys(PositionKind.values, 0)
    for counts in by_group.values():
        for position, n in counts.items():
            by_position[position] = by_position.get(position, 0) + n
    return {
        "by_group": {g: by_group[g] for g in sorted(by_group, key=_group_key)},
        "by_region": {
            r: by_region[r] for r in sorted(by_region, key=lambda r: (r == UNSPECIFIED, r))
        },
        "by_position": by_position,
        "total": sum(by_position.values()),
    }


def statement_evidence(recommendation: Recommendation) -> list[dict[str, Any]]:
    """Votes on each accepted statement linked to the recommendation, in all and by group."""
    statements = list(
        recommendation.statements.filter(status=StatementStatus.ACCEPTED).order_by(
            "created_at", "pk"
        )
    )
    rows = (
        Vote.objects.filter(statement__in=[s.pk for s in statements])
        .annotate(
            group=Coalesce(
                F("participant__profile__stakeholder_group"),
                Value(StakeholderGroup.INDIVIDUAL.value),
                output_field=CharField(),
            )
        )
        .values("statement_id", "group", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    votes: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    for row in rows:
        key = _VOTE_KEYS.get(row["value"])
        if key is None:
            continue
        bucket = votes[row["statement_id"]].setdefault(
            row["group"], {"agree": 0, "disagree": 0, "pass": 0}
        )
        bucket[key] += row["n"]
    evidence = []
    for statement in statements:
        by_group = votes.get(statement.pk, {})
        totals = {
            key: sum(counts[key] for counts in by_group.values())
            for key in ("agree", "disagree", "pass")
        }
        evidence.append(
            {
                "id": statement.pk,
                "text": statement.text,
                **totals,
                "by_group": {g: by_group[g] for g in sorted(by_group, key=_group_key)},
            }
        )
    return evidence


def evidence(recommendation: Recommendation) -> dict[str, Any]:
    """The evidence panel, JSON-ready: what a designation is kept with."""
    return {
        "positions": position_evidence(recommendation),
        "statements": statement_evidence(recommendation),
        "computed_at": iso(timezone.now()),
    }


# The outcome document --------------------------------------------------------------------------


def _document_recommendations(process: Process) -> QuerySet[Recommendation]:
    return recommendations_of(process).prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.select_related("version__draft__process").order_by(
                "version__draft__slug", "version__number", "order"
            ),
        ),
        Prefetch(
            "designations__minority_views",
            queryset=MinorityView.objects.select_related("organisation").order_by(
                "objection__created_at", "pk"
            ),
        ),
    )


def recommendation_document(recommendation: Recommendation) -> dict[str, Any]:
    """One recommendation as the outcome document shows it."""
    proposal, final = designations_of(recommendation)
    current = final or proposal
    return {
        "number": recommendation.number,
        "title": recommendation.title,
        "text": recommendation.text,
        "url": recommendation.get_absolute_url(),
        "sections": [section_data(section) for section in recommendation.sections.all()],
        "designation": designation_data(current) if current is not None else None,
        "minority_views": (
            [minority_view_data(view) for view in final.minority_views.all()] if final else []
        ),
        "decision": decision_data(recommendation),
    }


def outcome_document(process: Process) -> dict[str, Any]:
    """The outcome document, JSON-ready and public (the page, the PDF and `outcome.json`)."""
    settings = outcome_settings(process)
    return {
        "process": {
            "slug": process.slug,
            "title": process.title,
            "url": process.get_absolute_url(),
            "decision_mode": process.decision_mode,
            "closed_at": iso(process.closed_at),
        },
        "generated_at": iso(timezone.now()),
        "rule_set": settings.rule_set,
        "objection_days": settings.objection_days,
        "recommendations": [recommendation_document(r) for r in _document_recommendations(process)],
        "joint_statements": feedback_report_data(process=process),
        **OUTCOME_DATA.data(process),
    }
