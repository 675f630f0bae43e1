"""`restore_backup`: an archive into an empty database, checked before and verified after.

1. Check the archive (`checking.check_archive`): a gzip-compressed tar whose members are exactly those the
   manifest lists, each with its SHA-256 and size; nothing is written before this passes.
2. Check the database: no Polyvox table holds a row; no migration in the archive (or in the
   database) is unknown to this code.
3. Migrate (to the archive's migrations when it is older than this code, then on after loading).
4. In one transaction: load every model in dependency order with raw inserts (the loaddata path:
   no save() override, no auto_now, no signals), the uploads, then check foreign keys, reset
   sequences, compare row counts with the manifest and verify every record against its latest
   checkpoint with the archived verifier key. Any failure rolls everything back and removes the
   uploads written so far.
5. Only then write the signing key, if asked for and in the archive (never over an existing one).
"""

import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from polyvox.operations.backup.archive import (
    DATABASE_DIR,
    MANIFEST,
    MEDIA_DIR,
    VERIFIER_KEY_MEMBER,
    BackupError,
    HashingReader,
    backed_up_models,
)
from polyvox.operations.backup.checking import (
    CHUNK,
    archive_members,
    check_archive,
    damaged_archive,
    open_member,
)
from polyvox.operations.backup.verifying import verify_records


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    records: list[str] = field(default_factory=list)
    private_key: str = ""
    notes: list[str] = field(default_factory=list)


# 2. The database -------------------------------------------------------------------------------


def _rows_in_tables(using: str) -> list[str]:
    """Backed-up tables that exist here and hold at least one row."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    busy = []
    with connection.cursor() as cursor:
        for model in backed_up_models():
            table = model._meta.db_table
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    busy.append(model._meta.label_lower)
    return busy


def _migration_targets(manifest: dict[str, Any], using: str) -> list[tuple[str, str]] | None:
    """None when the archive is at this code's migrations; else the archive's leaf migrations."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    archived = {
        (app_label, name)
        for app_label, names in (manifest.get("migrations") or {}).items()
        for name in names
    }
    newer = sorted(archived - known)
    if newer:
        listed = ", ".join(f"{app}.{name}" for app, name in newer[:5])
        raise BackupError(
            f"The archive was made by a newer Polyvox: this code does not know the migrations "
            f"{listed}. Upgrade Polyvox, then restore."
        )
    applied = set(loader.applied_migrations)
    unknown_here = sorted(applied - known)
    if unknown_here:
        raise BackupError(
            "This database was migrated by a newer Polyvox "
            f"({unknown_here[0][0]}.{unknown_here[0][1]}); restore into a new database."
        )
    graph_nodes = set(loader.graph.nodes)
    if graph_nodes <= archived:
        return None
    if applied - archived:
        raise BackupError(
            "The archive was made by an older Polyvox and this database is already migrated "
            "past it. Restore into a new database without tables: the archive is loaded at its "
            "own schema, then migrated."
        )
    return sorted(
        node
        for node in archived & graph_nodes
        if not any(child.key in archived for child in loader.graph.node_map[node].children)
    )


# 4. Loading ------------------------------------------------------------------------------------


class NaturalKeys:
    """Content types and permissions by natural key (their ids are this database's own)."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.cache: dict[tuple[str, tuple[Any, ...]], Any] = {}

    def resolve(self, model: type[models.Model], key: list[Any]) -> Any:
        label = model._meta.label_lower
        cache_key = (label, tuple(key))
        if cache_key not in self.cache:
            target = global_apps.get_model(label)
            manager: Any = target._default_manager.db_manager(self.using)
            try:
                self.cache[cache_key] = manager.get_by_natural_key(*key).pk
            except target.DoesNotExist as error:
                raise BackupError(
                    f"A row refers to {label} {key!r}, which this database does not have."
                ) from error
        return self.cache[cache_key]


def _build(
    model: type[models.Model], record: dict[str, Any], keys: NaturalKeys, where: str
) -> models.Model:
    meta = model._meta
    if record.get("model") != meta.label_lower or not isinstance(record.get("fields"), dict):
        raise BackupError(f"{where}: not a row of {meta.label_lower}.")
    values: dict[str, Any] = {meta.pk.attname: meta.pk.to_python(record.get("pk"))}
    for name, value in record["fields"].items():
        try:
            field: Any = meta.get_field(name)
        except Exception as error:
            raise BackupError(f"{where}: {meta.label_lower} has no field {name!r}.") from error
        if field.many_to_many:
            continue
        if field.is_relation:
            if value is None:
                values[field.attname] = None
            elif isinstance(value, list):
                values[field.attname] = keys.resolve(field.related_model, value)
            else:
                values[field.attname] = field.target_field.to_python(value)
        else:
            values[field.attname] = field.to_python(value)
    return model(**values)


def _insert(model: type[models.Model], batch: list[models.Model], using: str) -> None:
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    manager: Any = model._base_manager
    manager._insert(batch, fields=fields, raw=True, using=using)


def _load_model(
    model: type[models.Model], stream: HashingReader, member: str, keys: NaturalKeys, using: str
) -> int:
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    size = max(1, min(1000, connections[using].ops.bulk_batch_size(fields, [None] * 1000)))
    batch: list[models.Model] = []
    rows = 0
    text = io.TextIOWrapper(io.BufferedReader(stream, CHUNK), encoding="utf-8")
    number = 0
    try:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise BackupError(f"{member}, line {number}: not valid JSON ({error}).") from error
            try:
                batch.append(_build(model, record, keys, f"{member}, line {number}"))
            except (ValueError, TypeError, ValidationError) as error:
                raise BackupError(f"{member}, line {number}: {error}") from error
            rows += 1
            if len(batch) >= size:
                _insert(model, batch, using)
                batch = []
    except UnicodeDecodeError as error:
        raise BackupError(f"{member}, after line {number}: not UTF-8 text.") from error
    if batch:
        _insert(model, batch, using)
    return rows


def _restore_upload(name: str, stream: HashingReader, written: list[str]) -> bool:
    """Write one upload; False when an identical file is already there."""
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
        digest = hashlib.sha256()
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            spool.write(chunk)
        if default_storage.exists(name):
            existing = hashlib.sha256()
            with default_storage.open(name, "rb") as current:
                while chunk := current.read(CHUNK):
                    existing.update(chunk)
            if existing.digest() != digest.digest():
                raise BackupError(
                    f"The uploads storage already holds {name} with other content; restore "
                    "into an empty storage."
                )
            return False
        spool.seek(0)
        saved = default_storage.save(name, File(spool))
        written.append(saved)
        if saved != name:
            raise BackupError(f"The storage stored {name} as {saved}; restore stopped.")
    return True


def _load(
    path: Path,
    manifest: dict[str, Any],
    model_apps: Apps,
    using: str,
    report: RestoreReport,
    written: list[str],
) -> str | None:
    """Pass two: rows and uploads, inside the caller's transaction. Returns the verifier key."""
    by_member = {entry["member"]: entry["model"] for entry in manifest.get("models", [])}
    listed = manifest["members"]
    keys = NaturalKeys(using)
    verifier_text: str | None = None
    with damaged_archive(path):
        for tar, member in archive_members(path):
            stream = open_member(tar, member)
            reader = HashingReader(stream)
            if member.name.startswith(DATABASE_DIR):
                if member.name not in by_member:
                    raise BackupError(f"The manifest names no model for {member.name}.")
                label = by_member[member.name]
                try:
                    model = model_apps.get_model(label)
                except LookupError as error:
                    raise BackupError(f"This Polyvox has no model {label}.") from error
                report.rows[label] = _load_model(model, reader, member.name, keys, using)
            elif member.name.startswith(MEDIA_DIR):
                if _restore_upload(member.name[len(MEDIA_DIR) :], reader, written):
                    report.media_files += 1
            elif member.name == VERIFIER_KEY_MEMBER:
                verifier_text = reader.read().decode("utf-8").strip()
            else:
                reader.read()
            if member.name != MANIFEST:
                while reader.read(CHUNK):
                    pass
                if reader.hexdigest() != listed[member.name]["sha256"]:
                    raise BackupError(f"{member.name} changed while it was being restored.")
    return verifier_text


def _check_counts(manifest: dict[str, Any], model_apps: Apps, using: str) -> None:
    for entry in manifest.get("models", []):
        model = model_apps.get_model(entry["model"])
        count = model._base_manager.using(using).count()
        if count != entry["rows"]:
            raise BackupError(
                f"{entry['model']}: {count} rows after the restore, the manifest says "
                f"{entry['rows']}."
            )


def _reset_sequences(model_apps: Apps, manifest: dict[str, Any], using: str) -> None:
    connection = connections[using]
    loaded = [model_apps.get_model(entry["model"]) for entry in manifest.get("models", [])]
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _write_signing_key(data: bytes) -> str:
    key_file = Path(settings.POLYVOX_RECORD_KEY_FILE)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return f"restored to {key_file}"


def restore_backup(
    path: Path,
    *,
    with_private_key: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    log: Callable[[str], None] = lambda line: None,
) -> RestoreReport:
    manifest, signing_key = check_archive(path)
    report = RestoreReport(manifest=manifest)
    log(f"Archive checked: {len(manifest['members'])} members match the manifest.")
    key_file = Path(settings.POLYVOX_RECORD_KEY_FILE)
    if with_private_key:
        if signing_key is None:
            raise BackupError(
                "--with-private-key: the archive holds no signing key "
                "(it was made without --include-private-key)."
            )
        if key_file.exists() and key_file.read_bytes() != signing_key:
            raise BackupError(
                f"--with-private-key: a different signing key already exists at {key_file}; "
                "it is never overwritten. Move it away first, or restore without the key."
            )
    elif signing_key is not None:
        report.notes.append(
            "The archive holds the signing key; it was not restored (--with-private-key)."
        )
    busy = _rows_in_tables(using)
    if busy:
        raise BackupError(
            "The database is not empty (rows in "
            + ", ".join(busy[:5])
            + (", …" if len(busy) > 5 else "")
            + "). Restore only into an empty database."
        )
    targets = _migration_targets(manifest, using)
    connection = connections[using]
    if targets is None:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        model_apps: Apps = global_apps
    else:
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        model_apps = executor.loader.project_state(targets, at_end=True).apps
        from django.core.management.sql import emit_post_migrate_signal

        emit_post_migrate_signal(verbosity=0, interactive=False, db=using)
        report.notes.append("The archive is older than this code: loaded at its own schema.")
    if _rows_in_tables(using):
        raise BackupError("Migrating the database created rows; restore into a new database.")
    written: list[str] = []
    try:
        with transaction.atomic(using=using):
            verifier_text = _load(path, manifest, model_apps, using, report, written)
            try:
                connection.check_constraints()
            except DatabaseError as error:
                raise BackupError(f"The restored rows break a constraint: {error}") from error
            _reset_sequences(model_apps, manifest, using)
            _check_counts(manifest, model_apps, using)
            if targets is None:
                report.records = verify_records(verifier_key=verifier_text)
    except BaseException as error:
        for name in written:  # the uploads of a restore that did not happen
            default_storage.delete(name)
        if isinstance(error, DatabaseError):
            raise BackupError(f"The database refused the archive's rows: {error}") from error
        raise
    if targets is not None:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        report.records = verify_records(verifier_key=verifier_text)
    if with_private_key and signing_key is not None:
        report.private_key = (
            "already in place" if key_file.exists() else _write_signing_key(signing_key)
        )
    return report
