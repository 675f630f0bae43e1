"""Background work: notification e-mails leave from the worker, never from a request.

A slow or unreachable SMTP server then holds up no submission: the request stores the in-app
notifications and, once committed, enqueues one task; `polyvox worker` sends the e-mails.
"""

from typing import Any

from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def send_emails_task(messages: list[list[Any]]) -> int:
    """Send one notification's e-mails, each `[subject, body, from, [to]]` (JSON, as a task's
    arguments are); returns how many were sent.

    A refusal or an unreachable server fails the task, which the worker records, instead of
    being dropped silently."""
    prepared = tuple(
        (str(subject), str(body), str(sender), [str(to) for to in recipients])
        for subject, body, sender, recipients in messages
    )
    return send_mass_mail(prepared, fail_silently=False)
