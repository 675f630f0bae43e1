"""Arrangement helpers for statements tests."""

from polyvox.participants.models import User
from polyvox.statements.models import Statement, Vote


def vote_all(users: list[User], statements: list[Statement], values: list[int]) -> None:
    """Direct rows, for selectors' arrangements (the service is tested separately)."""
    Vote.objects.bulk_create(
        Vote(statement=s, participant=u, value=v)
        for u in users
        for s, v in zip(statements, values, strict=True)
    )
