"""Background work: notification e-mails leave from the worker, never from a request; so do the
fan-out of a circulation to every follower and participant, the daily digests and the reminders.

A slow or unreachable SMTP server then holds up no submission: the request stores the in-app
notifications and, once committed, enqueues one task; `polyvox worker` sends the e-mails.
"""

from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import task


@task()
def send_emails_task(messages: list[list[Any]]) -> int:
    """Send one notification's e-mails, each `[subject, body, from, [to]]` plus, optionally, a
    dict of headers (JSON, as a task's arguments are); returns how many were sent.

    A refusal or an unreachable server fails the task, which the worker records, instead of
    being dropped silently."""
    prepared = []
    for subject, body, sender, recipients, *rest in messages:
        headers = {str(k): str(v) for k, v in (rest[0] if rest else {}).items()}
        prepared.append(
            EmailMessage(
                subject=str(subject),
                body=str(body),
                from_email=str(sender),
                to=[str(to) for to in recipients],
                headers=headers,
            )
        )
    with get_connection(fail_silently=False) as connection:
        return int(connection.send_messages(prepared) or 0)


@task()
def deliver_circulation_task(circulation_id: int) -> int:
    """Fan one circulation out to every follower and participant (see `circulation`)."""
    from polyvox.notifications.circulation import deliver_circulation

    return deliver_circulation(circulation_id=circulation_id)


@task()
def send_daily_digests_task() -> int:
    from polyvox.notifications.digests import send_daily_digests

    return send_daily_digests(now=timezone.now())


@task()
def send_deadline_reminders_task() -> int:
    from polyvox.notifications.reminders import send_deadline_reminders

    return send_deadline_reminders(now=timezone.now())
