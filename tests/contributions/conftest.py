"""Fixtures for contributions: a draft version with sections, on the shared process."""

import pytest

from polyvox.drafts.models import DraftVersion, Section
from polyvox.processes.models import Process
from tests.factories import make_version


@pytest.fixture
def version(process: Process) -> DraftVersion:
    return make_version(process)


@pytest.fixture
def section(version: DraftVersion) -> Section:
    return version.sections.get(anchor="scope")
