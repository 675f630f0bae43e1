"""The feedback report's rows and figures as database queries, never a load of every input.

`report_inputs` are the inputs on a version (replies are dialogue, not inputs); `report_entries`
are its rows: each campaign folded by the database into one row (`fold_input_groups`), annotated
`stand_in`, the input that stands for the row (the campaign's template when it is visible, else
the row itself). The figures are GROUP BY counts over those queries; the region of a country is
looked up over the grouped counts (one per country), not per input.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import BigIntegerField, Case, Count, Exists, F, Min, OuterRef, QuerySet, When
from django.utils.translation import gettext as _

from polyvox.contributions.input_groups import fold_input_groups, group_template
from polyvox.contributions.models import Contribution, ContributionKind, Disposition
from polyvox.drafts.models import DraftVersion, Section
from polyvox.participants.models import StakeholderGroup
from polyvox.participants.regions import region_name, region_of

CHUNK = 500  # rows read per query when a whole report is streamed (memory is per chunk)


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
class FeedbackFigures:
    overall: Share  # inputs, each campaign counted once
    by_stakeholder_group: tuple[Share, ...]  # submissions, every campaign member counted
    by_region: tuple[Share, ...]  # submissions, every campaign member counted
    submissions: Share  # every submission, campaign members included


@dataclass(frozen=True)
class SectionInputs:
    """A section of the next version and the inputs whose answers link to it (`inputs` may hold
    only the first of them, `count` is all of them)."""

    anchor: str
    heading: str
    inputs: tuple[str, ...]
    count: int = 0


def report_inputs(version: DraftVersion) -> QuerySet[Contribution]:
    """The visible inputs on `version`: every campaign member counted."""
    return (
        Contribution.objects.public()
        .filter(draft_version=version)
        .exclude(kind=ContributionKind.REPLY)
    )


def report_rows(version: DraftVersion) -> QuerySet[Contribution]:
    """One row per entry of the report, oldest first, each campaign once (at its first member)."""
    return fold_input_groups(report_inputs(version)).order_by("created_at", "id")


def report_entries(version: DraftVersion) -> QuerySet[Contribution]:
    """`report_rows` annotated `stand_in`: the id of the input whose answer the entry shows."""
    entries = report_rows(version)
    template = group_template()
    if template is None:
        return entries.annotate(stand_in=F("pk"))
    visible_template = Exists(Contribution.objects.public().filter(pk=OuterRef("group_template")))
    return entries.annotate(group_template=template).annotate(
        stand_in=Case(
            When(visible_template, then=F("group_template")),
            default=F("pk"),
            output_field=BigIntegerField(),
        )
    )


def _region(country: str) -> tuple[str, str]:
    """(key, label) of the UN M49 region of a country code: the key in English, the label in the
    page's language."""
    region = region_of(country)
    return (region.region, region_name(region.region)) if region else ("", _("Not stated"))


def _sorted_shares(counts: dict[str, list[int]], labels: dict[str, str]) -> tuple[Share, ...]:
    return tuple(
        Share(key, labels[key], answered, total)
        for key, (answered, total) in sorted(counts.items(), key=lambda item: labels[item[0]])
    )


IDS_PER_QUERY = 10_000  # ids in one IN list (SQLite allows 32,766 parameters)


def _entry_tallies(inputs: QuerySet[Contribution]) -> tuple[int, int]:
    """(entries answered, entries): inputs outside groups by their own answer, each group once by
    the answer of the input that stands for it (its template when visible, else its first member
    here, as `fold_input_groups` keeps). One grouped query over the inputs (a row per group), then
    the stand-ins' answers, `IDS_PER_QUERY` ids at a time."""
    template = group_template()
    if template is None:
        every = inputs.order_by().aggregate(total=Count("pk"), answered=Count("disposition"))
        return every["answered"], every["total"]
    rows = (
        inputs.order_by()
        .annotate(group_template=template)
        .values("group_template")
        .annotate(total=Count("pk"), answered=Count("disposition"), first=Min("pk"))
        .values_list("group_template", "total", "answered", "first")
    )
    answered = total = 0
    groups: list[tuple[int, int]] = []  # (template, first member here)
    for group, size, done, first in rows:
        if group is None:
            answered, total = answered + done, total + size
        else:
            groups.append((group, first))
    ids = sorted({pk for pair in groups for pk in pair})
    visible: set[int] = set()
    has_answer: set[int] = set()
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        for pk, hidden_at, disposition in Contribution.objects.filter(pk__in=chunk).values_list(
            "pk", "hidden_at", "disposition"
        ):
            if hidden_at is None:
                visible.add(pk)
            if disposition is not None:
                has_answer.add(pk)
    for group, first in groups:
        stand_in = group if group in visible else first
        answered += stand_in in has_answer
    return answered, total + len(groups)


def feedback_figures(version: DraftVersion) -> FeedbackFigures:
    """The report's figures: one GROUP BY query by stakeholder group and country (regions and
    totals are sums of its rows), and `_entry_tallies`; none reads the inputs one by one."""
    inputs = report_inputs(version)
    groups = dict(StakeholderGroup.choices)
    by_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    group_labels: dict[str, str] = {}
    by_region: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    region_labels: dict[str, str] = {}
    every = [0, 0]
    rows = (
        inputs.order_by()
        .values("stakeholder_group", "country")
        .annotate(total=Count("pk"), answered=Count("disposition"))
        .values_list("stakeholder_group", "country", "answered", "total")
    )
    for group, country, answered, total in rows:
        group_labels[group] = str(groups.get(group, group))
        key, region_labels[key] = _region(country)
        for tally in (by_group[group], by_region[key], every):
            tally[0] += answered
            tally[1] += total
    entries_answered, entries = _entry_tallies(inputs)
    return FeedbackFigures(
        overall=Share("all", _("All inputs"), entries_answered, entries),
        by_stakeholder_group=_sorted_shares(dict(by_group), group_labels),
        by_region=_sorted_shares(dict(by_region), region_labels),
        submissions=Share(
            "submissions",
            _("All submissions (every campaign member counted)"),
            every[0],
            every[1],
        ),
    )


def _linked_entries(version: DraftVersion, next_version: DraftVersion) -> Iterator[tuple[str, int]]:
    """(tracking number of the entry's stand-in, section id of `next_version` its answer changed),
    in the report's order: the entries with such a change only, read `CHUNK` at a time."""
    through = Disposition.changed_sections.through
    changes = through.objects.filter(section__version=next_version)
    entries = (
        report_entries(version)
        .filter(Exists(changes.filter(disposition__contribution_id=OuterRef("stand_in"))))
        .values_list("stand_in", flat=True)  # type: ignore[misc]  # an annotation
        .iterator(chunk_size=CHUNK)
    )
    while chunk := list(islice(entries, CHUNK)):
        sections: dict[int, list[int]] = defaultdict(list)
        for contribution, section in changes.filter(
            disposition__contribution_id__in=chunk
        ).values_list("disposition__contribution_id", "section_id"):
            sections[contribution].append(section)
        numbers = dict(
            Contribution.objects.filter(pk__in=chunk).values_list("pk", "tracking_number")
        )
        for stand_in in chunk:
            for section in sections[stand_in]:
                yield numbers[stand_in], section


def next_version_sections(
    version: DraftVersion, next_version: DraftVersion, *, shown: int | None
) -> tuple[SectionInputs, ...]:
    """Each section of `next_version` with the inputs (tracking numbers, in the report's order)
    whose answers changed it: the first `shown` of them, or all when `shown` is None."""
    listed: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for number, section in _linked_entries(version, next_version):
        counts[section] += 1
        if shown is None or len(listed[section]) < shown:
            listed[section].append(number)
    sections: QuerySet[Section] = next_version.sections.order_by("order")
    return tuple(
        SectionInputs(s.anchor, s.heading, tuple(listed.get(s.pk, ())), counts.get(s.pk, 0))
        for s in sections
    )
