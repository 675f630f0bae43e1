"""Signed tokens in e-mail links: confirm a follow (double opt-in) and unsubscribe in one click.

Nothing is stored for them: Django's signer (HMAC with SECRET_KEY) proves that we wrote the token,
so nobody can unsubscribe someone else or confirm an address they do not read. An unsubscribe link
does not expire (RFC 8058 asks that it keep working); a confirmation link expires after a week.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "polyvox.notifications.follow-confirm"
UNSUBSCRIBE_SALT = "polyvox.notifications.unsubscribe"
CONFIRMATION_VALID_FOR = timedelta(days=7)


def confirmation_token(follow_id: int, email: str) -> str:
    return signing.dumps({"f": follow_id, "e": email}, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, str] | None:
    """(follow id, address) for a valid, unexpired token; None otherwise."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_VALID_FOR)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    follow_id, email = data.get("f"), data.get("e")
    if not isinstance(follow_id, int) or not isinstance(email, str):
        return None
    return follow_id, email


@dataclass(frozen=True)
class Unsubscription:
    """What an unsubscribe link stops: a visitor's follow of a process, or one kind of e-mail for
    a participant (`kind`)."""

    follow_id: int | None = None
    user_id: int | None = None
    kind: str = ""


def unsubscribe_token(target: Unsubscription) -> str:
    if target.follow_id is not None:
        data: dict[str, object] = {"f": target.follow_id}
    else:
        data = {"u": target.user_id, "k": target.kind}
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscription | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("f"), int):
        return Unsubscription(follow_id=data["f"])
    if isinstance(data.get("u"), int) and isinstance(data.get("k"), str):
        return Unsubscription(user_id=data["u"], kind=data["k"])
    return None
