"""What joint_statements adds to the pages of apps below it, registered in `ready()`.

Everywhere a joint statement appears, its dissenting and supplementary statements appear next to
it: on the process page, in the feedback report, and on the organisations' pages.
"""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from polyvox.caucuses.models import Caucus
from polyvox.caucuses.pages import CAUCUS_PAGE
from polyvox.caucuses.permissions import is_facilitator
from polyvox.contributions.pages import FEEDBACK_REPORT, FEEDBACK_REPORT_DATA, ReportData
from polyvox.core.sections import PageSection
from polyvox.drafts.models import DraftVersion
from polyvox.joint_statements.forms import PublishFromCaucusForm
from polyvox.joint_statements.models import JointStatement, StatementStatus
from polyvox.joint_statements.permissions import can_write_statements
from polyvox.joint_statements.selectors import (
    organisation_signatures,
    organisation_statements,
    signature_counts,
    statements_of,
)
from polyvox.organisations.models import Organisation
from polyvox.organisations.pages import ORGANISATION_PAGE
from polyvox.organisations.permissions import represented_by
from polyvox.organisations.selectors import organisation_family_ids
from polyvox.processes.models import Process
from polyvox.processes.pages import PROCESS_PAGE

LATEST_ON_PROCESS_PAGE = 3
LATEST_ON_ORGANISATION_PAGE = 20


def process_section(*, request: HttpRequest, process: Process) -> dict[str, Any]:
    """On the process page: how many, the latest few next to their linked statements."""
    statements = statements_of(process)
    return {
        "process": process,
        "count": statements.count(),
        "latest": list(statements[:LATEST_ON_PROCESS_PAGE]),
        "can_write": can_write_statements(request.user, process),
        "now": timezone.now(),
    }


def feedback_report_section(
    *, request: HttpRequest, process: Process, version: DraftVersion
) -> dict[str, Any]:
    """In a feedback report (a public document): each published joint statement of the process
    next to its linked statements, with its counts."""
    published = statements_of(process).filter(status=StatementStatus.PUBLISHED)
    rows = [(s, s.linked, signature_counts(s)) for s in published]  # type: ignore[attr-defined]
    return {"process": process, "rows": rows, "now": timezone.now()}


def _public(statement: JointStatement) -> dict[str, Any]:
    organisation = statement.organisation
    return {
        "id": statement.pk,
        "relation": statement.relation,
        "title": statement.title,
        "text": statement.body,
        "author": statement.author_name,
        "organisation": (
            None if organisation is None else {"name": organisation.name, "slug": organisation.slug}
        ),
        "published_at": statement.published_at.isoformat() if statement.published_at else None,
        "sign_on_deadline": (
            statement.sign_on_deadline.isoformat() if statement.sign_on_deadline else None
        ),
        "url": statement.get_absolute_url(),
    }


def feedback_report_data(*, process: Process) -> list[dict[str, Any]]:
    """In the feedback report's download and API answer: each published joint statement with its
    linked statements beside it and its signatories counted."""
    published = statements_of(process).filter(status=StatementStatus.PUBLISHED)
    return [
        {
            **_public(statement),
            "caucus": statement.caucus.name if statement.caucus else None,
            "counts": asdict(signature_counts(statement)),
            "linked_statements": [_public(linked) for linked in statement.linked],  # type: ignore[attr-defined]
        }
        for statement in published
    ]


def organisation_section(*, request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """On an organisation's page (its merged duplicates included): its signatures, active and
    withdrawn, and the statements published on its behalf."""
    ids = organisation_family_ids(organisation)
    signatures = organisation_signatures(ids)
    statements = organisation_statements(ids)
    return {
        "organisation": organisation,
        "signatures": list(signatures[:LATEST_ON_ORGANISATION_PAGE]),
        "signature_count": signatures.count(),
        "statements": list(statements[:LATEST_ON_ORGANISATION_PAGE]),
        "statement_count": statements.count(),
    }


def caucus_section(
    *, request: HttpRequest, caucus: Caucus, process: Process
) -> dict[str, Any] | None:
    """On a caucus's page, for its facilitators only: publish the working draft."""
    if not is_facilitator(request.user, caucus):
        return None
    return {
        "process": process,
        "caucus": caucus,
        "form": PublishFromCaucusForm(
            represented=represented_by(request.user), auto_id="id_publish_%s"
        ),
        "published": list(statements_of(process).filter(caucus=caucus)),
    }


def register() -> None:
    PROCESS_PAGE.register(
        PageSection(
            "joint_statements", 50, "joint_statements/_process_section.html", process_section
        )
    )
    FEEDBACK_REPORT.register(
        PageSection(
            "joint_statements",
            50,
            "joint_statements/_feedback_report.html",
            feedback_report_section,
        )
    )
    FEEDBACK_REPORT_DATA.register(ReportData("joint_statements", 50, feedback_report_data))
    ORGANISATION_PAGE.register(
        PageSection(
            "joint_statements",
            50,
            "joint_statements/_organisation_section.html",
            organisation_section,
        )
    )
    CAUCUS_PAGE.register(
        PageSection("joint_statements", 50, "joint_statements/_caucus_section.html", caucus_section)
    )
