"""The organisations imported rows speak for: each distinct name, found or registered once.

A row's `organisation` column marks it as sent on that organisation's behalf, and an input made on
an organisation's behalf points at its record (`Contribution.on_behalf_of`). Names are compared
case-insensitively with spaces collapsed (as the free-text migration and registration compare
them): an active organisation with that name is used, otherwise one unverified organisation is
registered per name, with the stakeholder group and country of the first row naming it and a
public `registered` event saying it came from an import. A handful of queries whatever the number
of rows or names: names are few, rows are many.
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.text import slugify

from polyvox.campaigns.importing.rows import CleanRow
from polyvox.organisations.models import Organisation, OrganisationEvent, OrganisationEventKind
from polyvox.organisations.services.rules import RESERVED_SLUGS, SLUG_BASE_MAX

NAMES_PER_QUERY = 200  # OR-ed lookups per query: SQLite's expression depth limit is 1000


def name_key(name: str) -> str:
    """How two spellings of one organisation's name compare: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(names: dict[str, str]) -> dict[str, Organisation]:
    """key → the active organisation with that name (the oldest, should there be two)."""
    found: dict[str, Organisation] = {}
    for chunk in _chunks(list(names.values()), NAMES_PER_QUERY):
        matches = Organisation.objects.active().filter(
            reduce(or_, (Q(name__iexact=name) for name in chunk))
        )
        for organisation in matches.order_by("id"):
            found.setdefault(name_key(organisation.name), organisation)
    return found


def _slugs(names: list[str]) -> list[str]:
    """An unused slug for each new name ("acme", then "acme-2"…), in one query per chunk."""
    bases = [slugify(name)[:SLUG_BASE_MAX].strip("-") or "organisation" for name in names]
    taken = set(RESERVED_SLUGS)
    for chunk in _chunks(sorted(set(bases)), NAMES_PER_QUERY):
        taken.update(
            Organisation.objects.filter(reduce(or_, (Q(slug__startswith=b) for b in chunk)))
            .order_by()
            .values_list("slug", flat=True)
        )
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def organisations_for(rows: list[CleanRow]) -> dict[str, Organisation]:
    """name key → the organisation the rows naming it speak for, registering the missing ones
    (unverified). Called inside the import's transaction, before the rows are written."""
    names: dict[str, str] = {}
    first_row: dict[str, CleanRow] = {}
    for row in rows:
        name = row.values["organisation"]
        if name and (key := name_key(name)) not in names:
            names[key], first_row[key] = " ".join(name.split()), row
    if not names:
        return {}
    found = _existing(names)
    missing = [key for key in names if key not in found]
    if missing:
        created = Organisation.objects.bulk_create(
            Organisation(
                name=names[key],
                slug=slug,
                stakeholder_group=first_row[key].values["stakeholder_group"],
                country=first_row[key].values["country"],
            )
            for key, slug in zip(missing, _slugs([names[k] for k in missing]), strict=True)
        )
        OrganisationEvent.objects.bulk_create(
            OrganisationEvent(
                organisation=organisation,
                kind=OrganisationEventKind.REGISTERED,
                detail={"source": "import"},
            )
            for organisation in created
        )
        found.update(zip(missing, created, strict=True))
    return found
