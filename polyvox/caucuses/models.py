"""Caucuses: private spaces inside a process, their members, threads and shared working draft.

A caucus's name and purpose are public, so people can find it and ask to join; everything else
(members' requests, threads, posts, the working draft) is caucus content: it is read only through
`caucuses.selectors` by approved members, and leaves the caucus only when a facilitator
publishes it (`CaucusThread.published_at`, or a joint statement drafted from the working draft).
Content lives in these tables alone, so the search index, exports and the API of other apps
cannot reach it by accident.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.participants.models import StakeholderGroup
from polyvox.processes.models import Process


class Caucus(TimeStampedModel):
    """For one stakeholder group (only its members may ask to join) or any named membership."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="caucuses")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=80)
    purpose = models.TextField(_("purpose (public)"), blank=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"),
        max_length=32,
        choices=StakeholderGroup.choices,
        blank=True,
        help_text=_("Leave empty for a caucus open to anyone the facilitators approve."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["process", "name", "id"]
        verbose_name_plural = "caucuses"
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="unique_caucus_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("caucuses:detail", kwargs={"slug": self.process.slug, "caucus": self.slug})


class CaucusRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


class CaucusMembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


OPEN_MEMBERSHIP_STATUSES = (CaucusMembershipStatus.REQUESTED, CaucusMembershipStatus.APPROVED)


class CaucusMembership(TimeStampedModel):
    """A request to join and its outcome; leaving or removal closes the row (history kept)."""

    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caucus_memberships"
    )
    role = models.CharField(max_length=16, choices=CaucusRole.choices, default=CaucusRole.MEMBER)
    status = models.CharField(
        max_length=16,
        choices=CaucusMembershipStatus.choices,
        default=CaucusMembershipStatus.REQUESTED,
    )
    message = models.TextField(_("message to the facilitators"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["caucus", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["caucus", "user"],
                condition=Q(status__in=OPEN_MEMBERSHIP_STATUSES),
                name="one_open_caucus_membership",
            )
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.caucus} ({self.status})"


class CaucusThread(TimeStampedModel):
    """A discussion among members; public (and closed to new posts) once a facilitator publishes."""

    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["caucus", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CaucusPost(TimeStampedModel):
    thread = models.ForeignKey(CaucusThread, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["thread", "created_at", "id"]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"


class WorkingDraftRevision(models.Model):
    """The caucus's shared working draft: every save is a new numbered revision, never an edit."""

    caucus = models.ForeignKey(
        Caucus, on_delete=models.PROTECT, related_name="working_draft_revisions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["caucus", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["caucus", "number"], name="unique_working_draft_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caucus} draft r{self.number}"
