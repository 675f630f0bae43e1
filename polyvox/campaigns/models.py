"""Campaigns: how submissions arrived (intake, import runs) and the clusters they form."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.models import Contribution
from polyvox.processes.models import Process


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("JSON API")
    IMPORT = "import", _("Bulk import")


class ImportRun(models.Model):
    """One bulk import of a CSV or JSONL file: counts, the file's SHA-256 and the rejected lines."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="import_runs")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    rows_ok = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(default=0)
    # [{"line": 7, "errors": {"text": ["…"]}}, …] — line numbers of the file, header is line 1.
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.rows_ok} imported, {self.rows_rejected} rejected"


class SubmissionIntake(models.Model):
    """How one submission arrived. `email_domain` and `network` are secretariat-only signals."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="intakes")
    contribution = models.OneToOneField(
        Contribution, on_delete=models.PROTECT, related_name="intake"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="intakes"
    )
    external_id = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True)
    # Import dedupe when a row has no external id: SHA-256 of its fields and occurrence number.
    row_hash = models.CharField(max_length=64, blank=True)
    email_domain = models.CharField(max_length=253, blank=True)
    network = models.CharField(max_length=64, blank=True)  # e.g. "203.0.113.0/24"
    # When it was sent: now for web/API, the file's date for imports (None when not stated).
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_intake_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["process", "external_id"],
                condition=~Q(external_id=""),
                name="unique_intake_external_id",
            ),
            models.UniqueConstraint(
                fields=["process", "row_hash"],
                condition=~Q(row_hash=""),
                name="unique_intake_row_hash",
            ),
        ]
        indexes = [models.Index(fields=["process", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.contribution_id} via {self.source}"


class CampaignStatus(models.TextChoices):
    DETECTED = "detected", _("Detected")
    CONFIRMED = "confirmed", _("Confirmed by the secretariat")


class Campaign(models.Model):
    """A cluster of identical or near-identical submissions; every member is kept and counted."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="campaigns")
    template = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DETECTED
    )
    size = models.PositiveIntegerField(default=0)  # kept equal to the membership count
    # Engine parameters (threshold, num_perm, shingle_size, seed), so a result can be recomputed.
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size", "id"]
        indexes = [models.Index(fields=["process", "status"])]

    def __str__(self) -> str:
        return f"Campaign {self.pk} ({self.size} submissions)"


class CampaignMembership(models.Model):
    """One submission in a campaign, with the words it added beyond the template."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="memberships")
    contribution = models.OneToOneField(
        Contribution, on_delete=models.PROTECT, related_name="campaign_membership"
    )
    unique_addition = models.TextField(blank=True)
    similarity = models.FloatField(null=True, blank=True)  # Jaccard with the template

    class Meta:
        ordering = ["campaign", "contribution_id"]

    def __str__(self) -> str:
        return f"{self.contribution_id} in campaign {self.campaign_id}"
