"""Contributions (every kind of input), their revisions, and the dispositions that answer them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.drafts.models import DraftVersion, Section
from polyvox.organisations.models import Organisation
from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry


class ContributionKind(models.TextChoices):
    COMMENT = "comment", _("Comment on a section")
    GENERAL = "general", _("General comment")
    OMISSION = "omission", _("What is missing")
    SUBMISSION = "submission", _("Submission")
    REPLY = "reply", _("Reply")


class Publication(models.TextChoices):
    NAMED = "named", _("Under my name")
    ALIAS = "alias", _("Under my alias")
    ANONYMOUS = "anonymous", _("Anonymously")


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def public(self) -> "ContributionQuerySet":
        """Visible to everyone: not hidden by moderation."""
        return self.filter(hidden_at__isnull=True)


class Contribution(TimeStampedModel):
    """Never hard-deleted: moderation hides with a reason; edits add a ContributionRevision."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(max_length=16, choices=ContributionKind.choices)
    draft_version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    # Snapshots at submission time: the public byline must not change if the profile does later.
    author_name = models.CharField(max_length=120)
    stakeholder_group = models.CharField(max_length=32)
    country = models.CharField(max_length=2, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    on_behalf_of_organisation = models.BooleanField(default=False)
    # The organisation an input speaks for (its approved representative posted it); the byline
    # keeps the name it had then in `organisation`.
    on_behalf_of = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    attachment = models.FileField(upload_to="submissions/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=80, blank=True)
    tracking_number = models.CharField(max_length=32, unique=True)
    # The public record entry of the submission, which the receipt names and proves.
    record_entry = models.ForeignKey(
        RecordEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    # The published reason code (`core.moderation.ReasonCode`) its tombstone shows.
    hidden_reason_code = models.CharField(max_length=24, blank=True)
    # Named, or anonymous to the public where the identity policy allows (as the EU's Have your
    # say does); the secretariat always sees the author.
    publication = models.CharField(
        max_length=12, choices=Publication.choices, default=Publication.NAMED
    )
    # The language it is written in (a code of settings.LANGUAGES, e.g. "fr"); from the author's
    # profile, changeable per input; blank for inputs from before languages were recorded.
    language = models.CharField(_("language"), max_length=16, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["process", "kind"]),
            models.Index(fields=["process", "created_at"]),
            # Covers the feedback report's figures (GROUP BY group and country of one version's
            # visible inputs): read from the index alone, 0.46 s → 0.13 s at 100,000 on SQLite.
            # (Indexes led by `process` for the list filters were tried and dropped: SQLite
            # without fresh statistics took them for every `process_id =` lookup and sorted.)
            models.Index(
                fields=["draft_version", "kind", "hidden_at", "stakeholder_group", "country"],
                name="contribution_report_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_behalf_of_organisation=False, on_behalf_of__isnull=True)
                | Q(on_behalf_of_organisation=True, on_behalf_of__isnull=False),
                name="on_behalf_names_the_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "contributions:detail",
            kwargs={"slug": self.process.slug, "tracking_number": self.tracking_number},
        )


class ContributionRevision(models.Model):
    """The text as it was before an edit; revision 1 is the original submission."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["contribution", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "number"], name="unique_revision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contribution} r{self.number}"


class Outcome(models.TextChoices):
    INCORPORATED = "incorporated", _("Incorporated")
    PARTLY_INCORPORATED = "partly_incorporated", _("Partly incorporated")
    NOT_INCORPORATED = "not_incorporated", _("Not incorporated")
    NOTED = "noted", _("Noted")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    DUPLICATE = "duplicate", _("Duplicate of another input")


class Disposition(TimeStampedModel):
    """The secretariat's public answer to one contribution (São Paulo Guidelines, step 8)."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.PROTECT, related_name="disposition"
    )
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    duplicate_of = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_sections = models.ManyToManyField(Section, blank=True, related_name="dispositions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.contribution}: {self.get_outcome_display()}"


class DispositionRevision(models.Model):
    """A disposition as it was before it was revised: answers keep history too."""

    disposition = models.ForeignKey(Disposition, on_delete=models.PROTECT, related_name="revisions")
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["disposition", "decided_at"]

    def __str__(self) -> str:
        return f"{self.disposition} as of {self.decided_at:%Y-%m-%d}"


class Assignment(models.Model):
    """Which workbench member handles an input ("my queue"). Internal: never public."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="assignment"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["assignee", "assigned_at"])]

    def __str__(self) -> str:
        return f"{self.contribution} → {self.assignee}"


class InternalNote(models.Model):
    """A note between workbench members about an input. Internal: never in public pages, exports,
    the API or the record (tests/invariants/test_privacy.py plants one to prove it)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.contribution}"


class ProposedAnswer(models.Model):
    """A draft answer awaiting a second member's review (`Process.answers_need_review`).

    Approving it publishes it through the one disposition writer; until then it is internal."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved and published")
        RETURNED = "returned", _("Returned for changes")

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="proposed_answers"
    )
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_sections = models.ManyToManyField(Section, blank=True, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        indexes = [models.Index(fields=["state", "proposed_at"])]

    def __str__(self) -> str:
        return f"Proposed answer to {self.contribution} ({self.get_state_display()})"
