"""A multistakeholder process, its dated phases and who plays which role in it."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.processes.phase_types import PhaseKind


class DecisionMode(models.TextChoices):
    ADVISORY = "advisory", _("Advisory (an authority decides, transparently)")
    CONSENSUS = "consensus", _("Multistakeholder consensus")
    VOTE = "vote", _("Vote under explicit rules")


class IdentityPolicy(models.TextChoices):
    REAL_NAMES = "real_names", _("Real names")
    PSEUDONYMS_ALLOWED = "pseudonyms_allowed", _("Pseudonyms allowed")


class ParticipationPolicy(models.TextChoices):
    OPEN = "open", _("Open to anyone registered")
    INVITED = "invited", _("Invited participants only")


class Process(TimeStampedModel):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    mandate = models.TextField(_("mandate"))
    languages = models.JSONField(_("languages"), default=list)
    decision_mode = models.CharField(
        _("decision mode"),
        max_length=16,
        choices=DecisionMode.choices,
        default=DecisionMode.ADVISORY,
    )
    identity_policy = models.CharField(
        _("identity policy"),
        max_length=24,
        choices=IdentityPolicy.choices,
        default=IdentityPolicy.REAL_NAMES,
    )
    participation_policy = models.CharField(
        _("participation policy"),
        max_length=16,
        choices=ParticipationPolicy.choices,
        default=ParticipationPolicy.OPEN,
    )
    requires_statement_of_interest = models.BooleanField(
        _("participants must declare their interests first"), default=False
    )
    accepts_late_inputs = models.BooleanField(
        _("accept inputs after the deadline, marked late"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "processes"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("processes:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    PARTICIPANT = "participant", _("Invited participant")


class Membership(models.Model):
    """A role someone holds in one process: the secretariat, or an invitation to take part."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.process}"


class Phase(models.Model):
    """A dated stage; its kind decides what participants may do while it is open."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=24, choices=PhaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(_("ends at (UTC)"))
    # Set when "phase.opened" is appended to the record, so each opening is recorded once.
    opening_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    def status(self, now: datetime) -> str:
        """'upcoming', 'open' or 'closed' at `now` (UTC)."""
        if now < self.starts_at:
            return "upcoming"
        return "open" if now < self.ends_at else "closed"
