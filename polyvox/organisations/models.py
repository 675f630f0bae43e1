"""Organisations, the people who may speak for them, and the public history of both.

An organisation is registered by a participant, who becomes its first administrator; its
administrators approve or revoke representatives; staff (the site's secretariat) verify it and
merge duplicates. Nothing here is deleted: a revoked representative, a merged duplicate and every
decision stay as rows, and `OrganisationEvent` is the public history shown on its page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.participants.models import StakeholderGroup


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> "OrganisationQuerySet":
        """Not merged into another organisation."""
        return self.filter(merged_into__isnull=True)

    def verified(self) -> "OrganisationQuerySet":
        return self.filter(verified_at__isnull=False)


class Organisation(TimeStampedModel):
    """A body with a stakeholder group and a country (ISO 3166 alpha-2, mapped to UN M49)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=32, choices=StakeholderGroup.choices
    )
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A merged duplicate keeps its row (and its page redirects) so no byline or history is lost.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_duplicates"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["stakeholder_group"]),
            models.Index(fields=["country"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class RepresentativeRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    REPRESENTATIVE = "representative", _("Representative")


class RepresentativeStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


# A person has at most one open (requested or approved) standing with an organisation at a time.
OPEN_STATUSES = (RepresentativeStatus.REQUESTED, RepresentativeStatus.APPROVED)


class Representative(TimeStampedModel):
    """One person's request to speak for an organisation, and what its administrators decided.

    Approved administrators manage the organisation; approved representatives (administrators
    included) may sign and post on its behalf. A refusal or revocation closes the row; asking
    again makes a new one, so the history of who spoke for whom is kept."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representations"
    )
    role = models.CharField(
        max_length=16, choices=RepresentativeRole.choices, default=RepresentativeRole.REPRESENTATIVE
    )
    status = models.CharField(
        max_length=16, choices=RepresentativeStatus.choices, default=RepresentativeStatus.REQUESTED
    )
    # The requester's note to the administrators; never shown publicly.
    message = models.TextField(_("message to the administrators"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["organisation", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_representation",
            )
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"


class OrganisationEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    MIGRATED = "migrated", _("Created from a profile's free-text organisation")
    EDITED = "edited", _("Details edited")
    REPRESENTATIVE_APPROVED = "representative_approved", _("Representative approved")
    REPRESENTATIVE_REVOKED = "representative_revoked", _("Representative revoked")
    VERIFIED = "verified", _("Verified")
    UNVERIFIED = "unverified", _("Verification withdrawn")
    MERGED = "merged", _("Duplicate merged in")


class OrganisationEvent(models.Model):
    """Append-only public history of an organisation (organisations belong to no one process,
    so these events live here rather than on a process record). `detail` holds public data only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=OrganisationEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind}"
