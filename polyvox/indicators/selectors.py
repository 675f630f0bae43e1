"""`process_indicators`: a process's participation, responsiveness, interaction, concentration and
circulation figures, JSON-ready (the indicators page, the API and the quality report read it).

Every figure comes from GROUP BY or aggregate queries (a row per stakeholder group, country and
gender, per organisation, per hour waited for an answer), never from a load of the inputs; the
pure functions of `polyvox.analytics.indicators` compute the indicators and suppress small cells.
Inputs are the visible (not hidden by moderation) inputs of every kind but replies; replies are
counted as interaction. Gender is private: it leaves this module only as counts of 5 or more.
Definitions: docs/indicators.md.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Func, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.fields import IntegerField
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.analytics import indicators as pure
from polyvox.analytics import indicators_participation as people
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_name, region_of
from polyvox.processes.models import Phase, Process, TargetDimension
from polyvox.processes.phase_types import Action, phase_type

SUPPRESS_BELOW = pure.THRESHOLD
UNANSWERED_ALERT_DAYS = 30  # an input waiting longer for its answer raises an alert
HHI_ALERT = 0.25  # "highly concentrated" (US DOJ/FTC 2010 guidelines: 2,500 on their scale)
CAMPAIGN_ALERT = 0.5  # half the inputs are campaign submissions


class _HoursBetween(Func):
    """Whole hours from `start` to `end` (database-side, so answers are grouped by the hour)."""

    output_field = IntegerField()

    def __init__(self, end: Combinable | str, start: Combinable | str) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            # julianday's float is a day; the tiny addend keeps 48 h from reading 47.999… h
            template="CAST((julianday(%(expressions)s)) * 24 + 0.000001 AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600)::integer",
            arg_joiner=" - ",
            **extra,
        )


def visible_inputs(process: Process) -> QuerySet[Contribution]:
    """The inputs the indicators count: visible, every kind but replies."""
    return (
        Contribution.objects.public()
        .filter(process=process)
        .exclude(kind=ContributionKind.REPLY)
        .order_by()
    )


def process_indicators(process: Process, *, now: datetime | None = None) -> dict[str, Any]:
    """The figures of `process` at `now` (default: the current time), in the shape of the
    contract the page, the API and the report share."""
    now = now or timezone.now()
    inputs = visible_inputs(process)
    totals = _totals(inputs, unanswered_before=now - timedelta(days=UNANSWERED_ALERT_DAYS))
    participation = _participation(process, inputs)
    participants = totals["participants"]
    responsiveness = _responsiveness(inputs, totals)
    replies = Contribution.objects.public().filter(process=process, kind=ContributionKind.REPLY)
    reply_counts = replies.order_by().aggregate(
        replies=Count("pk"),
        cross=Count("pk", filter=~Q(stakeholder_group=F("parent__stakeholder_group"))),
    )
    interaction = pure.interaction(
        replies=reply_counts["replies"],
        cross_group_replies=reply_counts["cross"],
        answers_given=responsiveness.answered,
    )
    concentration = pure.concentration(
        by_organisation=dict(
            inputs.exclude(organisation="")
            .values("organisation")
            .annotate(n=Count("pk"))
            .values_list("organisation", "n")
        ),
        inputs=participation.inputs,
        campaign_inputs=totals["campaign"],
    )
    circulation = _circulation(process)
    waiting = totals["waiting"]
    return {
        "process": process.slug,
        "computed_at": now.isoformat(),
        "suppress_below": SUPPRESS_BELOW,
        "participation": _participation_json(participation, participants),
        "responsiveness": {
            "inputs": responsiveness.inputs,
            "answered": responsiveness.answered,
            "answered_share": responsiveness.answered_share,
            "answered_with_reason_share": responsiveness.answered_with_reason_share,
            "median_days_to_answer": _days(responsiveness.median_days_to_answer),
            "p90_days_to_answer": _days(responsiveness.p90_days_to_answer),
        },
        "interaction": {
            "replies": interaction.replies,
            "cross_group_replies": interaction.cross_group_replies,
            "cross_group_share": interaction.cross_group_share,
            "answers_given": interaction.answers_given,
        },
        "concentration": {
            "hhi_by_organisation": concentration.hhi_by_organisation,
            "organisations": concentration.organisations,
            "campaign_inputs": concentration.campaign_inputs,
            "campaign_share": concentration.campaign_share,
        },
        "circulation": circulation,
        "alerts": _alerts(participation, concentration, circulation, waiting),
    }


def _totals(inputs: QuerySet[Contribution], *, unanswered_before: datetime) -> dict[str, int]:
    """Every plain count in one pass over the inputs (their answer and campaign membership are
    one-to-one, so the joins add no row): at 100,000 inputs each pass reads the whole table, and
    five separate counts took 1.3 s of the 2.2 s the figures took (bench/RESULTS.md)."""
    return inputs.aggregate(
        inputs=Count("pk"),
        answered=Count("disposition"),
        with_reason=Count("disposition", filter=~Q(disposition__reason="")),
        participants=Count("author", distinct=True),
        campaign=Count("pk", filter=Q(campaign_membership__isnull=False)),
        waiting=Count("pk", filter=Q(disposition__isnull=True, created_at__lt=unanswered_before)),
    )


def _participation(process: Process, inputs: QuerySet[Contribution]) -> Any:
    """One GROUP BY (stakeholder group, country, gender); the region and Global South of each
    country are looked up over the grouped rows, not per input."""
    slices = [
        people.Slice(
            stakeholder_group=group,
            region=region.region if region else "",
            global_south=bool(region and region.global_south),
            gender=gender or "",
            count=n,
        )
        for group, country, gender, n in inputs.values(
            "stakeholder_group", "country", "author__profile__gender"
        )
        .annotate(n=Count("pk"))
        .values_list("stakeholder_group", "country", "author__profile__gender", "n")
        for region in [region_of(country)]
    ]
    targets = [
        people.Target(dimension=t.dimension, value=t.value, min_share=float(t.min_share))
        for t in process.participation_targets.all()
    ]
    return people.participation(slices, targets=targets, groups=[g.value for g in StakeholderGroup])


def _participation_json(figures: Any, participants: int) -> dict[str, Any]:
    groups = dict(StakeholderGroup.choices)
    return {
        "inputs": figures.inputs,
        "participants": participants,
        "by_group": _rows(figures.by_group, lambda v: str(groups.get(v, v))),
        "by_region": _rows(figures.by_region, _region_label),
        "by_gender": _rows(figures.by_gender, _gender_label),
        "cross": [
            {
                "stakeholder_group": row.stakeholder_group,
                "region": row.region,
                "gender": row.gender,
                "count": row.count,
            }
            for row in figures.cross
        ],
        "representation_score": figures.representation_score,
        "representation_scores": figures.representation_scores,
        "global_south_share": figures.global_south_share,
        "global_south_inputs": figures.global_south_inputs,
        "global_south_target": figures.global_south_target,
        "global_south_meets_target": figures.global_south_meets_target,
    }


def _rows(rows: Sequence[Any], label: Any) -> list[dict[str, Any]]:
    return [
        {
            "value": row.value,
            "label": label(row.value),
            "count": row.count,
            "share": row.share,
            "target": row.target,
            "meets_target": row.meets_target,
        }
        for row in rows
    ]


def _region_label(region: str) -> str:
    return region_name(region) if region else _("Not stated")


def _gender_label(gender: str) -> str:
    if gender == people.NOT_STATED:
        return _("not stated")
    if gender == people.OTHER_OR_NOT_SHOWN:
        return _("other / not shown")
    return gender


def _responsiveness(inputs: QuerySet[Contribution], counts: dict[str, int]) -> pure.Responsiveness:
    """Counts from `_totals`; the waits as hours → answers, one row per hour."""
    hours = (
        inputs.filter(disposition__isnull=False)
        .annotate(hours=_HoursBetween("disposition__created_at", "created_at"))
        .values("hours")
        .annotate(n=Count("pk"))
        .values_list("hours", "n")
    )
    return pure.responsiveness(
        inputs=counts["inputs"],
        answered=counts["answered"],
        answered_with_reason=counts["with_reason"],
        days_to_answer={max(h, 0) / 24: n for h, n in hours},
    )


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _circulation(process: Process) -> list[dict[str, Any]]:
    """Each published version with the end of the phase it was open for comment in: the
    commenting phase open when it was published, else the next one to open."""
    commenting = [
        phase
        for phase in Phase.objects.filter(process=process).order_by("starts_at", "id")
        if Action.COMMENT in phase_type(phase.kind).allowed_actions
    ]
    versions = (
        DraftVersion.objects.published()
        .filter(draft__process=process)
        .select_related("draft")
        .order_by("published_at", "id")
    )
    found = []
    for version in versions:
        published = version.published_at
        assert published is not None  # noqa: S101  # published() guarantees it
        phase = next(
            (p for p in commenting if p.starts_at <= published < p.ends_at),
            next((p for p in commenting if p.starts_at > published), None),
        )
        deadline = phase.ends_at if phase else None
        found.append(
            {
                "draft": version.draft.slug,
                "title": version.draft.title,
                "version": version.number,
                "published_at": published.isoformat(),
                "deadline": deadline.isoformat() if deadline else None,
                "days_public_before_deadline": pure.circulation_days(published, deadline),
                "min_days": phase.min_days if phase else None,
            }
        )
    return found


def _alerts(
    participation: Any,
    concentration: pure.Concentration,
    circulation: list[dict[str, Any]],
    waiting: int,
) -> list[dict[str, Any]]:
    """What the secretariat should look at now; messages name categories, never people."""
    alerts: list[dict[str, Any]] = []
    groups = dict(StakeholderGroup.choices)
    if participation.inputs:
        alerts.extend(
            {
                "code": "no_input_from_group",
                "message": _("No input from %(group)s yet.")
                % {"group": str(groups.get(row.value, row.value)).lower()},
                "value": row.value,
            }
            for row in participation.by_group
            if row.count == 0
        )
    labels = {
        TargetDimension.STAKEHOLDER_GROUP.value: lambda v: str(groups.get(v, v)),
        TargetDimension.REGION.value: _region_label,
        TargetDimension.GENDER.value: _gender_label,
    }
    for dimension, rows in (
        (TargetDimension.STAKEHOLDER_GROUP.value, participation.by_group),
        (TargetDimension.REGION.value, participation.by_region),
        (TargetDimension.GENDER.value, participation.by_gender),
    ):
        alerts.extend(
            _below_target(labels[dimension](row.value), row.share, row.target)
            for row in rows
            if row.meets_target is False
        )
    if participation.global_south_meets_target is False:
        alerts.append(
            _below_target(
                _("the Global South"),
                participation.global_south_share,
                participation.global_south_target,
            )
        )
    if waiting:
        alerts.append(
            {
                "code": "unanswered_inputs",
                "message": _("%(count)d inputs have waited more than %(days)d days for an answer.")
                % {"count": waiting, "days": UNANSWERED_ALERT_DAYS},
                "value": waiting,
            }
        )
    hhi = concentration.hhi_by_organisation
    if hhi is not None and concentration.organisations > 1 and hhi > HHI_ALERT:
        alerts.append(
            {
                "code": "concentrated_inputs",
                "message": _(
                    "A few organisations sent most inputs (concentration index %(hhi).2f)."
                )
                % {"hhi": hhi},
                "value": hhi,
            }
        )
    if concentration.campaign_share is not None and concentration.campaign_share >= CAMPAIGN_ALERT:
        alerts.append(
            {
                "code": "campaign_share",
                "message": _("%(percent)d %% of inputs are campaign submissions.")
                % {"percent": round(100 * concentration.campaign_share)},
                "value": concentration.campaign_share,
            }
        )
    for item in circulation:
        days, minimum = item["days_public_before_deadline"], item["min_days"]
        if days is not None and minimum is not None and days < minimum:
            alerts.append(
                {
                    "code": "short_circulation",
                    "message": _(
                        "Version %(version)d of “%(title)s” was public %(days)s days before its "
                        "comment deadline, less than the %(minimum)d days its phase should last."
                    )
                    % {
                        "version": item["version"],
                        "title": item["title"],
                        "days": days,
                        "minimum": minimum,
                    },
                    "value": days,
                }
            )
    return alerts


def _below_target(label: str, value: float | None, target: float | None) -> dict[str, Any]:
    wanted = round(100 * (target or 0))
    if value is None:  # a suppressed count: say it is below, not by how much
        message = _("Inputs from %(label)s are below the target of at least %(target)d %%.") % {
            "label": label,
            "target": wanted,
        }
    else:
        message = _(
            "Inputs from %(label)s: %(share)d %%, below the target of at least %(target)d %%."
        ) % {
            "label": label,
            "share": round(100 * value),
            "target": wanted,
        }
    return {"code": "below_target", "message": message, "value": value}
