"""Participants: the custom User, the Profile they declare, and statements of interest."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel


class User(AbstractUser):
    """Custom from the first migration, so identity can grow without a painful swap."""

    email = models.EmailField(_("e-mail address"), unique=True)

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
