"""Reads of contributions: threads, the secretariat workbench, and the public feedback report.

Campaigns in the feedback report: the members of one campaign (near-identical submissions, see
`polyvox.campaigns`) are one argument. The report lists each campaign once, as its template with
`supporters` = the campaign's size and a link to the campaign page; every member keeps its own
page. Figures: `overall` counts inputs with each campaign counted once (answered when the campaign's
template is); `submissions` counts every submission, members included, each by its own answer; the
tables by stakeholder group and by region count submissions, since a campaign's members belong to
many groups and regions.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.campaigns.models import Campaign, CampaignMembership
from polyvox.contributions.models import Contribution, ContributionKind, Disposition, Outcome
from polyvox.contributions.permissions import can_dispose, can_see_hidden
from polyvox.core.permissions import Actor, require
from polyvox.drafts.models import DraftVersion, Section
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_of
from polyvox.processes.models import Process


@dataclass(frozen=True)
class ThreadNode:
    """A contribution and the replies to it, to any depth."""

    contribution: Contribution
    replies: tuple["ThreadNode", ...]


def _with_answers(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    # Everything the byline, section links and answer render, so a page of N inputs costs the
    # same few queries as a page of one (tests/invariants/test_query_counts.py).
    return queryset.select_related(
        "disposition__duplicate_of__process",
        "section__version__draft__process",
        "draft_version__draft",
        "parent",
        "process",
    ).prefetch_related("disposition__changed_sections__version__draft__process")


def _threads(roots: list[Contribution], replies: list[Contribution]) -> list[ThreadNode]:
    children: dict[int | None, list[Contribution]] = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)

    def build(node: Contribution, depth: int) -> ThreadNode:
        # Depth cap: only guards against a corrupted cycle; real threads are far shallower.
        kids = children.get(node.pk, []) if depth < 100 else []
        return ThreadNode(node, tuple(build(kid, depth + 1) for kid in kids))

    return [build(root, 0) for root in roots]


def contributions_for_section(*, viewer: Actor | None, section: Section) -> list[ThreadNode]:
    """Public threads on one section: each input with its replies."""
    public = _with_answers(Contribution.objects.public().filter(section=section))
    roots = [c for c in public if c.kind != ContributionKind.REPLY]
    return _threads(roots, [c for c in public if c.kind == ContributionKind.REPLY])


def threads_by_section(
    *, viewer: Actor | None, version: DraftVersion
) -> dict[int, list[ThreadNode]]:
    """Public threads on every section of `version`, in one query: section id → threads."""
    public = list(_with_answers(Contribution.objects.public().filter(section__version=version)))
    replies = [c for c in public if c.kind == ContributionKind.REPLY]
    by_section: dict[int, list[ThreadNode]] = defaultdict(list)
    roots = [c for c in public if c.kind != ContributionKind.REPLY]
    for node in _threads(roots, replies):
        by_section[node.contribution.section_id or 0].append(node)
    return dict(by_section)


MAX_THREAD_REPLIES = 10_000  # a guard against a runaway thread on one page, not a product limit


def contribution_thread(*, viewer: Actor | None, contribution: Contribution) -> ThreadNode:
    """The contribution with every public reply below it.

    Reads one level of replies per query, so a thread costs its depth in queries, not a read of
    every reply in the process."""
    replies: list[Contribution] = []
    level = [contribution.pk]
    while level and len(replies) < MAX_THREAD_REPLIES:
        found = list(_with_answers(Contribution.objects.public().filter(parent_id__in=level)))
        replies.extend(found)
        level = [reply.pk for reply in found]
    return _threads([contribution], replies)[0]


def access_contribution(
    *, viewer: Actor | None, process: Process, tracking_number: str
) -> Contribution:
    """One contribution by tracking number; hidden ones only for their author and the secretariat."""
    contribution = (
        _with_answers(Contribution.objects.filter(process=process, tracking_number=tracking_number))
        .prefetch_related("revisions")
        .first()
    )
    if contribution is None or (
        contribution.hidden_at is not None and not can_see_hidden(viewer, contribution)
    ):
        raise Http404(_("No such contribution."))
    return contribution


def contribution_to_answer(
    *, viewer: Actor | None, process: Process, tracking_number: str
) -> Contribution:
    """A contribution as the secretariat sees it on the answer page (hidden ones included)."""
    require(can_dispose(viewer, process), _("Only the secretariat answers contributions."))
    return access_contribution(viewer=viewer, process=process, tracking_number=tracking_number)


def public_contributions(*, viewer: Actor | None, process: Process) -> QuerySet[Contribution]:
    """Every visible contribution of a process, with its answer, oldest first."""
    return _with_answers(Contribution.objects.public().filter(process=process))


def workbench_contributions(
    *,
    viewer: Actor | None,
    process: Process,
    section_anchor: str | None = None,
    kind: str | None = None,
    stakeholder_group: str | None = None,
    answered: bool | None = None,
) -> QuerySet[Contribution]:
    """The secretariat's queue; replies appear only when asked for by kind."""
    require(can_dispose(viewer, process), _("Only the secretariat sees the workbench."))
    queryset = _with_answers(Contribution.objects.filter(process=process))
    queryset = queryset.filter(kind=kind) if kind else queryset.exclude(kind=ContributionKind.REPLY)
    if section_anchor:
        queryset = queryset.filter(section__anchor=section_anchor)
    if stakeholder_group:
        queryset = queryset.filter(stakeholder_group=stakeholder_group)
    if answered is not None:
        queryset = queryset.filter(disposition__isnull=not answered)
    return queryset


# Feedback report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedChange:
    version_number: int
    anchor: str
    heading: str


@dataclass(frozen=True)
class ReportedInput:
    """One input and what became of it; public fields only."""

    tracking_number: str
    kind: str
    kind_label: str
    author_name: str
    stakeholder_group: str
    organisation: str
    on_behalf_of_organisation: bool
    section_anchor: str
    title: str
    body: str
    submitted_at: datetime
    is_late: bool
    outcome: str
    outcome_label: str
    reason: str
    duplicate_of: str
    changes: tuple[LinkedChange, ...]
    # Set when this entry stands for a campaign: the campaign and how many submissions it has.
    campaign_id: int | None = None
    supporters: int = 1

    @property
    def answered(self) -> bool:
        return bool(self.outcome)


@dataclass(frozen=True)
class SectionInputs:
    """A section of the next version and the inputs whose answers link to it."""

    anchor: str
    heading: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Share:
    """Inputs answered out of inputs received, for everyone or for one group."""

    key: str
    label: str
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class FeedbackReport:
    process_slug: str
    process_title: str
    draft_slug: str
    draft_title: str
    version_number: int
    next_version_number: int | None
    inputs: tuple[ReportedInput, ...]
    next_version_sections: tuple[SectionInputs, ...]
    overall: Share  # inputs, each campaign counted once
    by_stakeholder_group: tuple[Share, ...]  # submissions, every campaign member counted
    by_region: tuple[Share, ...]  # submissions, every campaign member counted
    submissions: Share  # every submission, campaign members included


def _region(country: str) -> tuple[str, str]:
    """(key, label) of the UN M49 region of a country code."""
    region = region_of(country)
    return (region.region, region.region) if region else ("", _("Not stated"))


def _shares(rows: list[tuple[str, str, bool]]) -> tuple[Share, ...]:
    counts: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for key, label, answered in rows:
        labels[key] = label
        tally = counts.setdefault(key, [0, 0])
        tally[0] += int(answered)
        tally[1] += 1
    return tuple(
        Share(key, labels[key], answered, total)
        for key, (answered, total) in sorted(counts.items(), key=lambda item: labels[item[0]])
    )


def _reported(contribution: Contribution, campaign: Campaign | None = None) -> ReportedInput:
    disposition: Disposition | None = getattr(contribution, "disposition", None)
    changes = (
        tuple(
            LinkedChange(s.version.number, s.anchor, s.heading)
            for s in sorted(
                disposition.changed_sections.all(), key=lambda s: (s.version.number, s.order)
            )
        )
        if disposition
        else ()
    )
    return ReportedInput(
        tracking_number=contribution.tracking_number,
        kind=contribution.kind,
        kind_label=str(contribution.get_kind_display()),
        author_name=contribution.author_name,
        stakeholder_group=contribution.stakeholder_group,
        organisation=contribution.organisation if contribution.on_behalf_of_organisation else "",
        on_behalf_of_organisation=contribution.on_behalf_of_organisation,
        section_anchor=contribution.section.anchor if contribution.section else "",
        title=contribution.title,
        body=contribution.body,
        submitted_at=contribution.created_at,
        is_late=contribution.is_late,
        outcome=disposition.outcome if disposition else "",
        outcome_label=str(Outcome(disposition.outcome).label) if disposition else "",
        reason=disposition.reason if disposition else "",
        duplicate_of=(
            disposition.duplicate_of.tracking_number
            if disposition and disposition.duplicate_of
            else ""
        ),
        changes=changes,
        campaign_id=campaign.pk if campaign else None,
        supporters=campaign.size if campaign else 1,
    )


def _campaign_of(contribution: Contribution) -> Campaign | None:
    membership = getattr(contribution, "campaign_membership", None)
    return membership.campaign if membership is not None else None


def _entries(contributions: list[Contribution]) -> list[tuple[Contribution, Campaign | None]]:
    """(contribution that stands for the entry, its campaign) — each campaign once, in order.

    A campaign stands as its template, or as its first visible member here when the template is
    hidden; it takes the place of its first member on this version.
    """
    campaigns: dict[int, Campaign] = {}
    first_member: dict[int, Contribution] = {}
    order: list[Contribution | Campaign] = []
    for contribution in contributions:
        campaign = _campaign_of(contribution)
        if campaign is None:
            order.append(contribution)
        elif campaign.pk not in campaigns:
            campaigns[campaign.pk], first_member[campaign.pk] = campaign, contribution
            order.append(campaign)
    templates = {
        c.pk: c
        for c in _with_answers(
            Contribution.objects.public().filter(pk__in=[c.template_id for c in campaigns.values()])
        ).select_related("disposition__duplicate_of")
    }
    return [
        (item, None)
        if isinstance(item, Contribution)
        else (templates.get(item.template_id) or first_member[item.pk], item)
        for item in order
    ]


def feedback_report(*, version: DraftVersion) -> FeedbackReport:
    """Every input on `version` (replies are dialogue, not inputs), its answer and linked changes.

    A campaign is one entry with its supporters (see the module docstring for the figures).
    """
    contributions = list(
        _with_answers(
            Contribution.objects.public()
            .filter(draft_version=version)
            .exclude(kind=ContributionKind.REPLY)
            .select_related("disposition__duplicate_of", "campaign_membership__campaign")
        )
    )
    entries = _entries(contributions)
    inputs = tuple(_reported(c, campaign) for c, campaign in entries)
    next_version = version.draft.versions.filter(number=version.number + 1).first()
    sections: tuple[SectionInputs, ...] = ()
    if next_version is not None:
        by_section: dict[int, list[str]] = defaultdict(list)
        for contribution, _campaign in entries:
            disposition = getattr(contribution, "disposition", None)
            for section in disposition.changed_sections.all() if disposition else ():
                by_section[section.pk].append(contribution.tracking_number)
        sections = tuple(
            SectionInputs(s.anchor, s.heading, tuple(by_section.get(s.pk, ())))
            for s in next_version.sections.order_by("order")
        )
    groups = dict(StakeholderGroup.choices)
    answered = [(c.stakeholder_group, hasattr(c, "disposition")) for c in contributions]
    return FeedbackReport(
        process_slug=version.draft.process.slug,
        process_title=version.draft.process.title,
        draft_slug=version.draft.slug,
        draft_title=version.draft.title,
        version_number=version.number,
        next_version_number=next_version.number if next_version else None,
        inputs=inputs,
        next_version_sections=sections,
        overall=Share(
            "all",
            _("All inputs"),
            sum(item.answered for item in inputs),
            len(inputs),
        ),
        by_stakeholder_group=_shares(
            [(group, str(groups.get(group, group)), done) for group, done in answered]
        ),
        by_region=_shares(
            [(*_region(c.country), hasattr(c, "disposition")) for c in contributions]
        ),
        submissions=Share(
            "submissions",
            _("All submissions (every campaign member counted)"),
            sum(done for _g, done in answered),
            len(answered),
        ),
    )


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
