"""Reads about inputs made on behalf of organisations: the organisation an API call names, and
the public inputs an organisation's page lists."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.core.permissions import Actor
from polyvox.organisations.models import Organisation
from polyvox.organisations.selectors import organisation_family_ids
from polyvox.processes.models import Process
from polyvox.processes.selectors import processes_for

MAX_SLUG_CHARS = Organisation._meta.get_field("slug").max_length or 0
ORGANISATION_PAGE_INPUTS = 20  # the latest inputs an organisation's page lists


def organisation_named(slug: str | None) -> Organisation | None:
    """The organisation an API call posts for, by slug; None for "myself".

    Merged and unverified ones are found too: `submit_contribution` decides who may speak for
    which, so the refusal says why. An unknown slug is refused here (400), never a 500."""
    if slug is None or not slug.strip():
        return None
    text = slug.strip()
    found = (
        Organisation.objects.filter(slug=text).first()
        if len(text) <= MAX_SLUG_CHARS and "\x00" not in text
        else None
    )
    if found is None:
        raise ValidationError(
            {"on_behalf_of": _("No organisation has the slug “%(slug)s”.") % {"slug": text[:80]}}
        )
    return found


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
