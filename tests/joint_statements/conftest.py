"""Fixtures for joint statements: an organisation with a representative, and statements at each
stage (a draft, one open for sign-on, one whose sign-on has closed)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from polyvox.joint_statements.models import JointStatement
from polyvox.joint_statements.services.drafting import create_joint_statement, open_for_sign_on
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import UserFactory, make_organisation


def in_days(days: float) -> datetime:
    return timezone.now() + timedelta(days=days)


def draft_statement(
    author: User, process: Process, title: str = "Keep the internet open", **kwargs: object
) -> JointStatement:
    return create_joint_statement(
        actor=author,
        process=process,
        title=title,
        body="We, the undersigned, call for an open and interoperable internet.",
        **kwargs,  # type: ignore[arg-type]
    )


def open_statement(
    author: User, process: Process, days: float = 7, **kwargs: object
) -> JointStatement:
    statement = draft_statement(author, process, **kwargs)
    return open_for_sign_on(actor=author, statement=statement, deadline=in_days(days))


def close_sign_on(statement: JointStatement, *, days_ago: float = 1) -> None:
    """Move the deadline into the past, as time passing would."""
    JointStatement.objects.filter(pk=statement.pk).update(
        sign_on_deadline=timezone.now() - timedelta(days=days_ago)
    )
    statement.refresh_from_db()


@pytest.fixture
def representative(db: None) -> User:
    return UserFactory(
        username="rosa", profile={"stakeholder_group": "technical_community", "country": "BR"}
    )


@pytest.fixture
def organisation(representative: User) -> Organisation:
    """Rhizomatica (civil society, Mexico), which `representative` administers."""
    return make_organisation("Rhizomatica", admin=representative)


@pytest.fixture
def draft(participant: User, process: Process) -> JointStatement:
    return draft_statement(participant, process)


@pytest.fixture
def statement(participant: User, process: Process) -> JointStatement:
    """A joint statement by `participant`, open for sign-on for a week."""
    return open_statement(participant, process)
