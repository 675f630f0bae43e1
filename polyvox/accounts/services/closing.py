"""Closing an account: the person's data goes, what they contributed stays, under a former name.

What closing does (docs/personal-data.md):
- every public byline snapshot of theirs becomes "Former participant": inputs as each process's
  `closed_account_byline` says (ANONYMOUS: "Former participant", and the free-text organisation
  snapshot emptied unless the input spoke for that organisation; ORGANISATION: "Former
  participant, <organisation snapshot>"), joint statements, signatures, commitments and their
  updates, contestations, objections and the minority views made of them;
- the profile keeps only what statistics count (stakeholder group and country): the display name
  becomes "Former participant", alias, gender, organisation, subgroup, languages, interests and
  time zone are emptied;
- the account is closed: `closed_at`, inactive, username `closed-<pk>`, e-mail
  `closed-<pk>@closed.invalid`, no usable password (so every session of it ends: Django checks
  the password's hash on each request), every API token revoked, its notifications deleted;
- the record is not touched: it holds no personal data, and it is append-only.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.accounts.services.tokens import revoke_all_tokens
from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.contributions.models import Contribution
from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.notifications.models import (
    EmailLanguage,
    Follow,
    Notification,
    NotificationPreference,
)
from polyvox.outcomes.models import MinorityView, Objection
from polyvox.participants.models import Profile, User
from polyvox.processes.models import ClosedAccountByline

# Stored as a byline snapshot, like the names it replaces: in the site's language, not the
# reader's (bylines are data, not interface).
FORMER_PARTICIPANT = "Former participant"
_BYLINE_LENGTH = 120  # Contribution.author_name


def closed_username(user: User) -> str:
    return f"closed-{user.pk}"


def closed_email(user: User) -> str:
    return f"closed-{user.pk}@closed.invalid"


def close_account(*, actor: Actor, user: User, password: str, confirm: bool) -> User:
    """Close `user`'s own account, after their password and an explicit confirmation.

    The caller logs the request out; other sessions end by themselves, since the password hash
    they were signed with is gone."""
    require(is_signed_in(actor) and actor.pk == user.pk, _("Only you may close your own account."))
    errors: dict[str, str] = {}
    if not password or not user.check_password(password):
        errors["password"] = _("That is not your password.")
    if not confirm:
        errors["confirm"] = _("Tick the box to confirm that you want to close your account.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.closed_at is not None:
            raise ValidationError({"password": _("This account is already closed.")})
        anonymise_bylines(locked)
        _empty_profile(locked)
        revoke_all_tokens(locked)
        Notification.objects.filter(recipient=locked).delete()
        # Nothing is sent to a closed account: its follows (also any made by e-mail at its
        # address) and its e-mail preferences go with it.
        address = (locked.email or "").strip().lower()
        Follow.objects.filter(user=locked).delete()
        if address:
            Follow.objects.filter(email=address).delete()
        NotificationPreference.objects.filter(user=locked).delete()
        EmailLanguage.objects.filter(user=locked).delete()
        locked.closed_at = timezone.now()
        locked.is_active = False
        locked.username = closed_username(locked)
        locked.email = closed_email(locked)
        locked.first_name = ""
        locked.last_name = ""
        locked.set_unusable_password()
        locked.save()
    return locked


def anonymise_bylines(user: User) -> None:
    """Every public name snapshot of `user` replaced, a few bulk UPDATEs whatever their number."""
    former = Value(FORMER_PARTICIPANT)
    inputs = Contribution.objects.filter(author=user)
    # One UPDATE per policy rather than per process: the policy is read in the same statement.
    inputs.filter(process__closed_account_byline=ClosedAccountByline.ANONYMOUS).update(
        author_name=former,
        organisation=Case(
            When(on_behalf_of_organisation=True, then=F("organisation")), default=Value("")
        ),
    )
    prefix = f"{FORMER_PARTICIPANT}, "
    inputs.filter(process__closed_account_byline=ClosedAccountByline.ORGANISATION).update(
        author_name=Case(
            # Speaking for an organisation, the byline already names it beside the author.
            When(on_behalf_of_organisation=True, then=former),
            When(organisation="", then=former),
            default=Concat(Value(prefix), Substr("organisation", 1, _BYLINE_LENGTH - len(prefix))),
        )
    )
    JointStatement.objects.filter(author=user).update(author_name=former)
    Signature.objects.filter(signer=user).update(signer_name=former)
    Commitment.objects.filter(owner=user).update(owner_name=former)
    CommitmentUpdate.objects.filter(author=user).update(author_name=former)
    Contestation.objects.filter(author=user).update(author_name=former)
    Objection.objects.filter(author=user).update(author_name=former)
    MinorityView.objects.filter(objection__author=user).update(author_name=former)


def _empty_profile(user: User) -> None:
    """Keep what statistics count (stakeholder group, country); the rest goes."""
    Profile.objects.filter(user=user).update(
        display_name=FORMER_PARTICIPANT,
        alias="",
        gender="",
        organisation="",
        subgroup="",
        languages=[],
        interests="",
        timezone="",
        updated_at=timezone.now(),
    )
