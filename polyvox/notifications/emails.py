"""The e-mails notifications send: absolute links from settings.SITE_URL, and the one-click
unsubscribe headers every one of them carries (RFC 2369 `List-Unsubscribe`, RFC 8058
`List-Unsubscribe-Post`), so a mail client's "Unsubscribe" button works without a visit."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from polyvox.notifications.tokens import Unsubscription, unsubscribe_token


def absolute(path: str) -> str:
    """A link of the site as the configured site URL names it (never the request's host)."""
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(target: Unsubscription) -> str:
    return absolute(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(target)})
    )


def unsubscribe_headers(target: Unsubscription) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(target)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def footer(target: Unsubscription) -> str:
    """The closing lines: how to stop these e-mails (and, for participants, all preferences)."""
    lines = [_("Stop these e-mails: %(url)s") % {"url": unsubscribe_url(target)}]
    if target.user_id is not None:
        preferences = absolute(reverse("notifications:preferences"))
        lines.append(_("All your e-mail preferences: %(url)s") % {"url": preferences})
    return "\n".join(lines)


def message(
    *, subject: str, body: str, to: str, unsubscribe: Unsubscription | None = None
) -> list[Any]:
    """One e-mail as the sending task takes it (JSON): [subject, body, from, [to], headers]."""
    headers: dict[str, str] = {}
    if unsubscribe is not None:
        body = f"{body}\n\n-- \n{footer(unsubscribe)}"
        headers = unsubscribe_headers(unsubscribe)
    return [subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers]
