"""Commitments: who will do what by when, followed up in public (São Paulo guidelines, step 11).

A commitment belongs to a participant, or to an organisation when made on its behalf (any
approved representative may then report on it). Its status moves only through dated
`CommitmentUpdate`s, each with evidence links, so the history is the list of updates. "Overdue" is
never stored: it is derived from the clock (`is_overdue`) once the due date passes without "done"
or "dropped". Anyone taking part may contest an update with a reason; the owner may answer.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.organisations.models import Organisation
from polyvox.outcomes.models import Decision, Recommendation
from polyvox.processes.models import Process


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


FINISHED = (CommitmentStatus.DONE, CommitmentStatus.DROPPED)


class Commitment(TimeStampedModel):
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="commitments")
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commitments"
    )
    # Snapshot at the time of committing, like a contribution's byline.
    owner_name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("Committed on behalf of this organisation."),
    )
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.PLANNED
    )
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="commitments")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    # Reminders are sent once each (`commitments.services.reminders`).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["process", "due_on", "id"]
        indexes = [models.Index(fields=["process", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "commitments:detail", kwargs={"slug": self.process.slug, "commitment_id": self.pk}
        )

    def is_overdue(self, today: date) -> bool:
        """Past its due date (UTC) without being done or dropped."""
        return self.status not in FINISHED and self.due_on < today


class CommitmentUpdate(models.Model):
    """A dated report on a commitment; the status it sets, what was done, evidence links."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=CommitmentStatus.choices)
    text = models.TextField(_("what happened"))
    # A list of http(s) URLs.
    evidence = models.JSONField(_("evidence links"), default=list, blank=True)
    # Required when the status becomes "dropped".
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["commitment", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(reason=""), name="dropping_needs_a_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} — {self.commitment} ({self.created_at:%Y-%m-%d})"


class Contestation(models.Model):
    """A participant contests an update, with a reason; the owner may answer once."""

    update = models.ForeignKey(
        CommitmentUpdate, on_delete=models.PROTECT, related_name="contestations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=120)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["update", "created_at", "id"]

    def __str__(self) -> str:
        return f"Contestation by {self.author_name} of {self.update}"
