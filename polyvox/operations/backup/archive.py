"""The backup archive's format: which models go in, in what order, and how members are named.

A backup is one gzip-compressed tar archive (docs/backup.md):

    database/NNN-<app_label>.<model_name>.jsonl   one per model, Django's JSON Lines serializer
    media/<storage name>                          every file a FileField of a row names
    keys/record-verifier.key                      the record's verifier key (public)
    keys/record-signing.key                       the signing key, only when asked for
    manifest.json                                 last: versions, migrations, row counts, and the
                                                  SHA-256 and size of every other member

The manifest comes last so that the archive is written in one stream: a member's digest is known
once it has been written. Restoring reads the archive twice: once to check every digest against
the manifest, then to load.
"""

import hashlib
import io
import posixpath
from collections.abc import Iterable
from typing import IO, Any

from django.apps import apps
from django.db import models

FORMAT = "polyvox-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VERIFIER_KEY_MEMBER = "keys/record-verifier.key"
SIGNING_KEY_MEMBER = "keys/record-signing.key"
DATABASE_DIR = "database/"
MEDIA_DIR = "media/"
# A manifest larger than this is not one we wrote (it is read into memory).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024

# Left out of the database dump, and why (also written into the manifest):
EXCLUDED_MODELS = {
    "contenttypes.contenttype": "recreated by migrate; rows that point at one carry its natural key",
    "auth.permission": "recreated by migrate; rows that point at one carry its natural key",
    "sessions.session": "sign-ins are not carried over: everyone signs in again after a restore",
}
# Foreign keys to these models are written as natural keys, since their ids differ per database.
NATURAL_KEY_MODELS = ("contenttypes.contenttype", "auth.permission")


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, for an operator."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, parents before the rows that point at them.

    Auto-created many-to-many tables are models of their own here (their rows are dumped apart
    from the rows that own the field). The order is a topological sort over foreign keys; foreign
    keys are checked at commit (deferred on PostgreSQL and SQLite), so a cycle, should one ever
    appear, only needs the load to be one transaction, which it is.
    """
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    by_label = {model._meta.label_lower: model for model in candidates}
    depends: dict[str, set[str]] = {}
    for model in candidates:
        targets = set()
        for field in model._meta.local_concrete_fields:
            if field.is_relation and field.related_model is not None:
                target = field.related_model._meta.label_lower  # type: ignore[union-attr]
                if target in by_label and target != model._meta.label_lower:
                    targets.add(target)
        depends[model._meta.label_lower] = targets
    ordered: list[type[models.Model]] = []
    done: set[str] = set()
    remaining = sorted(by_label)
    while remaining:
        ready = [label for label in remaining if depends[label] <= done]
        if not ready:  # a cycle: take the first and let the deferred constraints judge
            ready = remaining[:1]
        for label in ready:
            ordered.append(by_label[label])
            done.add(label)
        remaining = [label for label in remaining if label not in done]
    return ordered


def database_member(position: int, model: type[models.Model]) -> str:
    return f"{DATABASE_DIR}{position:03d}-{model._meta.label_lower}.jsonl"


def media_member(name: str) -> str:
    return MEDIA_DIR + name


def check_member_name(name: str) -> None:
    """Refuse a member name that could write outside its place (absolute, `..`, odd parts)."""
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or posixpath.normpath(name) != name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise BackupError(f"The archive holds a member with an unsafe name: {name!r}.")


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


class HashingReader(io.RawIOBase):
    """Reads a binary stream through SHA-256, counting bytes (for tarfile's addfile and reads)."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int | None = -1) -> bytes:
        data = self.stream.read(-1 if size is None else size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def migrations_by_app(applied: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app_label, name in applied:
        result.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(result.items())}
