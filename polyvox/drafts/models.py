"""A draft under consultation, its published versions, and their sections with stable anchors."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.processes.models import Process


class Draft(TimeStampedModel):
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="drafts")
    slug = models.SlugField(_("short name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="unique_draft_slug")
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("drafts:detail", kwargs={"slug": self.process.slug, "draft": self.slug})


class DraftVersionQuerySet(models.QuerySet["DraftVersion"]):
    def published(self) -> "DraftVersionQuerySet":
        """Versions the public may read; the one saved unpublished (maybe scheduled) is not."""
        return self.filter(published_at__isnull=False)

    def pending(self) -> "DraftVersionQuerySet":
        """The version saved but not yet published (at most one per draft)."""
        return self.filter(published_at__isnull=True)


class DraftVersion(models.Model):
    """A version of the text; version N+1 carries anchors over from version N.

    Saved unpublished (published_at null) it can be previewed with its diff by the secretariat,
    scheduled (scheduled_for), then published; once published it never changes."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    source_markdown = models.TextField()
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DraftVersionQuerySet.as_manager()

    class Meta:
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "drafts:version",
            kwargs={
                "slug": self.draft.process.slug,
                "draft": self.draft.slug,
                "number": self.number,
            },
        )


class SectionQuerySet(models.QuerySet["Section"]):
    def published(self) -> "SectionQuerySet":
        """Sections of published versions: the only ones anyone may comment on or link to."""
        return self.filter(version__published_at__isnull=False)


class Section(models.Model):
    """A heading or paragraph of a version. The anchor identifies 'the same section' across versions."""

    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="sections")
    anchor = models.SlugField(max_length=80)
    order = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=0)  # 1 to 6 for headings, 0 for paragraphs
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "anchor"], name="unique_anchor_per_version"),
            models.UniqueConstraint(fields=["version", "order"], name="unique_order_per_version"),
        ]

    def __str__(self) -> str:
        return f"§{self.anchor} of {self.version}"

    def get_absolute_url(self) -> str:
        return f"{self.version.get_absolute_url()}#{self.anchor}"

    @property
    def is_heading(self) -> bool:
        return self.level > 0
