"""Reads about inputs made on behalf of organisations: the public inputs an organisation's page
lists."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from polyvox.contributions.models import Contribution
from polyvox.core.permissions import Actor
from polyvox.organisations.models import Organisation
from polyvox.organisations.selectors import organisation_family_ids
from polyvox.processes.models import Process
from polyvox.processes.selectors import processes_for

ORGANISATION_PAGE_INPUTS = 20  # the latest inputs an organisation's page lists


@dataclass(frozen=True)
class ProcessInputs:
    """A process with inputs on an organisation's behalf, and how many (its public list, filtered
    by the organisation, shows them all)."""

    process: Process
    count: int


@dataclass(frozen=True)
class InputsOnBehalf:
    """The latest public inputs made on an organisation's behalf, and how many there are."""

    latest: list[Contribution]
    total: int
    by_process: list[ProcessInputs]


def public_inputs_on_behalf(*, viewer: Actor | None, organisation: Organisation) -> InputsOnBehalf:
    """Visible inputs made on behalf of `organisation` (or of a duplicate merged into it) in the
    processes `viewer` may read: the latest `ORGANISATION_PAGE_INPUTS`, newest first, the total
    and the count in each process, counted by the database (three queries, however many)."""
    inputs: QuerySet[Contribution] = Contribution.objects.public().filter(
        on_behalf_of_id__in=organisation_family_ids(organisation),
        process__in=processes_for(viewer=viewer).order_by().values("pk"),
    )
    latest = list(
        inputs.select_related("process", "on_behalf_of").order_by("-created_at", "-id")[
            :ORGANISATION_PAGE_INPUTS
        ]
    )
    counts = dict(
        inputs.order_by()
        .values("process_id")
        .annotate(n=Count("id"))
        .values_list("process_id", "n")
    )
    processes = Process.objects.filter(pk__in=counts).order_by("title", "id") if counts else []
    return InputsOnBehalf(
        latest=latest,
        total=sum(counts.values()),
        by_process=[ProcessInputs(p, counts[p.pk]) for p in processes],
    )
