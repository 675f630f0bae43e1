"""Bulk import of submissions from CSV or JSONL files (`polyvox import submissions …`).

Column mapping — each field of a submission is read from the column of the same name unless
`mapping` says otherwise (`{"text": "body"}` reads the text from column `body`). Header names are
matched ignoring case, spaces and hyphens, so "Author name" is `author_name`:

| field | required | meaning |
|---|---|---|
| `text` | yes | the submission; same rules as the web form (whitespace normalised, ≤ 20,000 chars) |
| `author_name` | no | byline as published; "Anonymous" when empty |
| `organisation` | no | when given, the submission is shown as sent on the organisation's behalf |
| `stakeholder_group` | no | a key (`civil_society`) or label ("Civil society"); "individual" when empty |
| `country` | no | ISO 3166 alpha-2 code |
| `date` | no | ISO 8601 date or date-time (UTC when no offset); used for burst signals |
| `external_id` | no | the source system's id; a re-run skips ids already imported |
| `email_domain` | no | secretariat-only signal |
| `network` | no | IP address or network; kept as its /24 (IPv4) or /48 (IPv6), secretariat-only |

Attribution: every imported row belongs to one inactive "imported submissions" account per process
(unusable password, never e-mailed); the row's author name, organisation, stakeholder group and
country are snapshotted on the Contribution exactly as the web form snapshots a profile.

Speed: rows are validated in Python with the same rules `submit_contribution` applies (text,
lengths, known stakeholder groups and countries), then written with `bulk_create` in batches inside
one transaction — revision 1 and the intake are written alongside, with plain SQL through Django's
connection (the per-value compilation of `bulk_create` cost most of the time). Phase windows are not
checked: the secretariat imports inputs that reached it through another channel. The public record
gets one `submissions.imported` entry per run (counts, the file's SHA-256, the tracking-number
range), not one per row, and no receipts are sent.

Re-runs: a row with an external id is skipped when that id was imported before; a row without one
is skipped when a row with the same fields (and the same occurrence number within its file) was.
"""

import csv
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.campaigns.addresses import email_domain_of, network_block
from polyvox.campaigns.models import ImportRun, Source, SubmissionIntake
from polyvox.campaigns.permissions import can_import_submissions
from polyvox.contributions.models import Contribution, ContributionKind, ContributionRevision
from polyvox.contributions.services import MAX_BODY_CHARS
from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace
from polyvox.drafts.selectors import current_version
from polyvox.participants.models import Profile, StakeholderGroup, User
from polyvox.participants.regions import is_known_country
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

FIELDS = (
    "text",
    "author_name",
    "organisation",
    "stakeholder_group",
    "country",
    "date",
    "external_id",
    "email_domain",
    "network",
)
FORMATS = ("csv", "jsonl")
BATCH = 1000  # rows per INSERT: 22 columns x 1000 stays under SQLite's 32,766 variables
MAX_STORED_ERRORS = 10_000  # rows_rejected stays exact; the list of lines is capped


@dataclass
class _Clean:
    line: int
    values: dict[str, Any] = field(default_factory=dict)


def parse_mapping(text: str) -> dict[str, str]:
    """`text=body,author_name=name` → {"text": "body", "author_name": "name"}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, sep, column = part.partition("=")
        if not sep or not column.strip():
            raise ValidationError({"mapping": _("Write each mapping as field=column.")})
        mapping[name.strip()] = column.strip()
    return mapping


def column_key(name: str) -> str:
    """Header names match however they are written: "Author name", "author-name", "author_name"."""
    return "_".join(name.strip().casefold().replace("-", " ").split())


def _columns(mapping: Mapping[str, str] | None) -> dict[str, str]:
    unknown = sorted(set(mapping or {}) - set(FIELDS))
    if unknown:
        raise ValidationError(
            {
                "mapping": _("Unknown fields: %(fields)s (known: %(known)s).")
                % {"fields": ", ".join(unknown), "known": ", ".join(FIELDS)}
            }
        )
    return {name: column_key((mapping or {}).get(name, name)) for name in FIELDS}


def _format_of(path: Path, file_format: str | None) -> str:
    chosen = file_format or ("jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv")
    if chosen not in FORMATS:
        raise ValidationError({"format": _("The format must be csv or jsonl.")})
    return chosen


def _rows(path: Path, file_format: str, columns: dict[str, str]) -> Iterator[tuple[int, Any]]:
    """(line number, row dict — or an error message for a line that is not a row)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if file_format == "csv":
            reader = csv.DictReader(handle)
            reader.fieldnames = [column_key(name) for name in reader.fieldnames or []]
            if columns["text"] not in reader.fieldnames:
                raise ValidationError(
                    {
                        "path": _("The file has no “%(column)s” column.")
                        % {"column": columns["text"]}
                    }
                )
            for row in reader:
                yield reader.line_num, row
            return
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                yield number, _("This line is not valid JSON.")
                continue
            if not isinstance(row, dict):
                yield number, _("This line is not a JSON object.")
                continue
            yield number, {column_key(str(key)): value for key, value in row.items()}


_GROUPS = {
    **{key: key for key in StakeholderGroup.values},
    **{str(label).casefold(): key for key, label in StakeholderGroup.choices},
}


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw)


def _clean_row(
    row: Mapping[str, Any], columns: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(values, errors) for one row, with the rules the web form's service applies."""
    get = {name: _text(row.get(column)).strip() for name, column in columns.items()}
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    body = normalize_whitespace(get["text"])
    if not body:
        errors["text"] = [_("The text is empty.")]
    elif len(body) > MAX_BODY_CHARS:
        errors["text"] = [_("The text is longer than %d characters.") % MAX_BODY_CHARS]
    values["text"] = body
    name = " ".join(get["author_name"].split()) or _("Anonymous")
    if len(name) > 120:
        errors["author_name"] = [_("The author name is longer than 120 characters.")]
    values["author_name"] = name
    organisation = " ".join(get["organisation"].split())
    if len(organisation) > 200:
        errors["organisation"] = [_("The organisation is longer than 200 characters.")]
    values["organisation"] = organisation
    group = get["stakeholder_group"]
    values["stakeholder_group"] = _GROUPS.get(group.casefold(), "") if group else "individual"
    if not values["stakeholder_group"]:
        errors["stakeholder_group"] = [
            _("Unknown stakeholder group “%(group)s”.") % {"group": group}
        ]
    country = get["country"].upper()
    if country and not is_known_country(country):
        errors["country"] = [_("Unknown country code “%(code)s”.") % {"code": country}]
    values["country"] = country
    values["date"] = None
    if get["date"]:
        try:
            when = datetime.fromisoformat(get["date"])
            values["date"] = when if timezone.is_aware(when) else when.replace(tzinfo=UTC)
        except ValueError:
            errors["date"] = [_("Not an ISO 8601 date: “%(date)s”.") % {"date": get["date"]}]
    values["external_id"] = get["external_id"]
    if len(get["external_id"]) > 200:
        errors["external_id"] = [_("The external id is longer than 200 characters.")]
    for name_, clean in (("email_domain", email_domain_of), ("network", network_block)):
        try:
            values[name_] = clean(get[name_])
        except ValidationError as error:
            errors.update(error.message_dict)
    return values, errors


_HASHED = tuple(name for name in FIELDS if name != "external_id")


def _row_key(values: dict[str, Any]) -> tuple[str, ...]:
    """The fields that identify a row without an external id."""
    return tuple(str(values[name]) for name in _HASHED)


def _row_hash(key: tuple[str, ...], occurrence: int) -> str:
    return hashlib.sha256(json.dumps([*key, occurrence]).encode("utf-8")).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_account(process: Process) -> User:
    """The inactive account that imported submissions of `process` belong to."""
    user, created = User.objects.get_or_create(
        username=f"imported-submissions-{process.pk}",
        defaults={
            "email": f"imported-submissions-{process.pk}@imports.invalid",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Profile.objects.create(
            user=user,
            display_name=_("Imported submissions"),
            stakeholder_group=StakeholderGroup.INDIVIDUAL,
        )
    return user


def _accepted(
    path: Path, file_format: str, columns: dict[str, str], process: Process
) -> tuple[list[_Clean], list[dict[str, Any]], int]:
    """Rows to write, rejected lines with their errors, and rows imported by an earlier run."""
    seen_ids = set(
        SubmissionIntake.objects.filter(process=process)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    seen_hashes = set(
        SubmissionIntake.objects.filter(process=process)
        .exclude(row_hash="")
        .values_list("row_hash", flat=True)
    )
    ids_in_file: dict[str, int] = {}
    occurrences: dict[tuple[str, ...], int] = {}
    accepted: list[_Clean] = []
    rejected: list[dict[str, Any]] = []
    already = 0
    try:
        for line, row in _rows(path, file_format, columns):
            if isinstance(row, str):
                rejected.append({"line": line, "errors": {"__all__": [row]}})
                continue
            values, errors = _clean_row(row, columns)
            external = values["external_id"]
            if external and external in ids_in_file:
                errors.setdefault("external_id", []).append(
                    _("The same external id is on line %(line)d.") % {"line": ids_in_file[external]}
                )
            if errors:
                rejected.append({"line": line, "errors": errors})
                continue
            if external:
                ids_in_file[external] = line
                values["row_hash"] = ""
                duplicate = external in seen_ids
            else:
                key = _row_key(values)
                occurrences[key] = occurrences.get(key, 0) + 1
                values["row_hash"] = _row_hash(key, occurrences[key])
                duplicate = values["row_hash"] in seen_hashes
            if duplicate:
                already += 1
            else:
                accepted.append(_Clean(line, values))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValidationError({"path": _("The file cannot be read: %s") % error}) from error
    return accepted, rejected, already


_VARYING = (
    "author_name", "stakeholder_group", "country", "organisation", "on_behalf_of_organisation",
    "body", "tracking_number",
)  # fmt: skip


def _columns_of(
    model: type[Model], template: Model, varying: tuple[str, ...]
) -> tuple[list[str], list[Any], list[int]]:
    """(column names, database-ready values of `template`, positions of the `varying` fields).

    Every concrete field except the primary key, prepared once the way `save()` would: the
    fields that differ from row to row are then plain strings and booleans, needing no preparation.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    values = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    positions = [next(i for i, f in enumerate(fields) if f.attname == name) for name in varying]
    return columns, values, positions


def _insert_sql(model: type[Model], columns: list[str], rows: int, returning: str = "") -> str:
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Names come from the models and are quoted; every value is a parameter.
    table, names = quote(model._meta.db_table), ", ".join(map(quote, columns))
    return f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * rows)}{returning}"  # noqa: S608


_REVISION_COLUMNS = ["contribution_id", "number", "title", "body", "created_at"]
_INTAKE_COLUMNS = [
    "process_id", "contribution_id", "source", "import_run_id", "external_id",
    "idempotency_key", "row_hash", "email_domain", "network", "submitted_at",
]  # fmt: skip


def _copy(cursor: Any, model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY … FROM STDIN through psycopg: the fastest way in, one round trip."""
    quote = connection.ops.quote_name
    names = ", ".join(map(quote, columns))
    with cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_contributions(cursor: Any, columns: list[str], rows: list[list[Any]]) -> list[int]:
    """Insert the contributions; returns their ids in the order of `rows`."""
    if connection.vendor == "postgresql":
        table = Contribution._meta.db_table
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        _copy(
            cursor,
            Contribution,
            ["id", *columns],
            [(pk, *r) for pk, r in zip(ids, rows, strict=True)],
        )
        return ids
    number = columns.index("tracking_number")
    cursor.execute(
        _insert_sql(Contribution, columns, len(rows), " RETURNING id, tracking_number"),
        [value for row in rows for value in row],
    )
    by_number = {tracking: pk for pk, tracking in cursor.fetchall()}
    return [by_number[row[number]] for row in rows]


def _insert_many(
    cursor: Any, model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    if connection.vendor == "postgresql":
        _copy(cursor, model, columns, rows)
    else:
        cursor.executemany(_insert_sql(model, columns, 1), rows)


def _write(run: ImportRun, rows: list[_Clean], account: User) -> tuple[str, str]:
    """Insert contributions, revision 1 and intakes; returns the tracking-number range.

    Every row was validated by `_clean_row` with the rules of `submit_contribution`, so rows are
    written with plain SQL through Django's connection: on PostgreSQL with COPY (ids drawn from
    the table's sequence first), elsewhere with a multi-row INSERT … RETURNING for the
    contributions and `executemany` for revisions and intakes. The ORM's per-value compilation of
    `bulk_create` was most of the time of an import (see bench/RESULTS.md, "Bulk import").
    """
    process = run.process
    sequence = Contribution.objects.filter(process=process).count()
    now = timezone.now()
    template = Contribution(
        process=process,
        kind=ContributionKind.SUBMISSION,
        author=account,
        draft_version=current_version(process),  # answered in that version's feedback report
    )
    columns, base, positions = _columns_of(Contribution, template, _VARYING)
    stamp = connection.ops.adapt_datetimefield_value(now)
    for name in ("created_at", "updated_at"):  # auto_now(_add) took its own `now`: use ours
        base[columns.index(name)] = stamp
    adapt = connection.ops.adapt_datetimefield_value
    size = BATCH if connection.vendor != "postgresql" else 50_000
    with connection.cursor() as wrapper:
        # The driver's own cursor: Django's debug wrapper would render every batch as SQL text.
        cursor = wrapper.cursor
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            lines: list[list[Any]] = []
            for offset, row in enumerate(chunk, start=sequence + start + 1):
                v = row.values
                line = list(base)
                for position, value in zip(positions, (
                    v["author_name"], v["stakeholder_group"], v["country"], v["organisation"],
                    bool(v["organisation"]), v["text"], f"PVX-{process.pk}-{offset:05d}",
                ), strict=True):  # fmt: skip
                    line[position] = value
                lines.append(line)
            ids = _insert_contributions(cursor, columns, lines)
            _insert_many(cursor, ContributionRevision, _REVISION_COLUMNS, [
                (pk, 1, "", row.values["text"], stamp) for pk, row in zip(ids, chunk, strict=True)
            ])  # fmt: skip
            _insert_many(cursor, SubmissionIntake, _INTAKE_COLUMNS, [
                (process.pk, pk, Source.IMPORT.value, run.pk, row.values["external_id"], "",
                 row.values["row_hash"], row.values["email_domain"], row.values["network"],
                 adapt(row.values["date"]) if row.values["date"] else None)
                for pk, row in zip(ids, chunk, strict=True)
            ])  # fmt: skip
    first = f"PVX-{process.pk}-{sequence + 1:05d}"
    return first, f"PVX-{process.pk}-{sequence + len(rows):05d}"


@transaction.atomic
def import_submissions(
    *,
    actor: User,
    process: Process,
    path: str | Path,
    mapping: Mapping[str, str] | None = None,
    file_format: str | None = None,
) -> ImportRun:
    """Import every valid row of a CSV or JSONL file; invalid rows are reported by line number.

    Raises ValidationError (key "path") only when the file cannot be read at all.
    """
    require(can_import_submissions(actor, process), _("Only the secretariat imports submissions."))
    source = Path(path)
    columns = _columns(mapping)
    chosen = _format_of(source, file_format)
    if not source.is_file():
        raise ValidationError({"path": _("No such file: %s") % source})
    accepted, rejected, already = _accepted(source, chosen, columns, process)
    Process.objects.select_for_update().filter(pk=process.pk).first()
    run = ImportRun.objects.create(
        process=process,
        actor=actor,
        file_name=source.name[:255],
        file_format=chosen,
        sha256=_sha256(source),
        rows_ok=len(accepted),
        rows_rejected=len(rejected),
        rows_already_imported=already,
        errors=rejected[:MAX_STORED_ERRORS],
    )
    first, last = _write(run, accepted, import_account(process)) if accepted else ("", "")
    append_entry(
        process=process,
        kind="submissions.imported",
        payload={
            "file_sha256": run.sha256,
            "rows_imported": run.rows_ok,
            "rows_rejected": run.rows_rejected,
            "rows_already_imported": already,
            "first_tracking_number": first,
            "last_tracking_number": last,
        },
    )
    if accepted:
        transaction.on_commit(lambda: _enqueue_detection(process.pk, actor.pk))
    return run


def _enqueue_detection(process_id: int, actor_id: int) -> None:
    from polyvox.campaigns.tasks import detect_campaigns_task

    detect_campaigns_task.enqueue(process_id, actor_id)
