"""Organisations: an organisation with its administrator, a would-be representative, staff."""

import pytest

from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from tests.factories import UserFactory, make_organisation


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory(username="rosa")


@pytest.fixture
def organisation(admin_user: User) -> Organisation:
    return make_organisation("Rhizomatica", admin=admin_user)


@pytest.fixture
def staff(db: None) -> User:
    return UserFactory(username="sam", is_staff=True)
