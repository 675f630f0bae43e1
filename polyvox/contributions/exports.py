"""Feedback report downloads as CSV and JSON: the public fields of the report, nothing else.

A campaign is one row, its template's, with `campaign` (the campaign id) and `supporters` (its
number of submissions); an input that stands alone has an empty campaign and 1 supporter.
"""

import csv
import io
from typing import Any

from polyvox.contributions.pages import FEEDBACK_REPORT_DATA
from polyvox.contributions.selectors.feedback_report import FeedbackReport, ReportedInput, Share
from polyvox.processes.models import Process

CSV_COLUMNS = (
    "tracking_number", "kind", "author", "stakeholder_group", "organisation", "organisation_slug",
    "section", "title", "text", "submitted_at", "late", "outcome", "reason", "duplicate_of",
    "linked_changes", "campaign", "supporters",
)  # fmt: skip


def _changes_text(item: ReportedInput) -> str:
    return " ".join(f"v{change.version_number}#{change.anchor}" for change in item.changes)


def feedback_report_csv(report: FeedbackReport) -> str:
    """One row per input; linked changes as `v2#anchor` separated by spaces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in report.inputs:
        writer.writerow([
            item.tracking_number, item.kind, item.author_name, item.stakeholder_group,
            item.organisation, item.organisation_slug, item.section_anchor, item.title, item.body,
            item.submitted_at.isoformat(), "yes" if item.is_late else "no", item.outcome,
            item.reason, item.duplicate_of, _changes_text(item),
            item.campaign_id or "", item.supporters,
        ])  # fmt: skip
    return buffer.getvalue()


def _share(share: Share) -> dict[str, Any]:
    return {
        "key": share.key,
        "label": share.label,
        "answered": share.answered,
        "total": share.total,
    }


def feedback_report_data(report: FeedbackReport) -> dict[str, Any]:
    """The report as plain JSON-ready data (also the API's answer), with what the apps above
    add to it (`FEEDBACK_REPORT_DATA`: joint statements beside their linked statements)."""
    process = Process.objects.get(slug=report.process_slug)
    return {
        "process": report.process_slug,
        "draft": report.draft_slug,
        "draft_title": report.draft_title,
        "version": report.version_number,
        "next_version": report.next_version_number,
        "inputs": [
            {
                "tracking_number": item.tracking_number,
                "kind": item.kind,
                "author": item.author_name,
                "stakeholder_group": item.stakeholder_group,
                "organisation": item.organisation,
                "organisation_slug": item.organisation_slug or None,
                "section": item.section_anchor or None,
                "title": item.title,
                "text": item.body,
                "submitted_at": item.submitted_at.isoformat(),
                "late": item.is_late,
                "outcome": item.outcome or None,
                "reason": item.reason,
                "duplicate_of": item.duplicate_of or None,
                "changes": [
                    {"version": change.version_number, "section": change.anchor}
                    for change in item.changes
                ],
                "campaign": item.campaign_id,
                "supporters": item.supporters,
            }
            for item in report.inputs
        ],
        "next_version_sections": [
            {"section": s.anchor, "heading": s.heading, "inputs": list(s.inputs)}
            for s in report.next_version_sections
        ],
        "figures": {
            "overall": _share(report.overall),
            "submissions": _share(report.submissions),
            "by_stakeholder_group": [_share(s) for s in report.by_stakeholder_group],
            "by_region": [_share(s) for s in report.by_region],
        },
        **FEEDBACK_REPORT_DATA.data(process),
    }
