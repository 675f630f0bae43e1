"""Who may see or change a participant's private data. Pure, fast, and tested as a matrix."""

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.participants.models import User


def _is_self(viewer: Actor | None, user: User) -> bool:
    return is_signed_in(viewer) and viewer is not None and viewer.pk == user.pk


def can_edit_profile(actor: Actor | None, user: User) -> bool:
    """Only the person themself declares their profile."""
    return _is_self(actor, user)


def can_see_private_profile(viewer: Actor | None, user: User) -> bool:
    """Private fields (e-mail, gender) are for the person themself and superusers."""
    return _is_self(viewer, user) or (
        is_signed_in(viewer) and bool(getattr(viewer, "is_superuser", False))
    )


def can_see_statement_of_interest(viewer: Actor | None, user: User) -> bool:
    """The person themself; a process's secretariat reads it through `processes` (its own rule)."""
    return _is_self(viewer, user)
