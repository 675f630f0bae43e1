"""Writing imported rows fast: plain SQL through Django's connection (COPY on PostgreSQL).

Every value comes from rows cleaned by `rows.clean_row` and tracking numbers from
`contributions.services.rules` (numbered from each row's id, as `submit_contribution` numbers), so
this module only moves data; it decides nothing.
"""

from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from polyvox.campaigns.importing.organisations import name_key
from polyvox.campaigns.importing.rows import CleanRow
from polyvox.campaigns.models import ImportRun, Source, SubmissionIntake
from polyvox.contributions.models import Contribution, ContributionKind, ContributionRevision
from polyvox.contributions.services.rules import format_tracking_number
from polyvox.drafts.selectors import current_version
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User

BATCH = 1000  # rows per INSERT: 22 columns x 1000 stays under SQLite's 32,766 variables


_VARYING = (
    "author_name", "stakeholder_group", "country", "organisation", "on_behalf_of_organisation",
    "on_behalf_of_id", "body", "tracking_number", "language",
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


def _insert_contributions(
    cursor: Any, columns: list[str], rows: list[list[Any]], process_id: int
) -> list[int]:
    """Insert the contributions, each numbered from its id; returns their ids in row order."""
    number = columns.index("tracking_number")
    if connection.vendor == "postgresql":
        table = Contribution._meta.db_table
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        for pk, row in zip(ids, rows, strict=True):
            row[number] = format_tracking_number(process_id, pk)
        _copy(
            cursor,
            Contribution,
            ["id", *columns],
            [(pk, *r) for pk, r in zip(ids, rows, strict=True)],
        )
        return ids
    # Elsewhere an id is known once the row is in: unique placeholders, numbered in the same
    # transaction, so no committed row is ever without its number.
    for row in rows:
        row[number] = uuid4().hex
    cursor.execute(
        _insert_sql(Contribution, columns, len(rows), " RETURNING id, tracking_number"),
        [value for row in rows for value in row],
    )
    by_placeholder = {tracking: pk for pk, tracking in cursor.fetchall()}
    ids = [by_placeholder[row[number]] for row in rows]
    quote = connection.ops.quote_name
    cursor.executemany(
        f"UPDATE {quote(Contribution._meta.db_table)} SET {quote('tracking_number')} = %s "  # noqa: S608
        f"WHERE {quote('id')} = %s",
        [(format_tracking_number(process_id, pk), pk) for pk in ids],
    )
    return ids


def _insert_many(
    cursor: Any, model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    if connection.vendor == "postgresql":
        _copy(cursor, model, columns, rows)
    else:
        cursor.executemany(_insert_sql(model, columns, 1), rows)


def write_rows(
    run: ImportRun,
    rows: list[CleanRow],
    account: User,
    organisations: Mapping[str, Organisation] | None = None,
) -> tuple[str, str]:
    """Insert contributions, revision 1 and intakes; returns the tracking-number range.

    A row naming an organisation speaks for it: `organisations` maps each name (`name_key`) to
    its record (`importing.organisations.organisations_for`), whose id the row points at and
    whose name its byline keeps, so the CHECK constraint on `on_behalf_of` holds.

    Every row was validated by `rows.clean_row` with the rules of `submit_contribution`, so rows are
    written with plain SQL through Django's connection: on PostgreSQL with COPY (ids drawn from
    the table's sequence first), elsewhere with a multi-row INSERT … RETURNING for the
    contributions and `executemany` for revisions and intakes. The ORM's per-value compilation of
    `bulk_create` was most of the time of an import (see bench/RESULTS.md, "Bulk import").
    """
    process = run.process
    speaking = organisations or {}
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
        first_id = last_id = 0
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            lines: list[list[Any]] = []
            for row in chunk:
                v = row.values
                line = list(base)
                speaks_for = (
                    speaking.get(name_key(v["organisation"])) if v["organisation"] else None
                )
                if v["organisation"] and speaks_for is None:
                    raise ValueError(f"No organisation resolved for line {row.line}.")
                for position, value in zip(positions, (
                    v["author_name"], v["stakeholder_group"], v["country"],
                    speaks_for.name if speaks_for else "", speaks_for is not None,
                    speaks_for.pk if speaks_for else None, v["text"],
                    "",  # the number: from the id, when inserted
                    v["language"],
                ), strict=True):  # fmt: skip
                    line[position] = value
                lines.append(line)
            ids = _insert_contributions(cursor, columns, lines, process.pk)
            first_id, last_id = first_id or ids[0], ids[-1]
            _insert_many(cursor, ContributionRevision, _REVISION_COLUMNS, [
                (pk, 1, "", row.values["text"], stamp) for pk, row in zip(ids, chunk, strict=True)
            ])  # fmt: skip
            _insert_many(cursor, SubmissionIntake, _INTAKE_COLUMNS, [
                (process.pk, pk, Source.IMPORT.value, run.pk, row.values["external_id"], "",
                 row.values["row_hash"], row.values["email_domain"], row.values["network"],
                 adapt(row.values["date"]) if row.values["date"] else None)
                for pk, row in zip(ids, chunk, strict=True)
            ])  # fmt: skip
    return format_tracking_number(process.pk, first_id), format_tracking_number(process.pk, last_id)
