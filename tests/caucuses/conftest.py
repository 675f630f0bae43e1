"""Fixtures for caucuses: a caucus with its facilitator, a member, and people outside it."""

import pytest
from django.core import mail
from django.utils import timezone

from polyvox.caucuses.models import Caucus, CaucusMembership
from polyvox.notifications.models import Notification
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import UserFactory, add_caucus_member, make_caucus


@pytest.fixture
def facilitator(db: None) -> User:
    return UserFactory(username="fatou", profile={"stakeholder_group": "civil_society"})


@pytest.fixture
def member(db: None) -> User:
    return UserFactory(username="marta", profile={"stakeholder_group": "civil_society"})


@pytest.fixture
def outsider(db: None) -> User:
    """Takes part in the process, but is not in the caucus."""
    return UserFactory(username="omar", profile={"stakeholder_group": "civil_society"})


@pytest.fixture
def caucus(process: Process, facilitator: User, member: User) -> Caucus:
    caucus = make_caucus(process, facilitator, purpose="Coordinate civil society's positions.")
    add_caucus_member(caucus, member)
    return caucus


def request_from(caucus: Caucus, user: User, message: str = "") -> CaucusMembership:
    """A pending request, as rows (the service is tested on its own)."""
    return CaucusMembership.objects.create(caucus=caucus, user=user, message=message)


def close(process: Process) -> None:
    process.closed_at = timezone.now()
    process.save()


SIGNATURE = "\n\n-- \n"  # RFC 3676's signature separator, before the unsubscribe links


def inbox(user: User) -> list[str]:
    """What `user` was told: in-app notifications' subjects and bodies, and e-mails sent."""
    notes = [f"{n.subject}\n{n.body}" for n in Notification.objects.filter(recipient=user)]
    # Without the unsubscribe footer every notification e-mail ends with ("-- " and its links).
    mails = [
        f"{m.subject}\n{m.body.split(SIGNATURE)[0]}" for m in mail.outbox if user.email in m.to
    ]
    return notes + mails


def status_of(caucus: Caucus, user: User) -> list[str]:
    return list(
        CaucusMembership.objects.filter(caucus=caucus, user=user)
        .order_by("id")
        .values_list("status", flat=True)
    )
