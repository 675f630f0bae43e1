"""Feedback report downloads as CSV and JSON: the public fields of the report, nothing else.

A campaign is one row, its template's, with `campaign` (the campaign id) and `supporters` (its
number of submissions); an input that stands alone has an empty campaign and 1 supporter.
Both downloads are written in pieces as the report's inputs are read (`csv_lines`,
`json_chunks`), byte for byte what one `json.dumps` (or one CSV writer) of the whole report gave.
"""

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from polyvox.contributions.pages import FEEDBACK_REPORT_DATA
from polyvox.contributions.selectors.feedback_report import (
    FeedbackReport,
    ReportedInput,
    SectionInputs,
    Share,
)
from polyvox.processes.models import Process

CSV_COLUMNS = (
    "tracking_number", "kind", "author", "stakeholder_group", "organisation", "organisation_slug",
    "section", "title", "text", "submitted_at", "late", "outcome", "reason", "duplicate_of",
    "linked_changes", "campaign", "supporters",
)  # fmt: skip


def _changes_text(item: ReportedInput) -> str:
    return " ".join(f"v{change.version_number}#{change.anchor}" for change in item.changes)


PIECE_CHARS = 64 * 1024  # streamed pieces are about this long: few writes, little memory


def _pieces(parts: Iterable[str]) -> Iterator[str]:
    """`parts` joined into pieces of about `PIECE_CHARS` characters."""
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= PIECE_CHARS:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _csv_rows(report: FeedbackReport) -> Iterator[str]:
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
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone when there are no inputs


def csv_lines(report: FeedbackReport) -> Iterator[str]:
    """One row per input, streamed; linked changes as `v2#anchor` separated by spaces."""
    return _pieces(_csv_rows(report))


def feedback_report_csv(report: FeedbackReport) -> str:
    """The whole CSV at once (small reports, tests); the download streams `csv_lines`."""
    return "".join(csv_lines(report))


def _share(share: Share) -> dict[str, Any]:
    return {
        "key": share.key,
        "label": share.label,
        "answered": share.answered,
        "total": share.total,
    }


def input_data(item: ReportedInput) -> dict[str, Any]:
    """One input of the report as JSON-ready data."""
    return {
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
            {"version": change.version_number, "section": change.anchor} for change in item.changes
        ],
        "campaign": item.campaign_id,
        "supporters": item.supporters,
    }


def _section_data(section: SectionInputs) -> dict[str, Any]:
    return {"section": section.anchor, "heading": section.heading, "inputs": list(section.inputs)}


def feedback_report_data(
    report: FeedbackReport, *, inputs: Iterable[ReportedInput] | None = None
) -> dict[str, Any]:
    """The report as plain JSON-ready data (also the API's answer: `inputs` one page of them;
    None: every input), with what the apps above add to it (`FEEDBACK_REPORT_DATA`: joint
    statements beside their linked statements)."""
    process = Process.objects.get(slug=report.process_slug)
    return {
        "process": report.process_slug,
        "draft": report.draft_slug,
        "draft_title": report.draft_title,
        "version": report.version_number,
        "next_version": report.next_version_number,
        "inputs": [input_data(item) for item in (report.inputs if inputs is None else inputs)],
        "next_version_sections": [_section_data(s) for s in report.next_version_sections],
        "figures": {
            "overall": _share(report.overall),
            "submissions": _share(report.submissions),
            "by_stakeholder_group": [_share(s) for s in report.by_stakeholder_group],
            "by_region": [_share(s) for s in report.by_region],
        },
        **FEEDBACK_REPORT_DATA.data(process),
    }


def _json_list(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A list that is the value of a top-level key, as `json.dumps(…, indent=2)` writes it."""
    empty = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("[\n    " if empty else ",\n    ") + text
        empty = False
    yield "[]" if empty else "\n  ]"


def json_chunks(report: FeedbackReport) -> Iterator[str]:
    """The report as `json.dumps(feedback_report_data(report), ensure_ascii=False, indent=2)`,
    written in pieces: the document around the two lists, then the inputs one by one."""
    marks = {key: f"\x00{key}-{uuid.uuid4()}" for key in ("inputs", "next_version_sections")}
    data = feedback_report_data(report, inputs=())
    data.update(marks)
    document = json.dumps(data, ensure_ascii=False, indent=2)
    before, rest = document.split(json.dumps(marks["inputs"]), 1)
    between, after = rest.split(json.dumps(marks["next_version_sections"]), 1)
    return _pieces(
        chain(
            [before],
            _json_list(input_data(item) for item in report.inputs),
            [between],
            _json_list(_section_data(s) for s in report.next_version_sections),
            [after],
        )
    )
