"""Append-only record entries; each carries the hash of the one before it."""

from django.db import models

from polyvox.processes.models import Process


class RecordEntry(models.Model):
    """Never updated or deleted; `hash` = SHA-256 over the canonical entry and `prev_hash`."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="record_entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=64)
    # The exact ISO-8601 UTC text that was hashed, so verification never depends on DB rounding.
    recorded_at = models.CharField(max_length=40)
    payload = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["process", "seq"]
        constraints = [models.UniqueConstraint(fields=["process", "seq"], name="unique_record_seq")]
        verbose_name_plural = "record entries"

    def __str__(self) -> str:
        return f"{self.process_id}#{self.seq} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Integrity, not behaviour: an entry once written can never be rewritten.
        if not self._state.adding:
            raise ValueError("Record entries are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
