"""Reads of campaigns (public: counts, templates, additions — never names or e-mail domains);
the secretariat-only signals of inauthenticity are in `abuse_signals`.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.campaigns.models import (
    ACTIVE_RUN_STATUSES,
    STALE_AFTER,
    Campaign,
    CampaignMembership,
    DetectionRun,
    RunStatus,
)
from polyvox.contributions.input_groups import InputGroup
from polyvox.contributions.models import Contribution, Disposition, Outcome
from polyvox.contributions.permissions import can_dispose
from polyvox.core.permissions import Actor
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.processes.models import Process


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
