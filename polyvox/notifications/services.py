"""Notify participants in the app and by e-mail (sent by the worker once the write commits), as
each chose per kind: an e-mail each time, a daily digest, or no e-mail."""

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polyvox.notifications.emails import message
from polyvox.notifications.languages import (
    Compose,
    Text,
    active_language,
    in_language,
    recipient_languages,
    remember_language,
    site_language,
)
from polyvox.notifications.models import (
    DeliveryMode,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from polyvox.notifications.tasks import send_emails_task
from polyvox.notifications.tokens import Unsubscription
from polyvox.participants.models import User
from polyvox.processes.models import Process


def notify(
    *,
    recipients: Iterable[User],
    subject: str = "",
    body: str = "",
    compose: Compose | None = None,
    url: str = "",
    kind: str = NotificationKind.GENERAL,
    process: Process | None = None,
) -> list[Notification]:
    """One in-app notification per recipient, and one e-mail each once the write is committed,
    unless the recipient asked for this `kind` in a daily digest (the notification waits for it)
    or for no e-mail at all.

    With `compose` (language → (subject, body), run with that language active), each recipient
    gets the text in their own language (`languages.recipient_languages`), and the e-mail's
    footer too; with `subject`/`body`, everyone gets that one text.

    The e-mails leave through one background task (`send_emails_task`) enqueued on commit, so
    the request never waits on the mail server and a rolled-back write sends nothing. Each one
    carries a one-click unsubscribe link for its kind (`emails.unsubscribe_headers`)."""
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    modes = delivery_modes([user.pk for user in people], kind)
    languages = recipient_languages([user.pk for user in people]) if compose else {}
    composed: dict[str, Text] = {}

    def text_for(user: User) -> Text:
        if compose is None:
            return subject, body
        language = languages[user.pk]
        if language not in composed:
            composed[language] = in_language(language, compose)
        return composed[language]

    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            subject=text_for(user)[0][:200],
            body=text_for(user)[1],
            url=url,
            kind=kind,
            process=process,
            digest_pending=modes.get(user.pk) == DeliveryMode.DAILY and bool(user.email),
        )
        for user in people
    )
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    messages = []
    for user in people:
        if not user.email or modes.get(user.pk, DeliveryMode.IMMEDIATE) != DeliveryMode.IMMEDIATE:
            continue
        user_subject, user_body = text_for(user)
        with translation.override(languages.get(user.pk, translation.get_language())):
            messages.append(
                message(
                    subject=user_subject,
                    body=user_body + link,
                    to=user.email,
                    unsubscribe=Unsubscription(user_id=user.pk, kind=kind),
                )
            )
    send_after_commit(messages)
    return notifications


def send_after_commit(messages: list[list[Any]]) -> None:
    """Queue these e-mails (as `emails.message` builds them) once the transaction commits."""
    if messages:
        transaction.on_commit(partial(send_emails_task.enqueue, messages))


def delivery_modes(user_ids: list[int], kind: str) -> dict[int, str]:
    """Each user's chosen mode for `kind`, where they chose one (one query)."""
    if not user_ids:
        return {}
    return dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "mode"
        )
    )


def preferences_of(user: User) -> dict[str, str]:
    """Every kind's mode for `user` (an e-mail each time where they chose nothing)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: chosen.get(kind, DeliveryMode.IMMEDIATE) for kind in NotificationKind.values}


@transaction.atomic
def set_preferences(*, actor: User, modes: Mapping[str, str], language: str = "") -> dict[str, str]:
    """Choose, per kind, an e-mail each time, a daily digest or no e-mail, and the language of
    the e-mails and notifications (`language`; none given: the page's, if none was stored yet).
    Notifications still appear in the app whatever is chosen; leaving the daily digest for a
    kind takes what waited for it out of the next digest (it stays in the app, unread)."""
    errors = {}
    if language and not site_language(language):
        errors["language"] = _("Choose one of the platform's languages.")
    for kind, mode in modes.items():
        if kind not in NotificationKind.values:
            errors[kind] = _("Unknown kind of notification.")
        elif mode not in DeliveryMode.values:
            errors[kind] = _("Choose an e-mail each time, a daily digest, or no e-mail.")
    if errors:
        raise ValidationError(errors)
    remember_language(actor, language or active_language(), replace=bool(language))
    for kind, mode in modes.items():
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"mode": mode}
        )
        if mode != DeliveryMode.DAILY:
            Notification.objects.filter(recipient=actor, kind=kind, digest_pending=True).update(
                digest_pending=False
            )
    return preferences_of(actor)


def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
