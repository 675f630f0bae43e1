"""A real SMTP server for tests: aiosmtpd on a free local port, and Django sending to it.

Use: `from tests.smtp import inbox  # noqa: F401` in a test module (or a conftest), then take the
`inbox` fixture: `inbox.messages` are the messages received, `inbox.wait_for(n)` waits for the
n-th (mail sent on commit by a live server arrives from another thread), and `link_in(message,
pattern)` finds a link of the site (settings.SITE_URL is http://polyvox.test while it runs; a
browser journey sets it to its live server's address after taking the fixture).
"""

import email
import re
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once at least `count` have arrived (fails after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} message(s) arrived, not {count}")
                self._arrived.wait(left)
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def link_in(message: EmailMessage, path_pattern: str, site_url: str = "http://polyvox.test") -> str:
    """The path of the first link in the message's text that starts with `site_url` and whose
    path matches `path_pattern` (a regular expression)."""
    text = body_of(message)
    match = re.search(re.escape(site_url) + r"(" + path_pattern + r")", text)
    assert match, text
    return match.group(1)


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free local port; Django sends to it over SMTP."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "http://polyvox.test"  # a browser journey sets its live server's after
    yield handler
    controller.stop()
