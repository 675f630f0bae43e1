"""Participants: the custom User, the Profile they declare, and statements of interest."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel


class User(AbstractUser):
    """Custom from the first migration, so identity can grow without a painful swap."""

    email = models.EmailField(_("e-mail address"), unique=True)
    # Taking part needs a confirmed address (`processes.permissions.can_take_part`).
    email_verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A closed account keeps its row (inputs point at it) but holds no personal data any more.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def __str__(self) -> str:
        profile = getattr(self, "profile", None)
        return profile.display_name if profile and profile.display_name else self.username


class StakeholderGroup(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    TECHNICAL_COMMUNITY = "technical_community", _("Technical community")
    ACADEMIA = "academia", _("Academia")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    INDIVIDUAL = "individual", _("Individual / other")


class Profile(TimeStampedModel):
    """What a participant declares. `gender` is private: aggregates only, never shown or exported."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    # What the public sees instead of the name where a process allows pseudonyms; the
    # secretariat still sees the verified identity and affiliation.
    alias = models.CharField(_("alias (pseudonym)"), max_length=120, blank=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"),
        max_length=32,
        choices=StakeholderGroup.choices,
        default=StakeholderGroup.INDIVIDUAL,
    )
    subgroup = models.CharField(_("subgroup"), max_length=120, blank=True)
    # A free-text affiliation; speaking for an organisation needs its approval (`organisations`).
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country (ISO 3166 code)"), max_length=2, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.TextField(_("interests"), blank=True)
    gender = models.CharField(_("gender (private, self-described)"), max_length=80, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name


class StatementOfInterest(models.Model):
    """One declaration; a new row per revision so the secretariat sees the whole history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statements_of_interest"
    )
    affiliations = models.TextField(_("affiliations"))
    funding = models.TextField(_("funding"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-declared_at", "-id"]

    def __str__(self) -> str:
        return f"Statement of interest of {self.user} ({self.declared_at:%Y-%m-%d})"


class ConsentDocument(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy notice")


class Consent(models.Model):
    """One acceptance of one version of the terms or the privacy notice; a new row per version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    document = models.CharField(max_length=16, choices=ConsentDocument.choices)
    version = models.CharField(max_length=32)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="one_consent_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.document} {self.version}"
