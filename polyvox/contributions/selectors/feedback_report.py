"""The public feedback report of a draft version: every input, its answer and linked changes.

Inputs answered as one (a campaign of near-identical submissions, registered by `polyvox.campaigns`
in `contributions.input_groups`) are one argument. The report lists each campaign once, as its template with
`supporters` = the campaign's size and a link to the campaign page; every member keeps its own
page. Figures: `overall` counts inputs with each campaign counted once (answered when the campaign's
template is); `submissions` counts every submission, members included, each by its own answer; the
tables by stakeholder group and by region count submissions, since a campaign's members belong to
many groups and regions.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from polyvox.contributions.input_groups import InputGroup, input_groups
from polyvox.contributions.models import Contribution, ContributionKind, Disposition, Outcome
from polyvox.contributions.selectors.threads import with_answers
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_of


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
    organisation: str  # the byline's organisation, "" unless the input speaks for one
    on_behalf_of_organisation: bool
    organisation_slug: str  # that organisation's, for the link to its page; "" when none
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
    group_url: str = ""  # the campaign's page

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


def _reported(contribution: Contribution, group: InputGroup | None = None) -> ReportedInput:
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
        organisation_slug=contribution.on_behalf_of.slug if contribution.on_behalf_of else "",
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
        campaign_id=group.group_id if group else None,
        supporters=group.size if group else 1,
        group_url=group.url if group else "",
    )


def _entries(
    contributions: list[Contribution], groups: dict[int, InputGroup]
) -> list[tuple[Contribution, InputGroup | None]]:
    """(contribution that stands for the entry, its group) — each group once, in order.

    A group stands as its template, or as its first visible member here when the template is
    hidden; it takes the place of its first member on this version.
    """
    seen: dict[int, InputGroup] = {}
    first_member: dict[int, Contribution] = {}
    order: list[Contribution | InputGroup] = []
    for contribution in contributions:
        group = groups.get(contribution.pk)
        if group is None:
            order.append(contribution)
        elif group.group_id not in seen:
            seen[group.group_id], first_member[group.group_id] = group, contribution
            order.append(group)
    templates = {
        c.pk: c
        for c in with_answers(
            Contribution.objects.public().filter(pk__in=[g.template_id for g in seen.values()])
        ).select_related("disposition__duplicate_of")
    }
    return [
        (item, None)
        if isinstance(item, Contribution)
        else (templates.get(item.template_id) or first_member[item.group_id], item)
        for item in order
    ]


def feedback_report(*, version: DraftVersion) -> FeedbackReport:
    """Every input on `version` (replies are dialogue, not inputs), its answer and linked changes.

    A campaign (an input group) is one entry with its supporters (see the module docstring for the figures).
    """
    inputs_on_version = (
        Contribution.objects.public()
        .filter(draft_version=version)
        .exclude(kind=ContributionKind.REPLY)
    )
    contributions = list(
        with_answers(inputs_on_version).select_related("disposition__duplicate_of")
    )
    entries = _entries(contributions, input_groups(inputs_on_version))
    inputs = tuple(_reported(c, group) for c, group in entries)
    next_version = version.draft.versions.published().filter(number=version.number + 1).first()
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
