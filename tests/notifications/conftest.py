"""Fixtures for notifications: the database task backend (what production runs) and a mail server
that refuses everything."""

from collections.abc import Sequence
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from polyvox.drafts.models import Section
from polyvox.processes.models import Process
from tests.factories import make_version

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send fails."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """Tasks are queued in the database and run by `db_worker`, as `polyvox worker` runs them."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def mail_server_down(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.conftest.RefusingBackend"


@pytest.fixture
def section(process: Process) -> Section:
    """A published draft's section to comment on (a submission sends a receipt)."""
    return make_version(process).sections.get(anchor="scope")


# Circulation to all ------------------------------------------------------------------------------

from tests.smtp import inbox  # noqa: E402, F401 — the real SMTP server fixture


def headers_of(message: Any) -> dict[str, str]:
    """The headers of an e-mail (Django's EmailMessage or one received over SMTP)."""
    if hasattr(message, "extra_headers"):
        return {str(k): str(v) for k, v in message.extra_headers.items()}
    return {str(k): str(v) for k, v in message.items()}


def token_of(url_or_text: str, route: str) -> str:
    """The token of the first /notifications/<route>/<token>/ link in a text."""
    import re

    match = re.search(rf"/notifications/{route}/([^/\s]+)/", url_or_text)
    assert match, url_or_text
    return match.group(1)
