"""Fixtures for statements: a deliberation phase, and crowds of voters from stakeholder groups."""

from collections.abc import Callable

import pytest

from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from polyvox.processes.phase_types import PhaseKind
from polyvox.statements.models import Statement, StatementStatus
from tests.factories import PhaseFactory, UserFactory


@pytest.fixture
def deliberation(process: Process) -> Phase:
    return PhaseFactory(process=process, kind=PhaseKind.DELIBERATION, title="Deliberation")


@pytest.fixture
def make_statement(process: Process) -> Callable[..., Statement]:
    def make(text: str, **kwargs: object) -> Statement:
        return Statement.objects.create(
            process=process,
            text=text,
            status=kwargs.pop("status", StatementStatus.ACCEPTED),
            **kwargs,
        )

    return make


@pytest.fixture
def make_voters(db: None) -> Callable[..., list[User]]:
    """`n` users of one stakeholder group (and optionally organisation)."""

    def make(n: int, prefix: str, **profile: object) -> list[User]:
        users = [
            UserFactory(
                username=f"{prefix}{i}", profile={"stakeholder_group": "civil_society", **profile}
            )
            for i in range(n)
        ]
        if "organisation" in profile:
            for user in users:
                user.profile.organisation = profile["organisation"]
                user.profile.save()
        return users

    return make
