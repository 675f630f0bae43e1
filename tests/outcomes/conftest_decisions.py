"""Helpers for the decision tests (positions, rules, electors, decisions, their API).

Fixtures live in each test module (tests/outcomes/conftest.py belongs to the designation tests);
these plain functions build what they need."""

from django.utils import timezone

from polyvox.outcomes.models import Elector, OutcomeSettings, Position
from polyvox.outcomes.services.decisions import record_position
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import UserFactory


def person(name: str, group: str = "civil_society", country: str = "KE") -> User:
    """A participant of stakeholder group `group` (display name: `name` capitalised)."""
    return UserFactory(username=name, profile={"stakeholder_group": group, "country": country})


def rules(process: Process, rule_set: str, **chambers: str) -> OutcomeSettings:
    """The process decides under `rule_set` (saved directly: the service has its own tests)."""
    settings, _created = OutcomeSettings.objects.update_or_create(
        process=process, defaults={"rule_set": rule_set, "chambers": chambers}
    )
    return settings


def seat(process: Process, user: User, voter: str, group: str) -> Elector:
    """`user` in the electorate (written directly: the service has its own tests)."""
    return Elector.objects.create(process=process, user=user, voter=voter, group=group)


def positions(recommendation: object, *pairs: tuple[User, str]) -> list[Position]:
    """Each (user, position) recorded through the service, now."""
    now = timezone.now()
    return [
        record_position(actor=user, recommendation=recommendation, position=kind, now=now)  # type: ignore[arg-type]
        for user, kind in pairs
    ]
