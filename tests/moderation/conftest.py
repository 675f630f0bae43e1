"""Fixtures for moderation: a draft section to comment on, two moderators, a flagger."""

import pytest

from polyvox.drafts.models import Section
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process, Role
from tests.factories import UserFactory, make_version


def make_moderator(process: Process, username: str) -> User:
    user = UserFactory(username=username)
    Membership.objects.create(process=process, user=user, role=Role.MODERATOR)
    return user


@pytest.fixture
def section(process: Process) -> Section:
    return make_version(process).sections.get(anchor="scope")


@pytest.fixture
def moderator(process: Process) -> User:
    return make_moderator(process, "mod-ana")


@pytest.fixture
def second_moderator(process: Process) -> User:
    return make_moderator(process, "mod-ben")


@pytest.fixture
def flagger(db: None) -> User:
    return UserFactory(username="flagger")
