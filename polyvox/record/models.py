"""The record of each process: an append-only Merkle tree log (RFC 9162) with signed checkpoints.

Services append entries at once, without a lock (`index` is None: accepted, not yet in the
tree); the integrator gives them their index in batches, stores the tree's nodes and signs a
checkpoint. docs/record.md describes the format for verifiers in any language.
"""

from django.db import models
from django.db.models import Q

from polyvox.processes.models import Process


class RecordEntry(models.Model):
    """One public event. Never updated or deleted, except that the integrator sets `index` once."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="record_entries")
    # The position in the process's log: None until the integrator takes the entry in.
    index = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=64)
    # The exact ISO-8601 UTC text that is hashed, so verification never depends on DB rounding.
    recorded_at = models.CharField(max_length=40)
    payload = models.JSONField()

    class Meta:
        ordering = ["process", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "index"], name="unique_record_index")
        ]
        indexes = [
            # The integrator's queue: only entries not yet in the tree, in arrival order.
            models.Index(
                fields=["process", "id"], condition=Q(index__isnull=True), name="record_pending"
            )
        ]
        verbose_name_plural = "record entries"

    def __str__(self) -> str:
        return f"{self.process_id}#{self.index} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Integrity, not behaviour: an entry once written is never rewritten (the integrator sets
        # `index` with a queryset update, never through save()).
        if not self._state.adding:
            raise ValueError("Record entries are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class RecordNode(models.Model):
    """A complete subtree's hash: level 0 holds leaf hashes, level L the node over leaves
    [position·2^L, (position+1)·2^L). Enough to build any root or proof from O(log n) rows."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    position = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "level", "position"], name="unique_record_node"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process_id} L{self.level}#{self.position}"


class RecordLog(models.Model):
    """The head of a process's tree; the integrator locks this row, never the process."""

    process = models.OneToOneField(Process, on_delete=models.PROTECT, related_name="+")
    tree_size = models.PositiveBigIntegerField(default=0)
    root_hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"{self.process_id}: {self.tree_size} entries"


class RecordCheckpoint(models.Model):
    """A signed note (C2SP tlog-checkpoint) over the tree at one size; one per integrated batch."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="+")
    tree_size = models.PositiveBigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    note = models.TextField()  # the whole signed note, exactly as served
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["process", "tree_size"]
        constraints = [
            models.UniqueConstraint(fields=["process", "tree_size"], name="unique_checkpoint_size")
        ]

    def __str__(self) -> str:
        return f"{self.process_id}@{self.tree_size}"
