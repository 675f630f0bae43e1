"""Fixtures for drafts: an empty draft, a published version 1, and a participant who takes part."""

import pytest

from polyvox.drafts.models import Draft, DraftVersion
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import invite

V1 = """# Principles for community networks

Community networks connect people that markets leave behind.

## 1. Spectrum

Regulators should reserve spectrum for community networks.

## 2. Licensing

Licences must be simple and cheap.
"""


@pytest.fixture
def draft(process: Process, secretariat: User) -> Draft:
    return create_draft(
        actor=secretariat, process=process, slug="principles", title="Draft principles"
    )


@pytest.fixture
def version1(draft: Draft, secretariat: User) -> DraftVersion:
    return publish_draft_version(actor=secretariat, draft=draft, markdown=V1, note="First draft.")


@pytest.fixture
def member(process: Process, participant: User) -> User:
    """`participant`, invited to the process, so that publishing notifies them."""
    return invite(process, participant)


@pytest.fixture
def translator(process: Process) -> User:
    """A translator of a process that declares English (the original), French and Arabic."""
    from polyvox.processes.models import Membership, Role
    from tests.factories import UserFactory

    process.languages = ["en", "fr", "ar"]
    process.save(update_fields=["languages"])
    user = UserFactory(username="camille")
    Membership.objects.create(process=process, user=user, role=Role.TRANSLATOR)
    return user
