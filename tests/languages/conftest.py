"""Helpers for the language tests: a process run in English, French and Arabic, its translator."""

import pytest

from polyvox.drafts.models import DraftVersion, Section
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process, Role
from tests.factories import ProcessFactory, UserFactory, make_version


@pytest.fixture
def trilingual(db: None) -> Process:
    return ProcessFactory(
        title="Data governance",
        mandate="Gather views on **data** governance.",
        languages=["en", "fr", "ar"],
    )


@pytest.fixture
def translator(trilingual: Process) -> User:
    user = UserFactory(username="tariq")
    Membership.objects.create(process=trilingual, user=user, role=Role.TRANSLATOR)
    return user


@pytest.fixture
def version(process: Process) -> DraftVersion:
    return make_version(process)


@pytest.fixture
def section(version: DraftVersion) -> Section:
    return version.sections.get(anchor="scope")
