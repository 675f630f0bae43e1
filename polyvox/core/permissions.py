"""Permission checks raise one exception type that every interface knows how to show."""

from typing import TypeAlias, TypeGuard

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

# Whoever is acting: a signed-in participant or an anonymous visitor.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied with a human-readable reason unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def is_signed_in(actor: Actor | None) -> TypeGuard[AbstractBaseUser]:
    return (
        actor is not None
        and bool(actor.is_authenticated)
        and bool(getattr(actor, "is_active", False))
    )
