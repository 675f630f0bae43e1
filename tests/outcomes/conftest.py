"""Fixtures for outcomes: a process with a chair and an open decision phase, a published draft
version, a recommendation linked to its sections, and a proposed designation.

`process`, `secretariat`, `participant` (Amina, civil society, Kenya) and `other_participant`
(Kenji, private sector, Japan) come from tests/conftest.py. Times: `during(designation)` is a
moment while objections are open, `after(designation)` one after they closed.
"""

from datetime import datetime, timedelta

import pytest

from polyvox.drafts.models import DraftVersion
from polyvox.outcomes.models import Designation, Recommendation
from polyvox.outcomes.services.designations import propose_designation
from polyvox.participants.models import User
from polyvox.processes.models import Phase, Process
from tests.factories import make_chair, make_recommendation, make_version, open_decision_phase


def during(designation: Designation) -> datetime:
    """A moment while objections to `designation` are open (an hour before they close)."""
    assert designation.objections_close_at is not None
    return designation.objections_close_at - timedelta(hours=1)


def after(designation: Designation) -> datetime:
    """The moment objections to `designation` close (the chair may make it final from then)."""
    assert designation.objections_close_at is not None
    return designation.objections_close_at


@pytest.fixture
def chair(process: Process) -> User:
    """Chidi, the chair of the process (the only one who designates)."""
    return make_chair(
        process, username="chidi", profile={"stakeholder_group": "government", "country": "NG"}
    )


@pytest.fixture
def decision_phase(process: Process) -> Phase:
    return open_decision_phase(process)


@pytest.fixture
def version(process: Process) -> DraftVersion:
    """Version 1 of the draft "principles", published, with sections `scope` and `access`."""
    return make_version(process)


@pytest.fixture
def recommendation(
    process: Process, decision_phase: Phase, version: DraftVersion, secretariat: User
) -> Recommendation:
    """Recommendation 1, linked to both sections of `version`."""
    return make_recommendation(
        process, sections=tuple(version.sections.all()), created_by=secretariat
    )


@pytest.fixture
def proposal(chair: User, recommendation: Recommendation) -> Designation:
    """The chair's proposal of "consensus" for `recommendation`, open to objections (7 days)."""
    return propose_designation(
        actor=chair,
        recommendation=recommendation,
        level="consensus",
        rationale="Most groups support it; one reservation from the private sector.",
    )
