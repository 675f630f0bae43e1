"""What notifications adds to the pages of apps below it, registered in `ready()`: "Follow this
process" on the process page (one click for a participant, an e-mail form for a visitor)."""

from typing import Any

from django.http import HttpRequest

from polyvox.core.sections import PageSection
from polyvox.notifications.following import is_following
from polyvox.notifications.forms import EmailFollowForm
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE


def follow_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    user = request.user
    signed_in = bool(user.is_authenticated)
    return {
        "process": process,
        "signed_in": signed_in,
        "following": is_following(user if signed_in else None, process),  # type: ignore[arg-type]
        "form": None if signed_in else EmailFollowForm(),
    }


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("notifications", 85, "notifications/_follow.html", follow_section)
    )
