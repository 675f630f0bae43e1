"""The public list of a process's inputs: filtered, searched, each campaign shown once."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import DateTimeField, ExpressionWrapper, F, QuerySet, Value
from django.utils.functional import cached_property

from polyvox.contributions.input_groups import (
    InputGroup,
    fold_input_groups,
    folded_counts,
    input_groups,
)
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.contributions.search import search_contributions
from polyvox.contributions.selectors.threads import public_contributions
from polyvox.core.permissions import Actor
from polyvox.drafts.models import Section
from polyvox.organisations.models import Organisation
from polyvox.organisations.selectors import MAX_SLUG_CHARS, organisation_family_ids
from polyvox.processes.models import Process


@dataclass(frozen=True)
class ListedInput:
    """One row of the list: an input and, when it stands for a campaign, that campaign."""

    contribution: Contribution
    group: InputGroup | None


def organisation_filter(slug: str) -> Organisation | None:
    """The organisation a list is filtered by (merged duplicates too), or None for an unknown slug."""
    if not slug or len(slug) > MAX_SLUG_CHARS or "\x00" in slug:
        return None
    return Organisation.objects.filter(slug=slug).first()


def public_inputs(
    *,
    viewer: Actor | None,
    process: Process,
    query: str = "",
    kind: str = "",
    section: str = "",
    organisation: str = "",
    language: str = "",
) -> QuerySet[Contribution]:
    """Every visible input (no replies) matching the filters and the search, oldest first.

    `language` (a code) keeps the inputs written in it. `organisation` (a slug) keeps the inputs made on behalf of that organisation or of a duplicate
    merged into it; an unknown slug keeps none. The public downloads hold these rows, one per
    input; `public_list` folds campaigns."""
    inputs = public_contributions(viewer=viewer, process=process).exclude(
        kind=ContributionKind.REPLY
    )
    if kind:
        inputs = inputs.filter(kind=kind)
    if section:
        inputs = inputs.filter(section__anchor=section)
    if language:
        inputs = inputs.filter(language=language)
    if organisation:
        speaking_for = organisation_filter(organisation)
        if speaking_for is None:
            return inputs.none()
        inputs = inputs.filter(on_behalf_of_id__in=organisation_family_ids(speaking_for))
    return search_contributions(inputs, query)


def public_list(
    *,
    viewer: Actor | None,
    process: Process,
    query: str = "",
    kind: str = "",
    section: str = "",
    organisation: str = "",
    language: str = "",
) -> QuerySet[Contribution]:
    """`public_inputs` with each campaign reduced to its first member, folded by the database so a
    page of a flooded consultation never loads the campaign's other members."""
    listed = fold_input_groups(
        public_inputs(
            viewer=viewer,
            process=process,
            query=query,
            kind=kind,
            section=section,
            organisation=organisation,
            language=language,
        )
    )
    if not query.strip():
        return listed
    # The same order on a value no index holds: otherwise PostgreSQL walks the date index and
    # tests every input's text for a common word, row by row (1.1 s at 100,000), instead of
    # asking the full-text index (as the workbench does).
    shifted = ExpressionWrapper(F("created_at") + Value(timedelta(0)), output_field=DateTimeField())
    return listed.order_by(shifted.asc(), "id")


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count, for a list whose count came with another figure."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def public_list_counts(
    *,
    viewer: Actor | None,
    process: Process,
    query: str = "",
    kind: str = "",
    section: str = "",
    organisation: str = "",
    language: str = "",
) -> tuple[int, int]:
    """(inputs matching the filters, rows of `public_list`, each campaign once) in one query."""
    return folded_counts(
        public_inputs(
            viewer=viewer,
            process=process,
            query=query,
            kind=kind,
            section=section,
            organisation=organisation,
            language=language,
        )
    )


def listed_ids(listed: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """The ids of `listed` in its order, for the paginator: a page is chosen on ids alone (a
    "deferred join"), so the rows skipped before a deep page are never read or joined."""
    ids: QuerySet[Contribution] = listed.select_related(None).prefetch_related(None)
    return ids.values_list("pk", flat=True)  # type: ignore[return-value]


def listed_inputs(*, viewer: Actor | None, process: Process, ids: list[int]) -> list[ListedInput]:
    """The rows of one page (ids from `listed_ids`, in that order) with their answers and
    campaigns: the same few queries whatever the page holds."""
    found = public_contributions(viewer=viewer, process=process).filter(pk__in=ids)
    by_pk = {contribution.pk: contribution for contribution in found}
    page = [by_pk[pk] for pk in ids if pk in by_pk]
    groups = input_groups(Contribution.objects.filter(pk__in=ids))
    return [ListedInput(contribution, groups.get(contribution.pk)) for contribution in page]


def public_section_anchors(process: Process) -> list[str]:
    """The section anchors that visible inputs of `process` comment on, for the filter."""
    anchors = (
        Section.objects.filter(contributions__process=process, contributions__hidden_at=None)
        .values_list("anchor", flat=True)
        .distinct()
        .order_by("anchor")
    )
    return list(anchors)
