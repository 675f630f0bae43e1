"""A draft under consultation, its published versions, their sections with stable anchors, and
the language versions (translations) of those versions."""

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
    # The language the original text is written in; blank: the process's first language
    # (`drafts.selectors.original_language`). Translations are made from this text.
    language = models.CharField(_("language of the original text"), max_length=16, blank=True)

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


class VersionTranslation(models.Model):
    """A language version of a published draft version, published by a translator.

    Its sections carry the anchors of the original version's sections, so "section 2-scope in
    French" is the same section as in the original, and inputs on it stay attached. Each
    publication is a new row (a correction keeps the text it corrects); the newest row for a
    (version, language) is the one shown. The original stays the authoritative text."""

    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="translations")
    language = models.CharField(_("language"), max_length=16)
    title = models.CharField(_("title of the draft in this language"), max_length=200, blank=True)
    source_markdown = models.TextField()
    note = models.TextField(_("translator's note"), blank=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "language", "published_at", "pk"]
        indexes = [models.Index(fields=["language", "version"], name="translation_language_idx")]

    def __str__(self) -> str:
        return f"{self.version} [{self.language}]"

    def get_absolute_url(self) -> str:
        return f"{self.version.get_absolute_url()}?lang={self.language}"


class TranslatedSection(models.Model):
    """One section of a translation, under the anchor of the original section it translates.

    `source_number` and `source_sha256` say which text of the original it was translated from
    (the version, and the SHA-256 of that section's content as in `drafts.hashing`): when the
    original section changes in a later version, the translation is "stale" until a translator
    updates or confirms it (the parity check, `drafts.parity`)."""

    translation = models.ForeignKey(
        VersionTranslation, on_delete=models.PROTECT, related_name="sections"
    )
    anchor = models.SlugField(max_length=80)
    order = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    source_number = models.PositiveIntegerField()
    source_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["translation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "anchor"], name="unique_anchor_per_translation"
            ),
        ]

    def __str__(self) -> str:
        return f"§{self.anchor} of {self.translation}"

    @property
    def is_heading(self) -> bool:
        return self.level > 0
