"""Fixtures for commitments: a process with a participant's and an organisation's commitments,
and a clock (`NOW`) the services are given, so "overdue" is checked without sleeping."""

from datetime import UTC, date, datetime, timedelta

import pytest

from polyvox.commitments.models import Commitment, CommitmentUpdate
from polyvox.commitments.services.following import post_update
from polyvox.commitments.services.making import make_commitment
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import UserFactory, make_organisation

NOW = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def commit(
    actor: User,
    process: Process,
    title: str = "Translate the guidelines",
    due: int = 30,
    **kwargs: object,
) -> Commitment:
    return make_commitment(
        actor=actor,
        process=process,
        title=title,
        due_on=days(due),
        now=kwargs.pop("now", NOW),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def report(
    actor: User, commitment: Commitment, status: str = "in_progress", **kwargs: object
) -> CommitmentUpdate:
    return post_update(
        actor=actor,
        commitment=commitment,
        status=status,
        text=kwargs.pop("text", "Half of the chapters are translated."),  # type: ignore[arg-type]
        now=kwargs.pop("now", NOW + timedelta(days=1)),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def representative(db: None) -> User:
    return UserFactory(username="rosa", profile={"country": "BR"})


@pytest.fixture
def colleague(db: None) -> User:
    """Another approved representative of the organisation."""
    return UserFactory(username="tomas")


@pytest.fixture
def organisation(representative: User, colleague: User) -> Organisation:
    from tests.factories import approve_representative

    organisation = make_organisation("Rhizomatica", admin=representative)
    approve_representative(organisation, colleague)
    return organisation


@pytest.fixture
def commitment(participant: User, process: Process) -> Commitment:
    """Amina's own commitment, due in 30 days."""
    return commit(participant, process)


@pytest.fixture
def organisation_commitment(
    representative: User, organisation: Organisation, process: Process
) -> Commitment:
    return commit(
        representative, process, "Connect ten villages", due=60, organisation=organisation
    )
