"""Inputs answered as one: groups (campaigns) that the feedback report counts once.

Campaign detection lives above contributions (`polyvox.campaigns`), so it registers how to find
the groups in its `AppConfig.ready()`; the feedback report asks here without knowing campaigns.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Func, QuerySet, Subquery
from django.db.models.functions import Coalesce

from polyvox.contributions.models import Contribution


@dataclass(frozen=True)
class InputGroup:
    """A group of inputs answered as one: its id, size, the input that stands for it, its page."""

    group_id: int
    size: int
    template_id: int
    url: str


# Given the inputs of a report (a query, so it never loads them), their groups by input id.
GroupFinder = Callable[[QuerySet[Contribution]], dict[int, InputGroup]]

_finders: dict[str, GroupFinder] = {}


def register_input_groups(key: str, finder: GroupFinder) -> None:
    """Called from an app's ready(); `key` names the kind of group (registering again replaces)."""
    _finders[key] = finder


# Given inputs (a query), the same query without the members that an earlier member of their
# group stands for: lists show a group once, and the database does the folding, not Python.
GroupFolder = Callable[[QuerySet[Contribution]], QuerySet[Contribution]]

_folders: dict[str, GroupFolder] = {}


def register_group_folding(key: str, folder: GroupFolder) -> None:
    """Called from an app's ready(), beside `register_input_groups` (registering again replaces)."""
    _folders[key] = folder


def fold_input_groups(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """`contributions` with each group reduced to the one member that stands for it."""
    for key in sorted(_folders):
        contributions = _folders[key](contributions)
    return contributions


# Given inputs (a query): how many there are, and how many rows they make once folded, from one
# aggregate query, so a list pages its folded rows without reading the inputs twice.
GroupCounter = Callable[[QuerySet[Contribution]], tuple[int, int]]

_counters: dict[str, GroupCounter] = {}


def register_group_counting(key: str, counter: GroupCounter) -> None:
    """Called from an app's ready(), beside `register_group_folding` (registering again replaces)."""
    _counters[key] = counter


def folded_counts(contributions: QuerySet[Contribution]) -> tuple[int, int]:
    """(inputs in `contributions`, rows of `fold_input_groups(contributions)`): one query when one
    kind of group folds and counts them; two counts otherwise."""
    if not _folders:
        inputs = contributions.count()
        return inputs, inputs
    if len(_folders) == 1 and set(_counters) == set(_folders):
        return _counters[next(iter(_counters))](contributions)
    return contributions.count(), fold_input_groups(contributions).count()


# An expression over an input row (a join path `F(...)`, or a subquery on `OuterRef("pk")`) that
# gives the id of the input that stands for the row's group (its template), NULL when the row is
# in no group: the feedback report's figures count each group once by its template's answer.
GroupTemplate = Callable[[], Subquery | F]

_templates: dict[str, GroupTemplate] = {}


def register_group_templates(key: str, template: GroupTemplate) -> None:
    """Called from an app's ready(), beside `register_input_groups` (registering again replaces)."""
    _templates[key] = template


def group_template() -> Subquery | F | Func | None:
    """The template id of an input row's group (see `GroupTemplate`), or None when no app
    registers groups."""
    expressions = [_templates[key]() for key in sorted(_templates)]
    if len(expressions) > 1:
        return Coalesce(*expressions)
    return expressions[0] if expressions else None


def input_groups(contributions: QuerySet[Contribution]) -> dict[int, InputGroup]:
    """Input id → its group, for the inputs in `contributions` that belong to one."""
    groups: dict[int, InputGroup] = {}
    for key in sorted(_finders):
        groups.update(_finders[key](contributions))
    return groups


def input_groups_of(contribution_ids: list[int]) -> dict[int, InputGroup]:
    """Input id → its group for one page of inputs (the workbench's campaign column): one query
    per registered kind of group, whatever the page holds."""
    if not contribution_ids:
        return {}
    return input_groups(Contribution.objects.filter(pk__in=contribution_ids))
