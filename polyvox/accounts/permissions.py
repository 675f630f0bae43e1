"""Who may make, see and revoke API tokens, and close an account."""

from polyvox.accounts.models import ApiToken, TokenScope
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Membership, Process
from polyvox.processes.permissions import can_take_part


def can_make_token(actor: Actor | None, *, scope: str, process: Process | None) -> bool:
    """Anyone signed in may read with a token (it sees what they see). Writing with one needs
    what writing needs anyway: a confirmed e-mail address, and for a process-scoped token the
    right to take part in that process or a role in it."""
    if not is_signed_in(actor):
        return False
    if scope == TokenScope.READ:
        return True
    if process is None:
        return getattr(actor, "email_verified_at", None) is not None
    return (
        can_take_part(actor, process)
        or Membership.objects.filter(process=process, user_id=actor.pk).exists()
    )


def can_revoke_token(actor: Actor | None, token: ApiToken) -> bool:
    """Only the token's own user (a stolen token is revoked by its owner or by closing)."""
    return is_signed_in(actor) and actor.pk == token.user_id
