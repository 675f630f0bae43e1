"""Helpers of the accounts tests: tokens made through the service, Bearer headers."""

import pytest

from polyvox.accounts.services.tokens import NewToken, create_token
from polyvox.drafts.models import DraftVersion, Section
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import make_version


def make_token(
    user: User, *, scope: str = "read", process: Process | None = None, name: str = "server"
) -> NewToken:
    return create_token(actor=user, name=name, scope=scope, process=process)


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def version(process: Process) -> DraftVersion:
    return make_version(process)


@pytest.fixture
def section(version: DraftVersion) -> Section:
    return version.sections.get(anchor="scope")
