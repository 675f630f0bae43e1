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
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.urls import reverse

from polyvox.contributions.input_groups import InputGroup, input_groups
from polyvox.contributions.models import Contribution
from polyvox.drafts.models import Section

CHUNK = 2000  # rows read per query; a download of 100,000 inputs takes 50 reads
PIECE = 64 * 1024  # characters sent at a time

COLUMNS = (
    "tracking_number", "url", "kind", "draft", "version", "section", "parent", "author",
    "stakeholder_group", "organisation", "organisation_slug", "title", "text", "language", "attachment",
    "submitted_at", "late",
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
        "language": contribution.language,
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


# The columns `public_row` reads, fetched as plain values: building five model instances per row
# cost 0.45 ms, 45 s for a download of 100,000 inputs.
VALUES = (
    "pk", "tracking_number", "process__slug", "kind", "draft_version__draft__slug",
    "draft_version__number", "section__anchor", "parent__tracking_number", "author_name",
    "stakeholder_group", "organisation", "on_behalf_of_organisation", "on_behalf_of__slug",
    "title", "body", "language", "attachment", "created_at", "is_late", "disposition__id",
    "disposition__outcome", "disposition__reason", "disposition__updated_at",
    "disposition__duplicate_of__tracking_number",
)  # fmt: skip
_ANSWER = VALUES.index("disposition__id")
_SAFE_NUMBER = re.compile(r"[A-Za-z0-9._~-]+")  # reversed into a URL unchanged


def _changes(disposition_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The sections each answer changed, in the order `disposition.changed_sections.all()` gives."""
    changes: dict[int, list[dict[str, Any]]] = {}
    if not disposition_ids:
        return changes
    rows = (
        Section.objects.filter(dispositions__in=disposition_ids)
        .annotate(disposition_id=F("dispositions__id"))
        .values_list("disposition_id", "version__number", "anchor")
    )
    for disposition_id, number, anchor in rows:
        changes.setdefault(disposition_id, []).append({"version": number, "section": anchor})
    return changes


class _Urls:
    """An input's page and attachment URLs, reversed once per process rather than once per row."""

    def __init__(self) -> None:
        self._patterns: dict[str, tuple[str, str]] = {}

    def __call__(self, slug: str, number: str) -> tuple[str, str]:
        if not _SAFE_NUMBER.fullmatch(number):
            return self._reverse(slug, number)
        if slug not in self._patterns:
            self._patterns[slug] = self._reverse(slug, "TRACKING-NUMBER")
        page, attachment = self._patterns[slug]
        return page.replace("TRACKING-NUMBER", number), attachment.replace(
            "TRACKING-NUMBER", number
        )

    @staticmethod
    def _reverse(slug: str, number: str) -> tuple[str, str]:
        kwargs = {"slug": slug, "tracking_number": number}
        page = reverse("contributions:detail", kwargs=kwargs)
        attachment = reverse("contributions:attachment", kwargs=kwargs)
        return page, f"{settings.SITE_URL}{attachment}"


def _row(values: tuple[Any, ...], group: InputGroup | None, urls: _Urls, changes: Any) -> dict[str, Any]:  # fmt: skip
    """`public_row` of the input whose `VALUES` are `values`."""
    (_pk, number, slug, kind, draft, version, section, parent, author, group_name, organisation,
     speaks_for, organisation_slug, title, body, language, attachment, created_at, late, disposition,
     outcome, reason, answered_at, duplicate) = values  # fmt: skip
    page, attachment_url = urls(slug, number)
    answered = disposition is not None
    return {
        "tracking_number": number,
        "url": page,
        "kind": kind,
        "draft": draft,
        "version": version,
        "section": section,
        "parent": parent,
        "author": author,
        "stakeholder_group": group_name,
        "organisation": organisation if speaks_for else "",
        "organisation_slug": organisation_slug,
        "title": title,
        "text": body,
        "language": language,
        "attachment": attachment_url if attachment else None,
        "submitted_at": created_at.isoformat(),
        "late": late,
        "outcome": outcome if answered else None,
        "reason": reason if answered else "",
        "answered_at": answered_at.isoformat() if answered else None,
        "duplicate_of": duplicate,
        "changes": changes.get(disposition, []) if answered else [],
        "campaign": group.group_id if group else None,
        "campaign_size": group.size if group else None,
    }


def public_rows(contributions: QuerySet[Contribution]) -> Iterator[dict[str, Any]]:
    """Every input of `contributions` as `public_row`, in its order, read `CHUNK` rows (with
    their campaigns and changed sections) at a time: memory and queries grow with the number of
    chunks, never with one query or object per row."""
    plain = contributions.select_related(None).prefetch_related(None)
    rows = plain.values_list(*VALUES).iterator(chunk_size=CHUNK)
    urls = _Urls()
    while chunk := list(islice(rows, CHUNK)):
        groups = input_groups(Contribution.objects.filter(pk__in=[row[0] for row in chunk]))
        changes = _changes([row[_ANSWER] for row in chunk if row[_ANSWER] is not None])
        for values in chunk:
            yield _row(values, groups.get(values[0]), urls, changes)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # linked changes, as in the feedback report: `v2#anchor`
        return " ".join(f"v{change['version']}#{change['section']}" for change in value)
    return value


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The header, then the CSV lines of the rows (RFC 4180 quoting, `\n` line ends), in pieces
    of about `PIECE` characters: one piece per row cost the response as much as the row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(row[column]) for column in COLUMNS])
        if buffer.tell() >= PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()  # the rest, or the header alone when there are no rows


def json_chunks(header: dict[str, Any], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`{…header, "contributions": [rows]}` as one JSON document, written row by row and sent in
    pieces of about `PIECE` characters."""
    opening = json.dumps({**header, "contributions": []}, ensure_ascii=False)
    pieces = [opening[:-2]]  # the document up to the opening bracket of the empty list
    size = 0
    for number, row in enumerate(rows):
        line = ("" if number == 0 else ",") + "\n" + json.dumps(row, ensure_ascii=False)
        pieces.append(line)
        size += len(line)
        if size >= PIECE:
            yield "".join(pieces)
            pieces, size = [], 0
    pieces.append("\n]}\n")
    yield "".join(pieces)
