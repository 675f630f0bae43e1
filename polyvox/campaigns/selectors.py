"""Reads of campaigns (public: counts, templates, additions — never names or e-mail domains) and
the secretariat-only signals of inauthenticity (bursts, shared texts, domains and networks).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from polyvox.campaigns.models import (
    ACTIVE_RUN_STATUSES,
    STALE_AFTER,
    Campaign,
    CampaignMembership,
    DetectionRun,
    RunStatus,
    SubmissionIntake,
)
from polyvox.campaigns.permissions import can_see_signals
from polyvox.contributions.input_groups import InputGroup
from polyvox.contributions.models import Contribution, ContributionKind, Disposition, Outcome
from polyvox.contributions.permissions import can_dispose
from polyvox.core.permissions import Actor, require
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.processes.models import Process

BURST_SIZE = 20  # submissions …
BURST_WINDOW = timedelta(minutes=10)  # … within this long count as a burst
MIN_NAMES_FOR_SHARED_TEXT = 3
MIN_SHARED_DOMAIN_OR_NETWORK = 5


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class CampaignSummary:
    """What anyone may see of a campaign: sizes and shares, the template, the answer."""

    campaign: Campaign
    template_tracking_number: str
    template_text: str
    size: int
    by_stakeholder_group: tuple[Tally, ...]
    by_region: tuple[Tally, ...]
    outcome_label: str
    reason: str


Tallies = tuple[tuple[Tally, ...], tuple[Tally, ...]]


def _tallies(campaign_ids: list[int]) -> dict[int, Tallies]:
    """Each campaign's members by stakeholder group and by region: one grouped query for all."""
    rows = (
        CampaignMembership.objects.filter(campaign_id__in=campaign_ids)
        .order_by()
        .values_list("campaign_id", "contribution__stakeholder_group", "contribution__country")
        .annotate(n=Count("id"))
    )
    groups: dict[int, Counter[str]] = {pk: Counter() for pk in campaign_ids}
    regions: dict[int, Counter[str]] = {pk: Counter() for pk in campaign_ids}
    for campaign_id, group, country, n in rows:
        groups[campaign_id][group] += n
        region = region_of(country) if country else None
        regions[campaign_id][region.region if region else ""] += n
    labels = dict(StakeholderGroup.choices)
    tallies = {}
    for pk in campaign_ids:
        by_group = sorted(
            (Tally(key, str(labels.get(key, key)), n) for key, n in groups[pk].items()),
            key=lambda t: (-t.count, t.label),
        )
        by_region = sorted(
            (Tally(key, key or _("Not stated"), n) for key, n in regions[pk].items()),
            key=lambda t: (-t.count, t.label),
        )
        tallies[pk] = (tuple(by_group), tuple(by_region))
    return tallies


def _summary(campaign: Campaign, tallies: Tallies) -> CampaignSummary:
    by_group, by_region = tallies
    disposition = getattr(campaign.template, "disposition", None)
    return CampaignSummary(
        campaign=campaign,
        template_tracking_number=campaign.template.tracking_number,
        template_text=campaign.template.body,
        size=campaign.size,
        by_stakeholder_group=by_group,
        by_region=by_region,
        outcome_label=str(Outcome(disposition.outcome).label) if disposition else "",
        reason=disposition.reason if disposition else "",
    )


def campaign_summaries(*, viewer: Actor | None, campaigns: list[Campaign]) -> list[CampaignSummary]:
    """The summaries of a page of campaigns (from `campaigns_of`), their tallies in one query."""
    tallies = _tallies([campaign.pk for campaign in campaigns])
    return [_summary(campaign, tallies[campaign.pk]) for campaign in campaigns]


def _campaigns(process: Process) -> QuerySet[Campaign]:
    return Campaign.objects.filter(process=process).select_related(
        "template__disposition", "template__process", "process"
    )


def public_campaigns(*, viewer: Actor | None, process: Process) -> list[CampaignSummary]:
    """Campaigns of a process, largest first (every one: pages use `campaigns_of`)."""
    return campaign_summaries(
        viewer=viewer, campaigns=list(campaigns_of(viewer=viewer, process=process))
    )


def campaigns_of(*, viewer: Actor | None, process: Process) -> QuerySet[Campaign]:
    """Campaigns of a process, largest first, for a caller that pages them (the list page, the
    API); each page's summaries come from `campaign_summaries`."""
    return _campaigns(process).order_by("-size", "id")


def access_campaign(*, viewer: Actor | None, process: Process, campaign_id: int) -> Campaign:
    campaign = _campaigns(process).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(_("No such campaign."))
    return campaign


def campaign_summary(*, viewer: Actor | None, campaign: Campaign) -> CampaignSummary:
    return _summary(campaign, _tallies([campaign.pk])[campaign.pk])


def first_additions(
    *, viewer: Actor | None, campaigns: list[Campaign], limit: int
) -> dict[int, list[CampaignMembership]]:
    """Campaign id → the first `limit` of its `campaign_additions`, for a page of campaigns in
    one query (a window numbers each campaign's additions)."""
    numbered = (
        CampaignMembership.objects.filter(campaign__in=campaigns)
        .exclude(unique_addition="")
        .filter(contribution__hidden_at__isnull=True)
        .select_related("contribution__process")
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("campaign_id")], order_by=[F("contribution_id")]
            )
        )
        .filter(place__lte=limit)
        .order_by("campaign_id", "contribution_id")
    )
    additions: dict[int, list[CampaignMembership]] = {campaign.pk: [] for campaign in campaigns}
    for membership in numbered if campaigns else []:
        additions[membership.campaign_id].append(membership)
    return additions


def campaign_additions(*, viewer: Actor | None, campaign: Campaign) -> QuerySet[CampaignMembership]:
    """Visible members that added words of their own, with their tracking numbers."""
    return (
        campaign.memberships.exclude(unique_addition="")
        .filter(contribution__hidden_at__isnull=True)
        .select_related("contribution__process")
        .order_by("contribution_id")
    )


# Signals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Burst:
    starts_at: datetime
    ends_at: datetime
    count: int


@dataclass(frozen=True)
class SharedText:
    tracking_numbers: tuple[str, ...]  # a few examples
    text: str
    submissions: int
    names: int


@dataclass(frozen=True)
class SharedOrigin:
    value: str
    submissions: int


@dataclass(frozen=True)
class Signals:
    """Leads for the secretariat to look into, not verdicts; nothing is hidden or deleted."""

    bursts: tuple[Burst, ...]
    shared_texts: tuple[SharedText, ...]
    email_domains: tuple[SharedOrigin, ...]
    networks: tuple[SharedOrigin, ...]


def find_bursts(times: list[datetime], *, size: int, window: timedelta) -> list[Burst]:
    """Maximal runs where every `size` consecutive times fit in `window`; times sorted."""
    bursts: list[Burst] = []
    start = None
    for i in range(len(times) - size + 1):
        if times[i + size - 1] - times[i] <= window:
            if start is None or i > start[1]:
                if start is not None:
                    bursts.append(Burst(times[start[0]], times[start[1]], start[1] - start[0] + 1))
                start = [i, i + size - 1]
            else:
                start[1] = i + size - 1
    if start is not None:
        bursts.append(Burst(times[start[0]], times[start[1]], start[1] - start[0] + 1))
    return bursts


# When each submission was sent: the intake's time, else when it was received; an intake without
# a time (an imported row without a date) says nothing about timing.
_SENT_AT = """
    SELECT CASE WHEN i.id IS NULL THEN c.created_at ELSE i.submitted_at END AS sent_at
    FROM {contributions} c
    LEFT JOIN {intakes} i ON i.contribution_id = c.id
    WHERE c.process_id = %s AND c.kind = %s
"""
# Microseconds from `a` to `b`: exact on PostgreSQL's timestamps and on SQLite's ISO texts
# ('YYYY-MM-DD HH:MM:SS' and an optional '.ffffff').
_GAP = {
    "postgresql": "(EXTRACT(EPOCH FROM ({b} - {a})) * 1000000)",
    "sqlite": "((strftime('%%s', {b}) - strftime('%%s', {a})) * 1000000"
    " + CAST(substr({b}, 21) AS INTEGER) - CAST(substr({a}, 21) AS INTEGER))",
}
# `find_bursts` in the database: a submission starts a window when the submission `size` - 1
# later is within `window` of it; windows closer than `size` submissions apart join one burst
# (gaps and islands), which spans its first window's start to its last window's end.
_BURSTS = """
WITH sent AS ({sent}),
numbered AS (
    SELECT sent_at, ROW_NUMBER() OVER (ORDER BY sent_at) AS position,
           LEAD(sent_at, %s) OVER (ORDER BY sent_at) AS window_end
    FROM sent WHERE sent_at IS NOT NULL
),
windows AS (
    SELECT position, sent_at, window_end,
           CASE WHEN position - LAG(position) OVER (ORDER BY position) < %s THEN 0 ELSE 1 END
               AS starts
    FROM numbered WHERE window_end IS NOT NULL AND {gap} <= %s
),
islands AS (
    SELECT position, sent_at, window_end, SUM(starts) OVER (ORDER BY position) AS burst
    FROM windows
)
SELECT MIN(sent_at), MAX(window_end), MAX(position) - MIN(position) + %s
FROM islands GROUP BY burst ORDER BY burst
"""


def _moment(value: datetime | str) -> datetime:
    """A timestamp as the ORM gives it (aware, UTC) from raw SQL (SQLite answers text)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def submission_bursts(process: Process, *, size: int, window: timedelta) -> list[Burst]:
    """`find_bursts` of the submissions' times, computed by the database in one query (window
    functions), so 100,000 submissions are never loaded to find a few bursts."""
    gap = _GAP["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    sent = _SENT_AT.format(
        contributions=Contribution._meta.db_table, intakes=SubmissionIntake._meta.db_table
    )
    sql = _BURSTS.format(sent=sent, gap=gap.format(a="sent_at", b="window_end"))
    micros = window // timedelta(microseconds=1)
    params: list[int | str] = [process.pk, ContributionKind.SUBMISSION.value, size - 1, size]
    params += [micros, size]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Burst(_moment(start), _moment(end), count) for start, end, count in rows]


def _shared_texts(process: Process) -> list[SharedText]:
    rows = list(
        Contribution.objects.filter(process=process, kind=ContributionKind.SUBMISSION)
        .order_by()
        .values("body")
        .annotate(n=Count("id"), names=Count("author_name", distinct=True))
        .filter(names__gte=MIN_NAMES_FOR_SHARED_TEXT)
        .order_by("-names", "-n")[:20]
    )
    # The examples of every text in one query (the first five of each, oldest first).
    numbered = (
        Contribution.objects.filter(
            process=process, kind=ContributionKind.SUBMISSION, body__in=[r["body"] for r in rows]
        )
        .annotate(
            place=Window(RowNumber(), partition_by=[F("body")], order_by=[F("created_at"), F("id")])
        )
        .values_list("body", "tracking_number", "place")
    )
    examples: dict[str, list[str]] = {}
    for body, number, _place in numbered.filter(place__lte=5) if rows else []:
        examples.setdefault(body, []).append(number)
    return [
        SharedText(tuple(examples.get(row["body"], ())), row["body"], row["n"], row["names"])
        for row in rows
    ]


def _shared(process: Process, field: str) -> tuple[SharedOrigin, ...]:
    rows = (
        SubmissionIntake.objects.filter(process=process)
        .exclude(**{field: ""})
        .order_by()
        .values_list(field)
        .annotate(n=Count("id"))
        .filter(n__gte=MIN_SHARED_DOMAIN_OR_NETWORK)
        .order_by("-n")[:20]
    )
    return tuple(SharedOrigin(value, n) for value, n in rows)


def signals(*, viewer: Actor | None, process: Process) -> Signals:
    require(can_see_signals(viewer, process), _("Only the secretariat sees these signals."))
    return Signals(
        bursts=tuple(submission_bursts(process, size=BURST_SIZE, window=BURST_WINDOW)),
        shared_texts=tuple(_shared_texts(process)),
        email_domains=_shared(process, "email_domain"),
        networks=_shared(process, "network"),
    )


# A contribution's campaign ---------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignOfInput:
    """The campaign a contribution belongs to, and the answer given to the campaign."""

    campaign_id: int
    size: int
    template_tracking_number: str
    is_template: bool
    outcome_label: str
    reason: str


def campaign_of(*, viewer: Actor | None, contribution: Contribution) -> CampaignOfInput | None:
    """The campaign of a contribution (public facts only), or None when it stands alone."""
    membership = (
        CampaignMembership.objects.filter(contribution=contribution)
        .select_related("campaign__template__disposition")
        .first()
    )
    if membership is None:
        return None
    campaign = membership.campaign
    disposition: Disposition | None = getattr(campaign.template, "disposition", None)
    return CampaignOfInput(
        campaign_id=campaign.pk,
        size=campaign.size,
        template_tracking_number=campaign.template.tracking_number,
        is_template=campaign.template_id == contribution.pk,
        outcome_label=str(Outcome(disposition.outcome).label) if disposition else "",
        reason=disposition.reason if disposition else "",
    )


def campaign_groups(contributions: QuerySet[Contribution]) -> dict[int, InputGroup]:
    """The campaigns among `contributions`, as the feedback report counts them (registered in
    `campaigns.sections`): one query, and one group object per campaign, whatever the members."""
    rows = CampaignMembership.objects.filter(
        contribution__in=contributions.values("pk")
    ).values_list(
        "contribution_id", "campaign_id", "campaign__size", "campaign__template_id",
        "campaign__process__slug",
    )  # fmt: skip
    groups: dict[int, InputGroup] = {}
    by_member: dict[int, InputGroup] = {}
    for member, campaign, size, template, slug in rows:
        if campaign not in groups:
            url = reverse("campaigns:detail", kwargs={"slug": slug, "campaign_id": campaign})
            groups[campaign] = InputGroup(
                group_id=campaign, size=size, template_id=template, url=url
            )
        by_member[member] = groups[campaign]
    return by_member


def fold_campaign_members(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """`contributions` without the campaign members that an earlier member (lower id) among them
    stands for (registered in `campaigns.sections`): the public list shows a campaign once, with
    its count. The database folds and nothing is loaded.

    A row stays when it is in no campaign, or when it is the first (lowest id) of its campaign
    among `contributions`: the first members are one GROUP BY over the campaigns' members,
    computed once per query. (A correlated "no earlier member among `contributions`" re-filtered
    the whole set for every row: 4 s for the first page of 100,000 inputs on SQLite.)"""
    firsts = (
        CampaignMembership.objects.filter(contribution__in=contributions.values("pk"))
        .order_by()
        .values("campaign_id")
        .annotate(first=Min("contribution_id"))
        .values("first")
    )
    in_campaign = Exists(CampaignMembership.objects.filter(contribution_id=OuterRef("pk")))
    return contributions.filter(~in_campaign | Q(pk__in=firsts))


def count_campaign_folding(contributions: QuerySet[Contribution]) -> tuple[int, int]:
    """(inputs in `contributions`, rows once `fold_campaign_members` folds them), registered in
    `campaigns.sections`: one aggregate over the inputs and their memberships (an input is in one
    campaign at most), as the inputs less the members plus one row per campaign among them."""
    figures = contributions.order_by().aggregate(
        inputs=Count("pk"),
        members=Count("campaign_membership"),
        campaigns=Count("campaign_membership__campaign", distinct=True),
    )
    inputs: int = figures["inputs"]
    return inputs, inputs - figures["members"] + figures["campaigns"]


# Detection runs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DetectionStatus:
    """What the campaigns page says of detection: a run under way, when the shown campaigns were
    found, and (for those who answer inputs only) why the latest run failed."""

    active: DetectionRun | None  # queued or running (not stalled)
    last_result_at: datetime | None
    failed: DetectionRun | None  # the latest run, when it failed; None for the public


def detection_status(*, viewer: Actor | None, process: Process) -> DetectionStatus:
    """Three small indexed reads, whatever the number of inputs."""
    runs = DetectionRun.objects.filter(process=process)
    latest = runs.order_by("-id").first()
    active = latest if latest is not None and latest.status in ACTIVE_RUN_STATUSES else None
    stalled = active is not None and active.updated_at < timezone.now() - STALE_AFTER
    last_done = runs.filter(status=RunStatus.DONE).order_by("-id").first()
    if last_done is not None:
        last_result_at = last_done.finished_at
    else:  # campaigns found before runs were recorded
        last_result_at = Campaign.objects.filter(process=process).aggregate(at=Max("created_at"))[
            "at"
        ]
    failed = latest if latest is not None and latest.status == RunStatus.FAILED else None
    return DetectionStatus(
        active=None if stalled else active,
        last_result_at=last_result_at,
        failed=failed if can_dispose(viewer, process) else None,
    )
