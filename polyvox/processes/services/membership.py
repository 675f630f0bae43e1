"""Writes for who holds which role in a process: add, remove, invite by e-mail, accept.

Invitations are e-mailed with `django.core.mail` directly, not through the notifications app:
notifications sits above processes (so processes may not call it) and `notify` writes in-app
notifications for existing accounts, while an invitee is often nobody yet, only an address.
"""

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Invitation, Membership, Process, Role
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.publishing import publish
from polyvox.processes.selectors import access_invitation

INVITATION_VALID_FOR = timedelta(days=30)

# Who holds authority in a process is public (accountability); that an invited participant or an
# observer joined is not put on the record (participants at risk may not want it known).
PUBLIC_ROLES = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.MODERATOR, Role.RAPPORTEUR})


def _clean_role(role: str) -> Role:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    return Role(role)


def _grant(process: Process, user: User, role: Role) -> Membership:
    membership, created = Membership.objects.get_or_create(process=process, user=user, role=role)
    if created and role in PUBLIC_ROLES:
        publish(
            process=process,
            kind="member.role_granted",
            payload={"membership_id": membership.pk, "role": role.value},
        )
    return membership


@transaction.atomic
def add_member(*, actor: User, process: Process, user: User, role: str) -> Membership:
    """Give `user` a role in `process` (adding the same role twice changes nothing)."""
    require(is_secretariat(actor, process), _("Only the secretariat manages this process."))
    return _grant(process, user, _clean_role(role))


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    """Take one role away; the last secretariat member stays, or nobody could manage the process."""
    process = membership.process
    require(is_secretariat(actor, process), _("Only the secretariat manages this process."))
    if membership.role == Role.SECRETARIAT:
        # Lock the secretariat rows so two removals at once cannot leave none (PostgreSQL).
        secretariat = list(
            Membership.objects.select_for_update()
            .filter(process=process, role=Role.SECRETARIAT)
            .values_list("pk", flat=True)
        )
        if secretariat == [membership.pk]:
            raise ValidationError({"role": _("A process needs at least one secretariat member.")})
    membership_id = membership.pk
    membership.delete()
    if membership.role in PUBLIC_ROLES:
        publish(
            process=process,
            kind="member.role_revoked",
            payload={"membership_id": membership_id, "role": membership.role},
        )


@transaction.atomic
def invite_by_email(*, actor: User, process: Process, email: str, role: str) -> Invitation:
    """Send a single-use link that gives its holder `role` once they sign in and accept it."""
    require(is_secretariat(actor, process), _("Only the secretariat invites people."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    clean_role = _clean_role(role)
    invitation = Invitation.objects.create(
        process=process,
        email=email,
        role=clean_role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
    )
    link = settings.SITE_URL + reverse("processes:invitation", kwargs={"token": invitation.token})
    subject = _("Invitation to %(process)s") % {"process": process.title}
    body = _(
        "%(inviter)s invites you to take part in “%(process)s” as %(role)s.\n\n"
        "Sign in (or create an account) and accept the invitation here, within %(days)d days:\n"
        "%(link)s\n"
    ) % {
        "inviter": actor.get_full_name() or actor.username,
        "process": process.title,
        "role": clean_role.label,
        "days": INVITATION_VALID_FOR.days,
        "link": link,
    }
    # After the commit: no e-mail for an invitation that was rolled back.
    transaction.on_commit(partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


@transaction.atomic
def accept_invitation(*, user: User, token: str) -> Membership:
    """The signed-in `user` takes the invited role; the link then stops working."""
    require(user.is_authenticated and user.is_active, _("Sign in to accept the invitation."))
    invitation = access_invitation(token)
    # Lock and re-check, so two tabs accepting at once use the token once (PostgreSQL).
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Http404(_("This invitation does not exist or has already been used."))
    now = timezone.now()
    if now - invitation.created_at > INVITATION_VALID_FOR:
        raise ValidationError(
            {
                "token": _(
                    "This invitation expired after %(days)d days. "
                    "Ask the secretariat to invite you again."
                )
                % {"days": INVITATION_VALID_FOR.days}
            }
        )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return _grant(invitation.process, user, Role(invitation.role))
