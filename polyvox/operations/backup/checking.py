"""Checking a backup archive before anything is written: a gzip-compressed tar whose members are
exactly those the manifest lists, each with its SHA-256 and size (step 1 of `restore_backup`)."""

import json
import tarfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from polyvox.operations.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    SIGNING_KEY_MEMBER,
    BackupError,
    HashingReader,
    check_member_name,
)

CHUNK = 1024 * 1024


@contextmanager
def damaged_archive(path: Path) -> Iterator[None]:
    """Turn what tarfile, gzip and zlib raise on a bad file into one clear BackupError."""
    try:
        yield
    except FileNotFoundError as error:
        raise BackupError(f"There is no file {path}.") from error
    except IsADirectoryError as error:
        raise BackupError(f"{path} is a folder, not a backup archive.") from error
    except tarfile.CompressionError as error:
        raise BackupError(
            f"{path} is not a Polyvox backup (not a gzip-compressed tar archive)."
        ) from error
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is truncated or damaged ({error}).") from error


def archive_members(path: Path) -> Iterator[tuple[tarfile.TarFile, tarfile.TarInfo]]:
    """The archive's members in order, read as a stream; clear errors for a damaged file."""
    with damaged_archive(path), tarfile.open(path, mode="r|gz") as tar:
        for member in tar:
            check_member_name(member.name)
            if not member.isfile():
                raise BackupError(
                    f"The archive holds {member.name!r}, which is not a regular file."
                )
            yield tar, member


def open_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    stream = tar.extractfile(member)
    if stream is None:  # pragma: no cover - regular files always have a stream
        raise BackupError(f"Cannot read {member.name} from the archive.")
    return stream


def _digest_members(path: Path) -> tuple[dict[str, tuple[str, int]], bytes | None, bytes | None]:
    seen: dict[str, tuple[str, int]] = {}
    manifest_bytes: bytes | None = None
    signing_key: bytes | None = None
    with damaged_archive(path):
        for tar, member in archive_members(path):
            if member.name in seen or (member.name == MANIFEST and manifest_bytes is not None):
                raise BackupError(f"The archive holds {member.name} twice.")
            stream = open_member(tar, member)
            if member.name == MANIFEST:
                if member.size > MAX_MANIFEST_BYTES:
                    raise BackupError("The archive's manifest is too large to be one we wrote.")
                manifest_bytes = stream.read()
                continue
            reader = HashingReader(stream)
            kept = b""
            while chunk := reader.read(CHUNK):
                if member.name == SIGNING_KEY_MEMBER and len(kept) < 65536:
                    kept += chunk
            if member.name == SIGNING_KEY_MEMBER:
                signing_key = kept
            seen[member.name] = (reader.hexdigest(), reader.size)
    return seen, manifest_bytes, signing_key


def check_archive(path: Path) -> tuple[dict[str, Any], bytes | None]:
    """Read the whole archive once: every member's digest against the manifest.

    Returns the manifest and the signing key's bytes when the archive holds it."""
    with damaged_archive(path), path.open("rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            raise BackupError(
                f"{path} is not a Polyvox backup (not a gzip-compressed tar archive)."
            )
    seen, manifest_bytes, signing_key = _digest_members(path)
    if manifest_bytes is None:
        raise BackupError(
            f"{path} has no manifest.json: it is not a Polyvox backup, or it is truncated."
        )
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"The archive's manifest is not valid JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Polyvox backup (its manifest names no such format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This archive has backup format version {manifest.get('format_version')!r}; "
            f"this Polyvox reads version {FORMAT_VERSION}."
        )
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise BackupError("The archive's manifest lists no members.")
    for name in sorted(set(listed) - set(seen)):
        raise BackupError(f"The archive is missing {name}, which its manifest lists.")
    for name in sorted(set(seen) - set(listed)):
        raise BackupError(f"The archive holds {name}, which its manifest does not list.")
    for name, (digest, size) in seen.items():
        expected = listed[name]
        if not isinstance(expected, dict) or (expected.get("sha256"), expected.get("size")) != (
            digest,
            size,
        ):
            raise BackupError(
                f"{name} in the archive does not match its SHA-256 in the manifest: "
                "the archive was altered or damaged."
            )
    return manifest, signing_key
