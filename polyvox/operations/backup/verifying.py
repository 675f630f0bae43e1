"""After a restore: every process's record against its latest checkpoint, as an outside verifier.

The entries are exported exactly as `polyvox record export` writes them, their leaf hashes and the
tree's root are recomputed (RFC 9162), and the root must be the one the checkpoint signed, with
the signature checked against the verifier key that came in the archive, not against whatever key
this deployment has now.
"""

import json

from polyvox.operations.backup.archive import BackupError
from polyvox.processes.models import Process
from polyvox.record.entries import leaf_bytes
from polyvox.record.merkle import leaf_hash, root_from_leaf_hashes
from polyvox.record.models import RecordLog
from polyvox.record.notes import NoteError, parse_verifier_key, verify_checkpoint
from polyvox.record.selectors import export_record, latest_checkpoint


def verify_records(*, verifier_key: str | None) -> list[str]:
    """One line per process that has a record; BackupError at the first record that fails."""
    verifier = None
    if verifier_key:
        try:
            verifier = parse_verifier_key(verifier_key.strip())
        except NoteError as error:
            raise BackupError(f"The archive's verifier key is not valid: {error}") from error
    lines = []
    for process in Process.objects.order_by("id").only("id", "slug").iterator():
        stored = latest_checkpoint(process=process)
        if stored is None:
            log = RecordLog.objects.filter(process=process).first()
            if log is not None and log.tree_size:
                lines.append(f"{process.slug}: {log.tree_size} entries, no signed checkpoint yet")
            continue
        if verifier is None:
            raise BackupError(
                f"{process.slug}: the record has signed checkpoints but the archive holds no "
                "verifier key to check them with."
            )
        try:
            checkpoint = verify_checkpoint(stored.note, verifier)
        except NoteError as error:
            raise BackupError(
                f"{process.slug}: the checkpoint at size {stored.tree_size} does not verify "
                f"with the archived key: {error}"
            ) from error
        if not checkpoint.origin.endswith(f"/p/{process.slug}"):
            raise BackupError(
                f"{process.slug}: the checkpoint is for another log ({checkpoint.origin})."
            )
        if checkpoint.size != stored.tree_size or checkpoint.root_hash != bytes(stored.root_hash):
            raise BackupError(
                f"{process.slug}: the stored checkpoint's size or root differs from its signed note."
            )
        hashes = [
            leaf_hash(leaf_bytes(json.loads(line)))
            for line in export_record(process=process, tree_size=checkpoint.size)
        ]
        if len(hashes) != checkpoint.size:
            raise BackupError(
                f"{process.slug}: {len(hashes)} entries restored where the checkpoint "
                f"covers {checkpoint.size}."
            )
        if root_from_leaf_hashes(hashes) != checkpoint.root_hash:
            raise BackupError(
                f"{process.slug}: the restored entries do not hash to the checkpoint's root."
            )
        lines.append(
            f"{process.slug}: {checkpoint.size} entries verify against the signed checkpoint"
        )
    return lines
