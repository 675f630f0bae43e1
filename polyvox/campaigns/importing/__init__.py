"""Bulk import of submissions from CSV or JSONL files (`polyvox import submissions …`).

Column mapping — each field of a submission is read from the column of the same name unless
`mapping` says otherwise (`{"text": "body"}` reads the text from column `body`). Header names are
matched ignoring case, spaces and hyphens, so "Author name" is `author_name`:

| field | required | meaning |
|---|---|---|
| `text` | yes | the submission; same rules as the web form (`contributions.services.rules`) |
| `author_name` | no | byline as published; "Anonymous" when empty |
| `organisation` | no | when given, the submission is sent on that organisation's behalf: an active organisation of that name (case and spaces ignored), or a new unverified one registered once per name with the row's stakeholder group and country |
| `stakeholder_group` | no | a key (`civil_society`) or label ("Civil society"); "individual" when empty |
| `country` | no | ISO 3166 alpha-2 code |
| `date` | no | ISO 8601 date or date-time (UTC when no offset); used for burst signals |
| `external_id` | no | the source system's id; a re-run skips ids already imported |
| `email_domain` | no | secretariat-only signal |
| `network` | no | IP address or network; kept as its /24 (IPv4) or /48 (IPv6), secretariat-only |

Attribution: every imported row belongs to one inactive "imported submissions" account per process
(unusable password, never e-mailed); the row's author name, organisation, stakeholder group and
country are snapshotted on the Contribution exactly as the web form snapshots a profile.

Speed and sameness: each row goes through the rules every way in applies (`rows.clean_row` calls
`contributions.services.rules` and the intake's `clean_external_id`; known stakeholder groups and
countries are checked as profiles check them), then `writing` puts the rows in with plain SQL
through Django's connection, inside one transaction — COPY on PostgreSQL, multi-row INSERT
elsewhere — with revision 1 and the intake alongside (the ORM's per-value compilation cost most of
the time). `tests/campaigns/test_import_rules_property.py` proves import and intake accept, reject
and store the same inputs.

Phase windows are not checked: the secretariat imports inputs that reached it through another
channel. The public record
gets one `submissions.imported` entry per run (counts, the file's SHA-256, the tracking-number
range), not one per row, and no receipts are sent.

Re-runs: a row with an external id is skipped when that id was imported before; a row without one
is skipped when a row with the same fields (and the same occurrence number within its file) was.
"""

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.campaigns.importing.files import columns_of, file_sha256, format_of, read_rows
from polyvox.campaigns.importing.organisations import organisations_for
from polyvox.campaigns.importing.rows import CleanRow, clean_row, row_hash, row_key
from polyvox.campaigns.importing.writing import write_rows
from polyvox.campaigns.models import ImportRun, SubmissionIntake
from polyvox.core.permissions import require
from polyvox.participants.models import Profile, StakeholderGroup, User
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.record.services import append_entry

MAX_STORED_ERRORS = 10_000  # rows_rejected stays exact; the list of lines is capped


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
) -> tuple[list[CleanRow], list[dict[str, Any]], int]:
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
    accepted: list[CleanRow] = []
    rejected: list[dict[str, Any]] = []
    already = 0
    try:
        for line, row in read_rows(path, file_format, columns):
            if isinstance(row, str):
                rejected.append({"line": line, "errors": {"__all__": [row]}})
                continue
            values, errors = clean_row(row, columns)
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
                key = row_key(values)
                occurrences[key] = occurrences.get(key, 0) + 1
                values["row_hash"] = row_hash(key, occurrences[key])
                duplicate = values["row_hash"] in seen_hashes
            if duplicate:
                already += 1
            else:
                accepted.append(CleanRow(line, values))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValidationError({"path": _("The file cannot be read: %s") % error}) from error
    return accepted, rejected, already


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
    require(is_secretariat(actor, process), _("Only the secretariat imports submissions."))
    source = Path(path)
    columns = columns_of(mapping)
    chosen = format_of(source, file_format)
    if not source.is_file():
        raise ValidationError({"path": _("No such file: %s") % source})
    accepted, rejected, already = _accepted(source, chosen, columns, process)
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    run = ImportRun.objects.create(
        process=process,
        actor=actor,
        file_name=source.name[:255],
        file_format=chosen,
        sha256=file_sha256(source),
        rows_ok=len(accepted),
        rows_rejected=len(rejected),
        rows_already_imported=already,
        errors=rejected[:MAX_STORED_ERRORS],
    )
    first, last = (
        write_rows(run, accepted, import_account(process), organisations_for(accepted))
        if accepted
        else ("", "")
    )
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
