"""Joint statements, the statements linked to them (dissents, supplements) and their signatures.

A joint statement is drafted in the open (a public draft whose edits keep revisions) or in a
caucus (its facilitator publishes the working draft as one); once opened for sign-on its text is
frozen and it takes signatures until `sign_on_deadline`. A dissenting or supplementary statement
is a `JointStatement` too, with `responds_to` set: it can be published by anyone taking part,
for themselves or for an organisation they represent, and can itself take signatures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.caucuses.models import Caucus
from polyvox.core.models import TimeStampedModel
from polyvox.organisations.models import Organisation
from polyvox.processes.models import Process


class Relation(models.TextChoices):
    JOINT = "joint", _("Joint statement")
    DISSENT = "dissent", _("Dissenting statement")
    SUPPLEMENT = "supplement", _("Supplementary statement")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class JointStatement(TimeStampedModel):
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="joint_statements")
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.JOINT)
    responds_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="linked_statements"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="joint_statements"
    )
    # Snapshot at publication, like a contribution's byline.
    author_name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_statements",
        help_text=_("Published on behalf of this organisation."),
    )
    caucus = models.ForeignKey(
        Caucus,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_statements",
        help_text=_("Drafted in this caucus and published by its facilitator."),
    )
    status = models.CharField(
        max_length=16, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # None: published without sign-on (a statement of its author alone).
    sign_on_deadline = models.DateTimeField(_("sign-on deadline"), null=True, blank=True)

    class Meta:
        ordering = ["process", "-created_at", "-id"]
        indexes = [models.Index(fields=["process", "relation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(relation="joint", responds_to__isnull=True)
                | (~Q(relation="joint") & Q(responds_to__isnull=False)),
                name="linked_statement_responds_to_one",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "joint_statements:detail", kwargs={"slug": self.process.slug, "statement_id": self.pk}
        )


class JointStatementRevision(models.Model):
    """The text as it was before an edit of a draft; revision 1 is the first text."""

    statement = models.ForeignKey(
        JointStatement, on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="unique_joint_statement_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement} r{self.number}"


class Signature(models.Model):
    """One signature, for an organisation (by an approved representative) or for oneself.

    Withdrawing sets `withdrawn_at` and keeps the row; the group and country are snapshots at
    signing, so counts by stakeholder group and M49 region are one database aggregation."""

    statement = models.ForeignKey(
        JointStatement, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    signer_name = models.CharField(max_length=120)
    organisation_name = models.CharField(max_length=200, blank=True)
    stakeholder_group = models.CharField(max_length=32)
    country = models.CharField(max_length=2, blank=True)
    signed_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["statement", "signed_at", "id"]
        indexes = [
            models.Index(fields=["statement", "withdrawn_at"]),
            models.Index(fields=["organisation", "withdrawn_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"],
                condition=Q(withdrawn_at__isnull=True, organisation__isnull=False),
                name="one_signature_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["statement", "signer"],
                condition=Q(withdrawn_at__isnull=True, organisation__isnull=True),
                name="one_personal_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name or self.signer_name} on {self.statement_id}"
