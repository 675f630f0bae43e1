"""Campaigns: how submissions arrived (intake, import runs) and the clusters they form."""

from datetime import timedelta

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


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
# A queued or running run that has not moved for this long is taken as lost (the worker stopped
# or was killed): pages stop showing it as running, and the next request marks it failed and
# queues a fresh one. The engine's grouping step reports nothing while it runs: about 70 s at
# 1,000,000 submissions (bench/RESULTS.md).
STALE_AFTER = timedelta(minutes=30)


class DetectionStage(models.TextChoices):
    READING = "reading", _("Reading submissions")
    GROUPING = "grouping", _("Grouping near-duplicates")
    ADDITIONS = "additions", _("Finding what members added")
    SAVING = "saving", _("Saving campaigns")


class DetectionRun(models.Model):
    """One run of campaign detection in the worker: its state, progress and result, so pages show
    "running: 40 %" and the time of the last result. At most one queued or running per process
    (a second request joins it); `error` is for the secretariat only."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="detection_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_at = models.DateTimeField()  # when it was queued
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()  # last sign of life: a running run older than this stalled
    stage = models.CharField(max_length=16, choices=DetectionStage.choices, blank=True)
    done = models.PositiveIntegerField(default=0)  # of `total`, in the current stage
    total = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)  # of the whole run
    # A request that came while it was running: the worker queues one more run when it ends.
    rerun_requested = models.BooleanField(default=False)
    submissions_considered = models.PositiveIntegerField(null=True, blank=True)
    campaigns_found = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_detection_run_per_process",
            )
        ]
        indexes = [models.Index(fields=["process", "status", "id"])]

    def __str__(self) -> str:
        return f"Campaign detection {self.pk} of {self.process_id}: {self.status}"
