"""Closing a process: no inputs left unanswered without a published reason, and a record entry
that proves which final texts the process ended with (SHA-256 of each text and section)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polyvox.contributions.closing_steps import run_closing_steps
from polyvox.contributions.selectors.closing import InputCounts, final_versions, input_counts
from polyvox.core.permissions import require
from polyvox.drafts.hashing import section_digests, text_sha256
from polyvox.drafts.models import DraftVersion
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.permissions import can_close_process
from polyvox.record.services import append_entry


def feedback_report_urls(version: DraftVersion) -> dict[str, str]:
    """Where the feedback report on `version` is published, as a page, CSV and JSON."""
    kwargs = {
        "slug": version.draft.process.slug,
        "draft": version.draft.slug,
        "number": version.number,
    }
    return {
        "html": reverse("contributions:feedback_report", kwargs=kwargs),
        "csv": reverse("contributions:feedback_report_csv", kwargs=kwargs),
        "json": reverse("contributions:feedback_report_json", kwargs=kwargs),
    }


def _final_text(version: DraftVersion) -> dict[str, Any]:
    return {
        "draft": version.draft.slug,
        "title": version.draft.title,
        "version": version.number,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "sha256": text_sha256(version.source_markdown),
        "sections": section_digests(version.sections.order_by("order")),
        "feedback_report": feedback_report_urls(version),
    }


def _closing_payload(process: Process, closed_at: datetime, counts: InputCounts) -> dict[str, Any]:
    return {
        "closed_at": closed_at.isoformat(),
        "note": process.closing_note,
        "inputs": {"answered": counts.answered, "unanswered": counts.unanswered},
        "final_texts": [_final_text(version) for version in final_versions(process)],
    }


@transaction.atomic
def close_process(*, actor: User, process: Process, note: str = "") -> Process:
    """Close `process`: it accepts no more inputs, votes or statements from now on.

    Refused while inputs are unanswered unless `note` says why (the note is published)."""
    require(
        can_close_process(actor, process),
        _("Only the secretariat or the chair can close this process."),
    )
    # Lock the row: two people pressing "close" at once close it once.
    locked = Process.objects.select_for_update(no_key=True).get(pk=process.pk)
    if locked.closed_at is not None:
        raise ValidationError(
            _("This process was closed already, on %(date)s UTC.")
            % {"date": locked.closed_at.strftime("%Y-%m-%d %H:%M")}
        )
    note = note.strip()
    counts = input_counts(process)
    if counts.unanswered and not note:
        raise ValidationError(
            {
                "note": ngettext(
                    "%(count)d input is still unanswered. Answer it, or state why the process "
                    "closes anyway (the reason is published).",
                    "%(count)d inputs are still unanswered. Answer them, or state why the "
                    "process closes anyway (the reason is published).",
                    counts.unanswered,
                )
                % {"count": counts.unanswered}
            }
        )
    closed_at = timezone.now()
    process.closed_at = closed_at
    process.closed_by = actor
    process.closing_note = note
    process.save(update_fields=["closed_at", "closed_by", "closing_note", "updated_at"])
    append_entry(
        process=process, kind="process.closed", payload=_closing_payload(process, closed_at, counts)
    )
    run_closing_steps(process, closed_at)
    return process
