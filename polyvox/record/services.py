"""Writing the record: `append_entry` (every service that publishes) and the integrator.

Appending takes no lock and counts nothing: the entry is stored pending (index None). The
integrator (`integrate_pending`, looped by `polyvox worker` or `polyvox record integrate --loop`)
takes pending entries into each process's Merkle tree in batches, in id order, stores the new
complete-subtree hashes, moves the log's head and signs a checkpoint, all in one transaction per
process batch. docs/record.md describes the format and the promise (the maximum merge delay).
"""

import json
import logging
import threading
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from polyvox.processes.models import Process
from polyvox.record.entries import leaf_bytes
from polyvox.record.keys import load_signer, origin_for
from polyvox.record.merkle import EMPTY_ROOT, covering_nodes, extend, leaf_hash
from polyvox.record.models import RecordCheckpoint, RecordEntry, RecordLog, RecordNode
from polyvox.record.notes import Checkpoint, Signer, sign_checkpoint
from polyvox.record.selectors import stored_nodes

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
# Rows per UPDATE … CASE and per INSERT: well under SQLite's and PostgreSQL's parameter limits.
WRITE_CHUNK = 500
SAFE_INTEGER_LIMIT = 2**53


def recorded_now() -> str:
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append_entry(*, process: Process, kind: str, payload: dict[str, Any]) -> RecordEntry:
    """Append one public event. `payload` must hold public data only: it is published as is.

    The entry is checked at once: a payload that cannot be canonicalised (RFC 8785: NaN,
    infinities, integers beyond 2^53) raises ValueError here, in the service that wrote it, and
    never reaches the integrator."""
    recorded_at = recorded_now()
    # What the database will give back to the integrator: JSON, tuples as lists.
    stored = json.loads(json.dumps(payload))
    leaf_bytes({"index": 0, "kind": kind, "recorded_at": recorded_at, "payload": stored})
    _refuse_large_floats(stored, "payload")
    return RecordEntry.objects.create(
        process=process, kind=kind, recorded_at=recorded_at, payload=payload
    )


def _refuse_large_floats(value: Any, where: str) -> None:
    """Refuse floats of magnitude 2^53 or more (1e21…). Every such float is an integer, and
    PostgreSQL's jsonb gives it back as one, which RFC 8785 cannot write: the entry would hash
    differently after a round trip through the database, or not at all."""
    if isinstance(value, float) and abs(value) >= SAFE_INTEGER_LIMIT:
        raise ValueError(
            f"record entry cannot be written as canonical JSON (RFC 8785) at {where}: "
            f"{value!r} is beyond ±2^53; write it as a string"
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_large_floats(item, f"{where}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _refuse_large_floats(item, f"{where}[{position}]")


def _ensure_log(process_id: int) -> None:
    """Create the process's log head once, safely when two integrators race to create it."""
    if RecordLog.objects.filter(process_id=process_id).exists():
        return
    try:
        with transaction.atomic():
            RecordLog.objects.create(process_id=process_id, tree_size=0, root_hash=EMPTY_ROOT)
    except IntegrityError:
        pass  # another integrator created it first; it is there to lock now


def _sign(process: Process, log: RecordLog, signer: Signer) -> RecordCheckpoint:
    checkpoint = Checkpoint(
        origin=origin_for(process), size=log.tree_size, root_hash=bytes(log.root_hash)
    )
    return RecordCheckpoint.objects.create(
        process=process,
        tree_size=log.tree_size,
        root_hash=bytes(log.root_hash),
        note=sign_checkpoint(checkpoint, signer),
        signed_at=timezone.now(),
    )


def _integrate_process(process_id: int, *, batch_size: int, signer: Signer | None) -> int | None:
    """One transaction: the next batch of the process's pending entries into its tree, and a
    checkpoint over the new tree. None when another integrator holds the log."""
    _ensure_log(process_id)
    with transaction.atomic():
        log = (
            RecordLog.objects.select_for_update(skip_locked=True)
            .filter(process_id=process_id)
            .first()
        )
        if log is None:
            return None  # another integrator is at work on this log: it takes these entries
        pending = list(
            RecordEntry.objects.filter(process_id=process_id, index__isnull=True)
            .order_by("id")
            .values_list("id", "kind", "recorded_at", "payload")[:batch_size]
        )
        size = log.tree_size
        ids: list[int] = []
        hashes: list[bytes] = []
        for entry_id, kind, recorded_at, payload in pending:
            index = size + len(ids)
            entry = {"index": index, "kind": kind, "recorded_at": recorded_at, "payload": payload}
            try:
                hashes.append(leaf_hash(leaf_bytes(entry)))
            except ValueError as error:
                # Only an entry written around append_entry can get here. Integrate what came
                # before it and stop: the log's order must not skip it.
                logger.error(
                    "Record entry %s of process %s cannot be canonicalised (%s); the log waits "
                    "at index %s until it is repaired.",
                    entry_id,
                    process_id,
                    error,
                    index,
                )
                break
            ids.append(entry_id)
        process = Process.objects.only("id", "slug").get(pk=process_id)
        if ids:
            frontier = stored_nodes(process_id, covering_nodes(0, size))
            new_nodes, root = extend(size, frontier, hashes)
            updates = [RecordEntry(id=entry_id, index=size + n) for n, entry_id in enumerate(ids)]
            RecordEntry.objects.bulk_update(updates, ["index"], batch_size=WRITE_CHUNK)
            RecordNode.objects.bulk_create(
                [
                    RecordNode(process_id=process_id, level=level, position=position, hash=value)
                    for level, position, value in new_nodes
                ],
                batch_size=WRITE_CHUNK,
            )
            log.tree_size = size + len(ids)
            log.root_hash = root
            log.save(update_fields=["tree_size", "root_hash"])
            logger.info(
                "%d record entries into %s; its log now holds %d.",
                len(ids),
                process.slug,
                log.tree_size,
            )
        if (
            signer is not None
            and log.tree_size > 0
            and not RecordCheckpoint.objects.filter(
                process_id=process_id, tree_size=log.tree_size
            ).exists()
        ):
            _sign(process, log, signer)
        return len(ids)


def _processes_to_integrate(signer: Signer | None) -> list[int]:
    """Processes with pending entries, and (with a key) logs whose current size has no
    checkpoint yet: after a migration, or when the key was created after entries went in."""
    waiting = set(
        RecordEntry.objects.filter(index__isnull=True)
        .values_list("process_id", flat=True)
        .distinct()
        .order_by()
    )
    if signer is not None:
        unsigned = RecordLog.objects.filter(tree_size__gt=0).exclude(
            Exists(
                RecordCheckpoint.objects.filter(
                    process_id=OuterRef("process_id"), tree_size=OuterRef("tree_size")
                )
            )
        )
        waiting.update(unsigned.values_list("process_id", flat=True))
    return sorted(waiting)


def _integrate_pass(batch_size: int) -> tuple[int, bool]:
    """(entries integrated, whether a process filled a whole batch and more may be waiting)."""
    signer = load_signer()
    total = 0
    full = False
    for process_id in _processes_to_integrate(signer):
        taken = _integrate_process(process_id, batch_size=batch_size, signer=signer)
        if taken:
            total += taken
            full = full or taken >= batch_size
    return total, full


def integrate_pending(*, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """One pass: for every process with pending entries, the next batch (up to `batch_size`,
    in id order) into its tree and a signed checkpoint, one transaction per process. Returns how
    many entries were integrated. Safe to run concurrently (a log locked by another integrator
    is skipped) and to kill at any moment (a batch is written wholly or not at all)."""
    return _integrate_pass(batch_size)[0]


def integrate_forever(
    *, interval: float, stop: threading.Event | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> None:
    """Integrate until `stop` is set: a pass, then `interval` seconds of rest (none while a
    backlog remains). A failed pass (the database restarting) is logged and retried."""
    stop = stop or threading.Event()
    while not stop.is_set():
        rest = interval
        try:
            _total, more = _integrate_pass(batch_size)
            if more:
                rest = 0
        except Exception:
            logger.exception("Record integration failed; retrying in %s s.", interval)
            if not connection.in_atomic_block:
                connection.close()  # a fresh connection next pass (the database may have restarted)
        stop.wait(rest)
