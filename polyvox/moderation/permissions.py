"""Who may flag, moderate, edit the policy and decide appeals."""

from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Process
from polyvox.processes.participation import participation_refusal
from polyvox.processes.permissions import has_capability, is_secretariat
from polyvox.processes.roles import Capability


def can_moderate(actor: Actor | None, process: Process) -> bool:
    """The queue, actions and appeals: moderators and the secretariat (`processes.roles`)."""
    return has_capability(actor, process, Capability.MODERATE)


def can_edit_policy(actor: Actor | None, process: Process) -> bool:
    """The policy text and pre- or post-moderation: the secretariat."""
    return is_secretariat(actor, process)


def flag_refusal(actor: Actor | None, process: Process) -> str:
    """Why `actor` may not flag in `process` now, or "": signed in, e-mail confirmed, not
    restricted by moderation."""
    if not is_signed_in(actor):
        return _("Log in to flag.")
    if getattr(actor, "email_verified_at", None) is None:
        return _("Confirm your e-mail address before flagging.")
    return participation_refusal(actor, process, timezone.now())
