"""Fixtures for a participant's experience: a process taking votes, and a way to read pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from polyvox.processes.phase_types import PhaseKind
from tests.factories import PhaseFactory


@pytest.fixture
def deliberation(process: Process) -> Phase:
    """A deliberation phase (votes are taken) open for five more days."""
    return PhaseFactory(
        process=process,
        kind=PhaseKind.DELIBERATION,
        title="Deliberation",
        ends_at=timezone.now() + timedelta(days=5, hours=1),
    )


@pytest.fixture
def signed_in(client: Client, participant: User) -> Client:
    client.force_login(participant)
    return client
