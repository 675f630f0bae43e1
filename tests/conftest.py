"""Shared fixtures: a process with an open phase, its secretariat, and participants."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from tests.factories import PhaseFactory, ProcessFactory, UserFactory, make_secretariat


@pytest.fixture(autouse=True)
def media_of_its_own(settings: Any, tmp_path: Path) -> None:
    """Each test stores uploads in its own folder: file names never collide across tests."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def record_signing_key(settings: Any, tmp_path: Path) -> None:
    """Each test has its own record signing key (checkpoints are signed as in production)."""
    from polyvox.record.keys import create_signing_key

    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "record.key"
    create_signing_key(settings.POLYVOX_RECORD_KEY_FILE, "polyvox.test")


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    """Each test starts in English: a page requested in another language must not leak into the
    next test (Django keeps the active language per thread)."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def process(db: None) -> Process:
    return ProcessFactory()


@pytest.fixture
def open_phase(process: Process) -> Phase:
    return PhaseFactory(process=process)


@pytest.fixture
def secretariat(process: Process) -> User:
    return make_secretariat(process, username="sofia")


@pytest.fixture
def participant(db: None) -> User:
    return UserFactory(username="amina")


@pytest.fixture
def other_participant(db: None) -> User:
    return UserFactory(
        username="kenji", profile={"stakeholder_group": "private_sector", "country": "JP"}
    )
