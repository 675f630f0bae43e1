"""Fixtures for statements: a deliberation phase, and crowds of voters from stakeholder groups."""

from collections.abc import Callable
from functools import partial

import pytest

from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from polyvox.processes.phase_types import PhaseKind
from polyvox.statements.models import Statement
from tests import factories
from tests.factories import PhaseFactory


@pytest.fixture
def deliberation(process: Process) -> Phase:
    return PhaseFactory(process=process, kind=PhaseKind.DELIBERATION, title="Deliberation")


@pytest.fixture
def make_statement(process: Process) -> Callable[..., Statement]:
    """`make_statement(text, **fields)`: a statement of the shared process."""
    return partial(factories.make_statement, process)


@pytest.fixture
def make_voters(db: None) -> Callable[..., list[User]]:
    """`make_voters(n, prefix, **profile)`: `n` users of one stakeholder group."""
    return factories.make_voters
