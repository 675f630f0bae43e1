"""Follow a process: a participant in one click, a visitor by e-mail with double opt-in; stop
following, or unsubscribe in one click from any e-mail.

Who follows what is private (never on a public page, an export, the API or the record), so none
of these writes appends a record entry. A visitor's address receives nothing but the confirmation
request until they confirm it; asking again for an address that already follows answers the same
way as a first request, so the form cannot tell anyone whether an address follows a process.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polyvox.core.permissions import require
from polyvox.notifications.emails import absolute, message
from polyvox.notifications.languages import active_language, remember_language, site_language
from polyvox.notifications.models import (
    DeliveryMode,
    Follow,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from polyvox.notifications.services import send_after_commit
from polyvox.notifications.tokens import (
    Unsubscription,
    confirmation_token,
    read_confirmation_token,
    read_unsubscribe_token,
)
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.selectors import localized_process

# One confirmation request per address and process in this time: the form cannot be used to
# flood someone's inbox (the rate limit per network address comes on top, docs/abuse.md).
CONFIRMATION_INTERVAL = timedelta(minutes=10)
MAX_EMAIL_CHARS = 254  # RFC 5321's limit on a path


def _signed_in(actor: User | None) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


@transaction.atomic
def follow_process(*, actor: User, process: Process) -> Follow:
    """A participant follows a process: new versions, phase openings and reminders reach them
    (e-mailed as their preferences say). Following twice changes nothing."""
    require(_signed_in(actor), _("Sign in to follow a process."))
    follow, _created = Follow.objects.get_or_create(
        process=process, user=actor, defaults={"confirmed_at": timezone.now()}
    )
    # Their e-mails are written in the language they use here, unless they chose one already.
    remember_language(actor, active_language(), replace=False)
    return follow


@transaction.atomic
def unfollow_process(*, actor: User, process: Process) -> bool:
    """Stop following; True if the participant followed the process."""
    require(_signed_in(actor), _("Sign in to stop following a process."))
    deleted, _rows = Follow.objects.filter(process=process, user=actor).delete()
    return deleted > 0


def is_following(user: User | None, process: Process) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.filter(process=process, user=user).exists()


def clean_address(email: str) -> str:
    """The address as stored: trimmed and lower-cased (one follow per mailbox)."""
    address = (email or "").strip().lower()
    if not address:
        raise ValidationError({"email": _("Enter your e-mail address.")})
    if len(address) > MAX_EMAIL_CHARS:
        raise ValidationError({"email": _("This e-mail address is too long.")})
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    return address


@transaction.atomic
def request_email_follow(
    *,
    process: Process,
    email: str,
    mode: str = DeliveryMode.IMMEDIATE,
    language: str = "",
    now: datetime | None = None,
) -> None:
    """A visitor asks to follow by e-mail: a confirmation request goes to the address, and
    nothing else until they confirm it (double opt-in). An address that already follows gets
    nothing more (and the visitor is told the same thing either way).

    Everything sent to the address is written in `language` (by default the language of the
    page they asked from), the confirmation request included."""
    now = now or timezone.now()
    language = site_language(language) or active_language()
    address = clean_address(email)
    if mode not in (DeliveryMode.IMMEDIATE, DeliveryMode.DAILY):
        raise ValidationError({"mode": _("Choose an e-mail each time or one daily digest.")})
    follow = Follow.objects.select_for_update().filter(process=process, email=address).first()
    if follow is not None and follow.confirmed_at is not None:
        return
    if follow is None:
        try:
            with transaction.atomic():
                follow = Follow.objects.create(
                    process=process, email=address, mode=mode, language=language
                )
        except IntegrityError:  # the same address asked twice at once: the other request sends
            return
    elif follow.confirmation_sent_at and now - follow.confirmation_sent_at < CONFIRMATION_INTERVAL:
        return
    follow.mode, follow.language = mode, language
    follow.confirmation_sent_at = now
    follow.save(update_fields=["mode", "language", "confirmation_sent_at"])
    link = absolute(
        reverse(
            "notifications:confirm_follow",
            kwargs={"token": confirmation_token(follow.pk, address)},
        )
    )
    title = localized_process(process, language).title
    with translation.override(language):
        subject = _("Confirm that you want to follow “%(process)s”") % {"process": title}
        body = _(
            "Someone, probably you, asked to follow the process “%(process)s” on Polyvox with "
            "this address. To receive its new draft versions, phase openings and deadline "
            "reminders, confirm here (the link works for 7 days):\n\n%(link)s\n\nIf it was not "
            "you, ignore this message: nothing more will be sent to you."
        ) % {"process": title, "link": link}
    send_after_commit([message(subject=subject, body=body, to=address)])


@transaction.atomic
def confirm_email_follow(*, token: str, now: datetime | None = None) -> Follow:
    """The visitor confirmed their address: from now on they receive what the process circulates."""
    read = read_confirmation_token(token)
    follow = None
    if read is not None:
        follow_id, address = read
        follow = (
            Follow.objects.select_for_update()
            .select_related("process")
            .filter(pk=follow_id, email=address)
            .first()
        )
    if follow is None:
        raise ValidationError(
            {
                "token": _(
                    "This confirmation link is not valid or has expired. Ask to follow the "
                    "process again to receive a new one."
                )
            }
        )
    if follow.confirmed_at is None:
        follow.confirmed_at = now or timezone.now()
        follow.last_digest_at = follow.confirmed_at
        follow.save(update_fields=["confirmed_at", "last_digest_at"])
    return follow


@dataclass(frozen=True)
class Unsubscribed:
    """What an unsubscribe link stopped, for the page that says so."""

    process: Process | None = None
    kind: str = ""


def describe_unsubscribe(token: str) -> Unsubscribed:
    """What following the link will stop (for the page that asks to confirm); 400 if invalid."""
    target = _valid_target(token)
    if target.follow_id is not None:
        follow = Follow.objects.select_related("process").filter(pk=target.follow_id).first()
        return Unsubscribed(process=follow.process if follow else None)
    return Unsubscribed(kind=target.kind)


@transaction.atomic
def unsubscribe(*, token: str) -> Unsubscribed:
    """One click (RFC 8058): a visitor's follow ends, and their address is deleted with it; a
    participant receives no more e-mails of that kind (they stay in the app). Unsubscribing
    twice is not an error."""
    target = _valid_target(token)
    if target.follow_id is not None:
        follow = Follow.objects.select_related("process").filter(pk=target.follow_id).first()
        if follow is None:
            return Unsubscribed()
        process = follow.process
        follow.delete()
        return Unsubscribed(process=process)
    NotificationPreference.objects.update_or_create(
        user_id=target.user_id, kind=target.kind, defaults={"mode": DeliveryMode.NONE}
    )
    Notification.objects.filter(
        recipient_id=target.user_id, kind=target.kind, digest_pending=True
    ).update(digest_pending=False)
    return Unsubscribed(kind=target.kind)


def _valid_target(token: str) -> Unsubscription:
    target = read_unsubscribe_token(token)
    if target is None or (
        target.follow_id is None
        and (
            target.user_id is None
            or target.kind not in NotificationKind.values
            or not User.objects.filter(pk=target.user_id).exists()
        )
    ):
        raise ValidationError(
            {"token": _("This unsubscribe link is not valid. Check that it was copied whole.")}
        )
    return target
