"""Fixtures for contributions: a draft version with sections, on the shared process; an
organisation the participant represents."""

import pytest

from polyvox.drafts.models import DraftVersion, Section
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import make_organisation, make_version


@pytest.fixture
def version(process: Process) -> DraftVersion:
    return make_version(process)


@pytest.fixture
def section(version: DraftVersion) -> Section:
    return version.sections.get(anchor="scope")


@pytest.fixture
def rhizomatica(participant: User) -> Organisation:
    """An organisation `participant` (Amina) administers, hence represents."""
    return make_organisation("Rhizomatica", admin=participant)
