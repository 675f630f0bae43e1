"""What moderation adds to lower apps' pages and registries, from `ready()`: the policy and log
links on the process page; "Flag", "Submitted in my name" and public warnings on an input's
page; "Flag" beside each statement of the statements list; the restriction check that
`processes.participation` consults."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.models import Contribution
from polyvox.contributions.pages import CONTRIBUTION_PAGE
from polyvox.core.permissions import is_signed_in
from polyvox.core.sections import PageSection
from polyvox.moderation.permissions import can_moderate
from polyvox.moderation.selectors import public_warnings, restriction_refusal
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE
from polyvox.processes.participation import register_participation_check
from polyvox.statements.item_links import register_statement_link
from polyvox.statements.models import Statement


def process_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    return {
        "process": process,
        "can_moderate": can_moderate(request.user, process),
    }


def contribution_section(
    *, request: HttpRequest, contribution: Contribution, process: Process
) -> dict[str, Any]:
    viewer = request.user
    return {
        "process": process,
        "contribution": contribution,
        "warnings": public_warnings(contribution),
        "signed_in": is_signed_in(viewer),
        "is_author": is_signed_in(viewer) and contribution.author_id == viewer.pk,
        "can_moderate": can_moderate(viewer, process),
    }


def flag_statement_url(process: Process, statement: Statement, viewer: Any) -> str | None:
    """ "Flag" beside a statement, for signed-in people other than its author, while it is
    public (no query: the flag page itself says why someone may not flag)."""
    if not is_signed_in(viewer) or statement.author_id == viewer.pk or statement.hidden_at:
        return None
    return reverse(
        "moderation:flag_statement", kwargs={"slug": process.slug, "statement_id": statement.pk}
    )


def register() -> None:
    PROCESS_PAGE.register(
        PageSection("moderation", 90, "moderation/_process_links.html", process_section)
    )
    CONTRIBUTION_PAGE.register(
        PageSection("moderation", 90, "moderation/_contribution_links.html", contribution_section)
    )
    register_participation_check("moderation", restriction_refusal)
    register_statement_link("moderation-flag", _("Flag"), flag_statement_url)
