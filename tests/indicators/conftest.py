"""Fixtures for the indicators page, its targets, the API and the quality report: a process with
an open comment phase, a published draft version, and inputs from several stakeholder groups
and regions, sent through the contributions service."""

import pytest

from polyvox.contributions.models import Contribution
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from tests.factories import UserFactory, make_version, submit_comment

# (username prefix, stakeholder group, country, how many): 6 from Kenyan civil society, 5 from
# the German private sector, 1 government official from Brazil.
AUTHORS = [
    ("cs", "civil_society", "KE", 6),
    ("ps", "private_sector", "DE", 5),
    ("gov", "government", "BR", 1),
]


@pytest.fixture
def version(process: Process, open_phase: Phase) -> DraftVersion:
    return make_version(process)


@pytest.fixture
def authors(db: None) -> list[User]:
    return [
        UserFactory(
            username=f"{prefix}{i}", profile={"stakeholder_group": group, "country": country}
        )
        for prefix, group, country, count in AUTHORS
        for i in range(count)
    ]


@pytest.fixture
def inputs(version: DraftVersion, authors: list[User]) -> list[Contribution]:
    """One comment per author on the version's first section."""
    section = version.sections.get(anchor="scope")
    return [submit_comment(author, section, f"Point {i}.") for i, author in enumerate(authors)]
