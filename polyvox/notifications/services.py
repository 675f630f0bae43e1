"""Notify participants in the app and by e-mail (sent by the worker once the write commits)."""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from polyvox.notifications.models import Notification
from polyvox.notifications.tasks import send_emails_task
from polyvox.participants.models import User


def notify(
    *, recipients: Iterable[User], subject: str, body: str, url: str = ""
) -> list[Notification]:
    """One in-app notification per recipient, and one e-mail each once the write is committed.

    The e-mails leave through one background task (`send_emails_task`) enqueued on commit, so
    the request never waits on the mail server and a rolled-back write sends nothing."""
    people = {user.pk: user for user in recipients if user.is_active}.values()
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, subject=subject[:200], body=body, url=url) for user in people
    )
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    messages = [
        [subject, body + link, settings.DEFAULT_FROM_EMAIL, [user.email]]
        for user in people
        if user.email
    ]
    if messages:
        transaction.on_commit(partial(send_emails_task.enqueue, messages))
    return notifications


def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
