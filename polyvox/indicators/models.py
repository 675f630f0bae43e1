"""The figures a process closed with: the final quality report reads them, not live counts."""

from django.db import models

from polyvox.processes.models import Process


class FinalIndicators(models.Model):
    """The indicators as they stood when the process closed, frozen.

    `public` is exactly what the API answered the public at that moment (cells under five
    suppressed, no alerts); its SHA-256 over RFC 8785 canonical JSON is on the record
    (`indicators.final`), so anyone can check the report against it. `alerts` are for the staff
    only, as on the live page."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="final_indicators"
    )
    public = models.JSONField()
    alerts = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"final indicators of {self.process_id}"
