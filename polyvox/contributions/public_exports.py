"""Open data: every public field of a process's visible inputs, streamed as CSV or JSON.

One row per input (a campaign's members each have their row, with the campaign id and size),
with its public answer. Never a private field: not the author's account or e-mail, the country
or gender of the profile, internal notes, assignments, proposed answers, or hidden inputs
(`public_inputs` leaves them out); the organisation only where the input speaks for it, as on
the page. Rows are read in chunks (`iterator(chunk_size=…)`), so memory and queries grow with
the number of chunks, never with one query per row.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from polyvox.contributions.input_groups import InputGroup, input_groups
from polyvox.contributions.models import Contribution

CHUNK = 2000  # rows read per query; a download of 100,000 inputs takes 50 reads

COLUMNS = (
    "tracking_number", "url", "kind", "draft", "version", "section", "parent", "author",
    "stakeholder_group", "organisation", "organisation_slug", "title", "text", "attachment", "submitted_at", "late",
    "outcome", "reason", "answered_at", "duplicate_of", "changes", "campaign", "campaign_size",
)  # fmt: skip


def public_row(contribution: Contribution, group: InputGroup | None) -> dict[str, Any]:
    """The public fields of one input, JSON-ready, in `COLUMNS` order."""
    version = contribution.draft_version
    disposition = getattr(contribution, "disposition", None)
    duplicate = disposition.duplicate_of if disposition else None
    return {
        "tracking_number": contribution.tracking_number,
        "url": contribution.get_absolute_url(),
        "kind": contribution.kind,
        "draft": version.draft.slug if version else None,
        "version": version.number if version else None,
        "section": contribution.section.anchor if contribution.section else None,
        "parent": contribution.parent.tracking_number if contribution.parent else None,
        "author": contribution.author_name,
        "stakeholder_group": contribution.stakeholder_group,
        "organisation": (
            contribution.organisation if contribution.on_behalf_of_organisation else ""
        ),
        "organisation_slug": contribution.on_behalf_of.slug if contribution.on_behalf_of else None,
        "title": contribution.title,
        "text": contribution.body,
        "attachment": _attachment_url(contribution) if contribution.attachment else None,
        "submitted_at": contribution.created_at.isoformat(),
        "late": contribution.is_late,
        "outcome": disposition.outcome if disposition else None,
        "reason": disposition.reason if disposition else "",
        "answered_at": disposition.updated_at.isoformat() if disposition else None,
        "duplicate_of": duplicate.tracking_number if duplicate else None,
        "changes": [
            {"version": section.version.number, "section": section.anchor}
            for section in (disposition.changed_sections.all() if disposition else [])
        ],
        "campaign": group.group_id if group else None,
        "campaign_size": group.size if group else None,
    }


def _attachment_url(contribution: Contribution) -> str:
    """The attachment behind its access check (the storage's own URL is not public)."""
    path = reverse(
        "contributions:attachment",
        kwargs={"slug": contribution.process.slug, "tracking_number": contribution.tracking_number},
    )
    return f"{settings.SITE_URL}{path}"


def public_rows(contributions: QuerySet[Contribution]) -> Iterator[dict[str, Any]]:
    """Every input of `contributions` as `public_row`, read `CHUNK` rows (and their campaigns) at
    a time."""
    rows = contributions.select_related("process").iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        groups = input_groups(Contribution.objects.filter(pk__in=[c.pk for c in chunk]))
        for contribution in chunk:
            yield public_row(contribution, groups.get(contribution.pk))


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # linked changes, as in the feedback report: `v2#anchor`
        return " ".join(f"v{change['version']}#{change['section']}" for change in value)
    return value


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The header, then one CSV line per row (RFC 4180 quoting, `\\n` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(row[column]) for column in COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone when there are no rows


def json_chunks(header: dict[str, Any], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`{…header, "contributions": [rows]}` as one JSON document, written row by row."""
    opening = json.dumps({**header, "contributions": []}, ensure_ascii=False)
    yield opening[:-2]  # the document up to the opening bracket of the empty list
    for number, row in enumerate(rows):
        yield ("" if number == 0 else ",") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"
