"""Reads of the record; every entry is public by construction.

Roots and proofs are built from the stored complete-subtree hashes (RecordNode): one query for
the O(log² n) nodes a proof needs, never a read of every leaf.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from polyvox.processes.models import Process
from polyvox.record.entries import entry_line
from polyvox.record.merkle import (
    NodeId,
    consistency_ranges,
    covering_nodes,
    inclusion_ranges,
    range_hash,
)
from polyvox.record.models import RecordCheckpoint, RecordEntry, RecordLog, RecordNode

# The most entries one call of `entries_between` (and GET …/record/entries) answers.
MAX_ENTRIES_PER_CALL = 1000


def public_record(*, process: Process) -> QuerySet[RecordEntry]:
    """The entries integrated into the process's log, by index."""
    return RecordEntry.objects.filter(process=process, index__isnull=False).order_by("index")


def pending_count(*, process: Process) -> int:
    """Entries accepted but not yet in the tree (few: they wait at most the merge delay)."""
    return RecordEntry.objects.filter(process=process, index__isnull=True).count()


def integrated_size(*, process: Process) -> int:
    """How many entries the process's tree holds (0 before the first integration)."""
    size = RecordLog.objects.filter(process=process).values_list("tree_size", flat=True).first()
    return size or 0


def latest_checkpoint(*, process: Process) -> RecordCheckpoint | None:
    return RecordCheckpoint.objects.filter(process=process).order_by("-tree_size").first()


def entry_as_dict(entry: RecordEntry) -> dict[str, Any]:
    """The entry exactly as hashed: index, kind, recorded_at, payload."""
    return {
        "index": entry.index,
        "kind": entry.kind,
        "recorded_at": entry.recorded_at,
        "payload": entry.payload,
    }


def export_size(*, process: Process, tree_size: int | None = None) -> int:
    """The size an export covers: `tree_size` if given (ValueError beyond the integrated tree),
    else the latest checkpoint's, else (no key yet) the integrated tree's."""
    integrated = integrated_size(process=process)
    if tree_size is None:
        checkpoint = latest_checkpoint(process=process)
        return checkpoint.tree_size if checkpoint is not None else integrated
    if tree_size < 0 or tree_size > integrated:
        raise ValueError(
            _(
                "The tree size %(size)s is not between 0 and the log's integrated size %(integrated)s."
            )
            % {"size": tree_size, "integrated": integrated}
        )
    return tree_size


def export_record(*, process: Process, tree_size: int | None = None) -> Iterator[str]:
    """Entries 0 … tree_size-1 as JSON Lines (RFC 8785 canonical JSON, one entry a line),
    verifiable offline against a checkpoint of that size (`polyvox record verify`)."""
    size = export_size(process=process, tree_size=tree_size)
    rows = public_record(process=process).filter(index__lt=size)
    for entry in rows.iterator(chunk_size=2000):
        yield entry_line(entry_as_dict(entry))


def entries_between(*, process: Process, start: int, end: int) -> list[dict[str, Any]]:
    """Entries start ≤ index < end, at most MAX_ENTRIES_PER_CALL of them (the first ones): a
    client asks again from the last index it got plus one. ValueError on a bad range."""
    size = integrated_size(process=process)
    if start < 0:
        raise ValueError(_("start must not be negative."))
    if end <= start:
        raise ValueError(_("end must be greater than start."))
    if end > size:
        raise ValueError(
            _("end %(end)s is beyond the log's integrated size %(size)s.")
            % {"end": end, "size": size}
        )
    end = min(end, start + MAX_ENTRIES_PER_CALL)
    rows = public_record(process=process).filter(index__gte=start, index__lt=end)
    return [entry_as_dict(entry) for entry in rows]


def stored_nodes(process_id: int, ids: Sequence[NodeId]) -> dict[NodeId, bytes]:
    """The stored hashes of the given (level, position) nodes, in one query; RuntimeError when
    one is missing (a damaged tree must never give a wrong answer)."""
    if not ids:
        return {}
    by_level: dict[int, list[int]] = {}
    for level, position in ids:
        by_level.setdefault(level, []).append(position)
    wanted = Q()
    for level, positions in by_level.items():
        wanted |= Q(level=level, position__in=positions)
    rows = RecordNode.objects.filter(wanted, process_id=process_id).values_list(
        "level", "position", "hash"
    )
    found = {(level, position): bytes(value) for level, position, value in rows}
    missing = [node for node in ids if node not in found]
    if missing:
        raise RuntimeError(
            f"The record of process {process_id} lacks tree nodes {missing[:5]}: "
            "the tree is damaged; restore it from a backup."
        )
    return found


def _range_hashes(process: Process, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    needed = sorted({node for start, end in ranges for node in covering_nodes(start, end)})
    nodes = stored_nodes(process.pk, needed)
    return [range_hash(start, end, nodes) for start, end in ranges]


def _check_size(process: Process, size: int, name: str) -> None:
    integrated = integrated_size(process=process)
    if size > integrated:
        raise ValueError(
            _("%(name)s %(size)s is beyond the log's integrated size %(integrated)s.")
            % {"name": name, "size": size, "integrated": integrated}
        )


def inclusion_proof(*, process: Process, index: int, tree_size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1: the hashes proving entry `index` is in the tree of `tree_size`."""
    if tree_size < 1:
        raise ValueError(_("tree_size must be at least 1."))
    if not 0 <= index < tree_size:
        raise ValueError(
            _("index must be smaller than tree_size (%(size)s).") % {"size": tree_size}
        )
    _check_size(process, tree_size, "tree_size")
    return _range_hashes(process, inclusion_ranges(index, tree_size))


def consistency_proof(*, process: Process, first: int, second: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1: the hashes proving the tree of `second` extends the tree of `first`."""
    if first < 1:
        raise ValueError(_("first must be at least 1."))
    if second < first:
        raise ValueError(_("second must not be smaller than first."))
    _check_size(process, second, "second")
    return _range_hashes(process, consistency_ranges(first, second))


def root_at(*, process: Process, tree_size: int) -> bytes:
    """The root hash of the process's tree at `tree_size` (from O(log n) stored nodes)."""
    _check_size(process, tree_size, "tree_size")
    return _range_hashes(process, [(0, tree_size)])[0]


def inclusion_proof_url(process: Process, index: int, tree_size: int) -> str:
    path = reverse("api:record_inclusion_proof", kwargs={"slug": process.slug})
    return f"{path}?{urlencode({'index': index, 'tree_size': tree_size})}"


@dataclass
class EntryStatus:
    """Where an entry stands: pending (index None), integrated (index set, checkpoint_size
    None) or in a signed checkpoint (checkpoint_size set, proof_url its inclusion proof)."""

    index: int | None
    checkpoint_size: int | None
    proof_url: str

    @property
    def state(self) -> str:
        if self.index is None:
            return "pending"
        return "integrated" if self.checkpoint_size is None else "checkpointed"


def entry_status(entry: RecordEntry) -> EntryStatus:
    """Where a receipt's entry stands; proof_url is the inclusion-proof API path (site-relative)
    under the latest checkpoint covering the entry, "" until one does."""
    index = entry.index
    if index is None:
        index = RecordEntry.objects.filter(pk=entry.pk).values_list("index", flat=True).first()
    if index is None:
        return EntryStatus(index=None, checkpoint_size=None, proof_url="")
    process = entry.process
    checkpoint = latest_checkpoint(process=process)
    if checkpoint is None or checkpoint.tree_size <= index:
        return EntryStatus(index=index, checkpoint_size=None, proof_url="")
    return EntryStatus(
        index=index,
        checkpoint_size=checkpoint.tree_size,
        proof_url=inclusion_proof_url(process, index, checkpoint.tree_size),
    )
