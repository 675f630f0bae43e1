"""The public feedback report of a draft version: every input, its answer and linked changes.

Inputs answered as one (a campaign of near-identical submissions, registered by `polyvox.campaigns`
in `contributions.input_groups`) are one argument. The report lists each campaign once, as its template with
`supporters` = the campaign's size and a link to the campaign page; every member keeps its own
page. Figures: `overall` counts inputs with each campaign counted once (answered when the campaign's
template is); `submissions` counts every submission, members included, each by its own answer; the
tables by stakeholder group and by region count submissions, since a campaign's members belong to
many groups and regions.

At 100,000 inputs nothing here loads every input: the figures are aggregate queries
(`feedback_figures`), and `FeedbackReport.inputs` is a lazy sequence that reads only the slice
asked for (a page: `Paginator` slices it) or, iterated, `CHUNK` rows at a time (the downloads).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import overload

from django.db.models import QuerySet

from polyvox.contributions.input_groups import InputGroup, input_groups_of
from polyvox.contributions.models import Contribution, Disposition, Outcome
from polyvox.contributions.selectors.feedback_figures import (
    CHUNK,
    SectionInputs,
    Share,
    feedback_figures,
    next_version_sections,
    report_rows,
)
from polyvox.drafts.models import DraftVersion

__all__ = [
    "FeedbackReport",
    "LinkedChange",
    "ReportedInput",
    "ReportedInputs",
    "SectionInputs",
    "Share",
    "feedback_report",
    "report_rows_with_answers",
    "reported_inputs",
]

SECTION_INPUTS_SHOWN = 50  # tracking numbers listed per section of the next version on the page


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


def _with_answers(rows: QuerySet[Contribution]) -> QuerySet[Contribution]:
    # Only what `_reported` reads: every related row joined costs a model per input, which is
    # most of the time of a 100,000-input download.
    return rows.select_related(
        "disposition__duplicate_of", "section", "on_behalf_of"
    ).prefetch_related("disposition__changed_sections__version")


def report_rows_with_answers(version: DraftVersion) -> QuerySet[Contribution]:
    """The report's entries (one row each, oldest first) loaded with their answers, for
    `reported_inputs` (the API pages them)."""
    return _with_answers(report_rows(version))


def reported_inputs(rows: Sequence[Contribution]) -> list[ReportedInput]:
    """Entries of the report (rows of `report_entries`, loaded with their answers) as reported
    inputs: each campaign shown as its template, or as its row when the template is hidden. A
    fixed number of queries for the rows' campaigns and templates, whatever their number."""
    groups = input_groups_of([row.pk for row in rows])
    template_ids = {group.template_id for group in groups.values()}
    templates = {
        c.pk: c
        for c in _with_answers(Contribution.objects.public().filter(pk__in=template_ids))
    } if template_ids else {}  # fmt: skip
    reported = []
    for row in rows:
        group = groups.get(row.pk)
        stand_in = templates.get(group.template_id, row) if group else row
        reported.append(_reported(stand_in, group))
    return reported


class ReportedInputs(Sequence[ReportedInput]):
    """The report's entries, read lazily: `len` is the figure already counted, a slice reads one
    page, iterating reads `CHUNK` rows (and their prefetches) at a time."""

    def __init__(self, entries: QuerySet[Contribution], total: int) -> None:
        self._entries = entries
        self._total = total

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, index: int) -> ReportedInput: ...

    @overload
    def __getitem__(self, index: slice) -> list[ReportedInput]: ...

    def __getitem__(self, index: int | slice) -> ReportedInput | list[ReportedInput]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._total)
            if step != 1:
                raise ValueError("ReportedInputs slices have no step.")
            return reported_inputs(list(_with_answers(self._entries)[start:stop])) if stop > start else []  # fmt: skip
        position = index + self._total if index < 0 else index
        if not 0 <= position < self._total:
            raise IndexError(index)
        return self[position : position + 1][0]

    def __iter__(self) -> Iterator[ReportedInput]:
        rows = _with_answers(self._entries).iterator(chunk_size=CHUNK)
        while chunk := list(islice(rows, CHUNK)):
            yield from reported_inputs(chunk)

    def __repr__(self) -> str:
        return f"<ReportedInputs: {self._total}>"


@dataclass(frozen=True)
class FeedbackReport:
    process_slug: str
    process_title: str
    draft_slug: str
    draft_title: str
    version_number: int
    next_version_number: int | None
    inputs: ReportedInputs
    next_version_sections: tuple[SectionInputs, ...]
    overall: Share  # inputs, each campaign counted once
    by_stakeholder_group: tuple[Share, ...]  # submissions, every campaign member counted
    by_region: tuple[Share, ...]  # submissions, every campaign member counted
    submissions: Share  # every submission, campaign members included


def feedback_report(
    *, version: DraftVersion, section_inputs_shown: int | None = None
) -> FeedbackReport:
    """Every input on `version` (replies are dialogue, not inputs), its answer and linked changes.

    A campaign (an input group) is one entry with its supporters (see the module docstring for
    the figures). `section_inputs_shown` caps the tracking numbers listed per section of the next
    version (each section keeps its full `count`); None lists them all (the downloads)."""
    figures = feedback_figures(version)
    next_version = version.draft.versions.published().filter(number=version.number + 1).first()
    sections = (
        next_version_sections(version, next_version, shown=section_inputs_shown)
        if next_version is not None
        else ()
    )
    return FeedbackReport(
        process_slug=version.draft.process.slug,
        process_title=version.draft.process.title,
        draft_slug=version.draft.slug,
        draft_title=version.draft.title,
        version_number=version.number,
        next_version_number=next_version.number if next_version else None,
        inputs=ReportedInputs(report_rows(version), figures.overall.total),
        next_version_sections=sections,
        overall=figures.overall,
        by_stakeholder_group=figures.by_stakeholder_group,
        by_region=figures.by_region,
        submissions=figures.submissions,
    )
