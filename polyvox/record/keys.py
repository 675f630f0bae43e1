"""The deployment's checkpoint signing key: an Ed25519 key in a file, never in the database.

The file holds one line in the C2SP signed-note private key form
(`PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>`), mode 0600. `polyvox record keygen` creates
it on first set-up; its verifier key is published on every record page, at
`/api/v1/record/key` and in docs/record.md. Without a key the log still integrates entries, but
signs no checkpoint until one is created (the next integrator pass then signs the current tree).
"""

import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from polyvox.processes.models import Process
from polyvox.record.notes import NoteError, Signer, generate_signer_key, parse_signer_key

_cache_lock = threading.Lock()
# One slot: (path, mtime_ns, size) of the file last read, and its signer.
_cached: tuple[tuple[str, int, int], Signer] | None = None


def key_file() -> Path:
    return Path(settings.POLYVOX_RECORD_KEY_FILE)


def create_signing_key(path: Path, name: str, *, force: bool = False) -> Signer:
    """Write a new private key to `path` (mode 0600, created atomically) and return its signer.

    Refuses to replace an existing key unless `force`: checkpoints already signed stay valid only
    under the old verifier key, so replacing it is a decision, never an accident."""
    if path.exists() and not force:
        raise FileExistsError(f"A signing key already exists at {path}.")
    text = generate_signer_key(name)
    signer = parse_signer_key(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text.strip() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)  # whatever the umask was
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return signer


def load_signer() -> Signer | None:
    """The signer of settings.POLYVOX_RECORD_KEY_FILE, or None when there is no such file.

    Read once per file version (path, modification time, size): a key created or replaced while
    the worker runs is picked up at its next pass."""
    global _cached
    path = key_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    stamp = (str(path), stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    try:
        signer = parse_signer_key(path.read_text(encoding="ascii").strip())
    except (NoteError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(
            f"The record signing key {path} is not a valid signed-note private key: {error}"
        ) from error
    with _cache_lock:
        _cached = (stamp, signer)
    return signer


def verifier_key() -> str | None:
    """The public verifier key (`name+keyid+base64`), or None while no signing key exists."""
    signer = load_signer()
    return signer.verifier_key() if signer is not None else None


def origin_for(process: Process) -> str:
    """The checkpoint origin line of a process's log: `HOST/p/SLUG`."""
    return f"{settings.POLYVOX_RECORD_ORIGIN_HOST}/p/{process.slug}"
