"""Shared fixtures: a process with an open phase, its secretariat, and participants."""

import pytest

from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from tests.factories import PhaseFactory, ProcessFactory, UserFactory, make_secretariat


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
