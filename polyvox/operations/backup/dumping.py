"""`write_backup`: the database, the uploads and the record's keys into one streamed archive.

The rows are read in one read-only snapshot (REPEATABLE READ on PostgreSQL, a deferred read
transaction on SQLite in WAL mode, which does not hold the write lock), so a backup taken while the
site runs is consistent: a checkpoint and the entries and nodes it covers are read together. Each
model's rows go through `queryset.iterator()` into a temporary file (tar needs a member's size
before its bytes); nothing holds every row in memory.
"""

import datetime
import gzip
import io
import json
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from polyvox.operations.backup.archive import (
    EXCLUDED_MODELS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NATURAL_KEY_MODELS,
    SIGNING_KEY_MEMBER,
    VERIFIER_KEY_MEMBER,
    BackupError,
    HashingReader,
    backed_up_models,
    database_member,
    file_fields,
    media_member,
    migrations_by_app,
)
from polyvox.record.keys import verifier_key


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONLSerializer):
    """Django's JSON Lines, with natural keys only for content types and permissions (their ids
    differ between databases; a user's natural key would cost a query per row on restore), and
    many-to-many rows left to their own tables."""

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = field.related_model._meta.label_lower in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        return  # the auto-created through table is dumped as a model of its own


def polyvox_version() -> str:
    try:
        return metadata.version("polyvox")
    except metadata.PackageNotFoundError:
        return "unknown"


@contextmanager
def read_snapshot(using: str) -> Iterator[None]:
    """One consistent, read-only view of the database for the whole dump."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    if connection.vendor == "sqlite" and outermost:
        # IMMEDIATE (our setting) would take the write lock for the whole backup; a deferred
        # transaction in WAL mode reads one snapshot and lets writers go on.
        previous = getattr(connection, "transaction_mode", None)
        setattr(connection, "transaction_mode", "DEFERRED")  # noqa: B010
        try:
            with transaction.atomic(using=using):
                yield
        finally:
            setattr(connection, "transaction_mode", previous)  # noqa: B010
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _counted(rows: Iterator[models.Model], counter: list[int]) -> Iterator[models.Model]:
    for row in rows:
        counter[0] += 1
        yield row


def _dump_model(model: type[models.Model], path: Path, using: str) -> int:
    queryset = model._base_manager.using(using).order_by("pk")
    natural = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label_lower in NATURAL_KEY_MODELS  # type: ignore[union-attr]
    ]
    if natural:
        queryset = queryset.select_related(*natural)
    counter = [0]
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        BackupSerializer().serialize(
            _counted(queryset.iterator(chunk_size=2000), counter),
            stream=stream,
            use_natural_foreign_keys=True,
            cls=ExactEncoder,
        )
    return counter[0]


def _media_names(model: type[models.Model], using: str) -> Iterator[str]:
    for field in file_fields(model):
        names = (
            model._base_manager.using(using)
            .exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .order_by()
            .values_list(field.attname, flat=True)
            .distinct()
        )
        yield from names.iterator(chunk_size=5000)


def _add(archive: tarfile.TarFile, name: str, size: int, stream: IO[bytes], mode: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.mtime = int(time.time())
    info.uname = info.gname = "polyvox"
    reader = HashingReader(stream)
    archive.addfile(info, reader)
    return reader.hexdigest()


def write_backup(
    out: IO[bytes],
    *,
    include_private_key: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Write one archive to `out` (a binary stream, seekable or not); return its manifest."""
    key_file = Path(settings.POLYVOX_RECORD_KEY_FILE)
    private_key: bytes | None = None
    if include_private_key:
        try:
            private_key = key_file.read_bytes()
        except FileNotFoundError as error:
            raise BackupError(
                f"--include-private-key: there is no signing key at {key_file}."
            ) from error
    public_key = verifier_key()
    connection = connections[using]
    members: dict[str, dict[str, Any]] = {}
    model_rows: list[dict[str, Any]] = []
    media: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="polyvox-backup-") as scratch:
        with read_snapshot(using):
            applied = MigrationRecorder(connection).applied_migrations()
            for position, model in enumerate(backed_up_models(), start=1):
                member = database_member(position, model)
                path = Path(scratch) / f"{position:03d}.jsonl"
                rows = _dump_model(model, path, using)
                model_rows.append(
                    {"model": model._meta.label_lower, "member": member, "rows": rows}
                )
                media.update(_media_names(model, using))
        log(f"Read {sum(m['rows'] for m in model_rows)} rows of {len(model_rows)} models.")

        gzipped = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6)
        with gzipped, tarfile.open(fileobj=gzipped, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for position, entry in enumerate(model_rows, start=1):
                path = Path(scratch) / f"{position:03d}.jsonl"
                size = path.stat().st_size
                with path.open("rb") as stream:
                    digest = _add(tar, entry["member"], size, stream, 0o600)
                members[entry["member"]] = {"sha256": digest, "size": size}
                path.unlink()
            if public_key is not None:
                data = (public_key.strip() + "\n").encode()
                digest = _add(tar, VERIFIER_KEY_MEMBER, len(data), io.BytesIO(data), 0o644)
                members[VERIFIER_KEY_MEMBER] = {"sha256": digest, "size": len(data)}
            if private_key is not None:
                digest = _add(
                    tar, SIGNING_KEY_MEMBER, len(private_key), io.BytesIO(private_key), 0o600
                )
                members[SIGNING_KEY_MEMBER] = {"sha256": digest, "size": len(private_key)}
            missing: list[str] = []
            media_bytes = 0
            for name in sorted(media):
                if not default_storage.exists(name):
                    missing.append(name)
                    continue
                size = default_storage.size(name)
                with default_storage.open(name, "rb") as stream:
                    try:
                        digest = _add(tar, media_member(name), size, stream, 0o600)
                    except OSError as error:
                        raise BackupError(
                            f"Upload {name} changed while it was read: {error}"
                        ) from error
                members[media_member(name)] = {"sha256": digest, "size": size}
                media_bytes += size
            if missing:
                log(f"Warning: {len(missing)} uploads named by rows are missing from the storage.")
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "polyvox_version": polyvox_version(),
                "created_at": timezone.now().isoformat(),
                "database_engine": connection.vendor,
                "migrations": migrations_by_app(applied),
                "models": model_rows,
                "excluded_models": EXCLUDED_MODELS,
                "media": {
                    "files": len(media) - len(missing),
                    "bytes": media_bytes,
                    "missing": missing,
                },
                "verifier_key": public_key.strip() if public_key else None,
                "includes_private_key": private_key is not None,
                "members": members,
            }
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            _add(tar, MANIFEST, len(data), io.BytesIO(data), 0o644)
    log(
        f"Backed up {len(model_rows)} models, {manifest['media']['files']} uploads"
        f" ({media_bytes} bytes); private key {'included' if private_key else 'not included'}."
    )
    return manifest
