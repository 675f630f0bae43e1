"""Migration `organisations/0002_from_free_text`: profiles' free-text organisations and the inputs
made on their behalf become unverified organisation records, and no input loses its byline.

The database is taken back to the state before organisations were records, filled the way the
old code filled it, and migrated forward again; the latest state is restored at the end.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from polyvox.contributions.models import Contribution
from polyvox.organisations.models import (
    Organisation,
    OrganisationEvent,
    Representative,
    RepresentativeRole,
    RepresentativeStatus,
)

BEFORE = [
    ("contributions", "0005_stored_search_document"),
    ("participants", "0001_initial"),
    ("organisations", "0001_initial"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets`; the apps registry of the state the database is then in."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
    return loader.project_state(applied).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationLoader(connection).graph.leaf_nodes()


@pytest.fixture
def old_apps(transactional_db: None) -> Iterator[Any]:
    """The apps as they were before organisations were records; the latest state afterwards."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(_latest())


def _person(apps: Any, username: str, organisation: str, speaks: bool, group: str, country: str):
    User = apps.get_model("participants", "User")
    Profile = apps.get_model("participants", "Profile")
    user = User.objects.create(username=username, email=f"{username}@example.org")
    Profile.objects.create(
        user=user,
        display_name=username.title(),
        stakeholder_group=group,
        country=country,
        organisation=organisation,
        speaks_for_organisation=speaks,
    )
    return user


def _input(apps: Any, process: Any, author: Any, number: int, byline: str, on_behalf: bool):
    Contribution = apps.get_model("contributions", "Contribution")
    return Contribution.objects.create(
        process=process,
        kind="general",
        author=author,
        author_name=author.username.title(),
        stakeholder_group="civil_society",
        country="MX",
        organisation=byline,
        on_behalf_of_organisation=on_behalf,
        body=f"Input {number}.",
        tracking_number=f"PVX-{process.pk}-{number:05d}",
    )


@pytest.mark.django_db(transaction=True)
def test_free_text_organisations_become_unverified_records_and_no_byline_is_lost(old_apps):
    apps = old_apps
    # Two profiles name one organisation with different spacing and case; the second speaks for
    # it first (by id order, the earliest speaker becomes its administrator).
    ana = _person(apps, "ana", "rhizomatica", False, "civil_society", "MX")
    bo = _person(apps, "bo", "Rhizomatica", True, "civil_society", "MX")
    cy = _person(apps, "cy", "  RHIZOMATICA  ", True, "technical_community", "BR")
    dee = _person(apps, "dee", "Tunapanda Institute", False, "academia", "KE")
    Process = apps.get_model("processes", "Process")
    process = Process.objects.create(
        slug="wsis", title="WSIS+20", mandate="Review.", created_by=ana
    )
    inputs = [
        _input(apps, process, bo, 1, "Rhizomatica", True),
        _input(apps, process, cy, 2, "RHIZOMATICA", True),
        _input(apps, process, ana, 3, "rhizomatica", False),  # an affiliation, not on behalf
        _input(apps, process, dee, 4, "Tunapanda Institute", False),
        _input(apps, process, dee, 5, "Old Org  Name", True),  # no profile names it any more
        _input(apps, process, ana, 6, "", True),  # on behalf of nothing: never shown
    ]

    _migrate(_latest())

    organisations = {o.name.casefold(): o for o in Organisation.objects.all()}
    assert sorted(organisations) == ["old org name", "rhizomatica", "tunapanda institute"]
    assert all(not o.is_verified and o.merged_into_id is None for o in organisations.values())
    rhizomatica = organisations["rhizomatica"]
    assert (rhizomatica.stakeholder_group, rhizomatica.country) == ("civil_society", "MX")
    standing = Representative.objects.filter(organisation=rhizomatica).order_by("id")
    assert [(r.user_id, r.role, r.status) for r in standing] == [
        (bo.pk, RepresentativeRole.ADMINISTRATOR, RepresentativeStatus.APPROVED),
        (cy.pk, RepresentativeRole.REPRESENTATIVE, RepresentativeStatus.APPROVED),
    ]
    # Naming an organisation without speaking for it makes no representative.
    assert not Representative.objects.filter(user_id__in=[ana.pk, dee.pk]).exists()
    assert OrganisationEvent.objects.filter(kind="migrated").count() == 3

    after = {c.tracking_number: c for c in Contribution.objects.select_related("on_behalf_of")}
    assert sorted(after) == sorted(i.tracking_number for i in inputs)  # no input lost
    assert [
        (
            after[i.tracking_number].organisation,
            after[i.tracking_number].on_behalf_of_organisation,
            after[i.tracking_number].on_behalf_of.name
            if after[i.tracking_number].on_behalf_of
            else None,
        )
        for i in inputs
    ] == [
        ("Rhizomatica", True, rhizomatica.name),
        ("RHIZOMATICA", True, rhizomatica.name),
        ("rhizomatica", False, None),
        ("Tunapanda Institute", False, None),
        ("Old Org  Name", True, "Old Org Name"),
        ("", False, None),
    ]
