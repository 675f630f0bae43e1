"""Personal API tokens: made (the key shown once), found by their key, revoked."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.accounts.models import ApiToken, TokenScope
from polyvox.accounts.permissions import can_make_token, can_revoke_token
from polyvox.core.permissions import Actor, require
from polyvox.core.text import refuse_invisible_only, refuse_too_long, refuse_unstorable
from polyvox.participants.models import User
from polyvox.processes.models import Process

KEY_PREFIX = "pvx_"
PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
# A token's last use is written at most this often, so a busy client does not write a row per
# request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A token just made and its key: the only time the key exists outside its owner's hands."""

    token: ApiToken
    key: str


def hash_key(key: str) -> str:
    """The stored form of a key: SHA-256, hex (see `ApiToken` for why no slow hash)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    *, actor: Actor, name: str, scope: str, process: Process | None = None
) -> NewToken:
    """Make a personal token for `actor`; the key is returned once and stored only hashed."""
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in to make an API token."))
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, so you can tell it apart later.")
    else:
        try:
            refuse_unstorable(name, "name")
            refuse_invisible_only(name, "name")
            refuse_too_long(name, "name", NAME_MAX_LENGTH)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if scope not in TokenScope.values:
        errors["scope"] = _("Choose read or write.")
    if errors:
        raise ValidationError(errors)
    require(
        can_make_token(actor, scope=scope, process=process),
        _("A write token needs you to be able to take part in its process (or hold a role in it).")
        if process is not None
        else _("A write token needs a confirmed e-mail address."),
    )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=key[:PREFIX_LENGTH],
            key_hash=hash_key(key),
            scope=scope,
            process=process,
        )
    return NewToken(token=token, key=key)


def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of one's own tokens at once; revoking twice changes nothing."""
    require(can_revoke_token(actor, token), _("You may revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def revoke_all_tokens(user: User) -> int:
    """Every live token of `user` revoked (closing the account); how many were."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_for_key(key: str) -> ApiToken | None:
    """The live token whose key this is, with its user; None for an unknown or revoked key."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "process")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )


def note_use(token: ApiToken) -> None:
    """Remember when the token was last used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
