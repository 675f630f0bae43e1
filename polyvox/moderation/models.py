"""Moderation with due process: the published policy, flags, actions on a ladder, and appeals.

An item is an input or reply (`Contribution`) or a statement (`Statement`): each row names exactly
one of them (a CHECK constraint), so the queue, the log and the tombstones read plain foreign keys.
Nothing here deletes: hiding sets the item's `hidden_at`, restoring clears it, and every step is a
row of its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.models import Contribution
from polyvox.core.moderation import ReasonCode
from polyvox.processes.models import Process
from polyvox.statements.models import Statement

REASON_CODE_LENGTH = 24
_ONE_ITEM = Q(contribution__isnull=False, statement__isnull=True) | Q(
    contribution__isnull=True, statement__isnull=False
)


class ModerationPolicy(models.Model):
    """One published version of a process's moderation policy; a new edit is a new row."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="moderation_policies"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(_("policy (Markdown)"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["process", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "version"], name="moderation_policy_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process} v{self.version}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Flag(models.Model):
    """A participant's report that an item breaks the policy (or was submitted in their name)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="flags")
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    reason_code = models.CharField(
        _("reason"), max_length=REASON_CODE_LENGTH, choices=ReasonCode.choices
    )
    text = models.TextField(_("what is wrong"))
    status = models.CharField(max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "ModerationAction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_ONE_ITEM, name="flag_names_one_item"),
            # One open flag per person per item.
            models.UniqueConstraint(
                fields=["flagger", "contribution"],
                condition=Q(status="open", contribution__isnull=False),
                name="one_open_flag_per_person_per_contribution",
            ),
            models.UniqueConstraint(
                fields=["flagger", "statement"],
                condition=Q(status="open", statement__isnull=False),
                name="one_open_flag_per_person_per_statement",
            ),
        ]
        indexes = [models.Index(fields=["process", "status"], name="flag_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_code_display()} ({self.status})"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hide")
    PRIVATE_WARNING = "private_warning", _("Private warning")
    PUBLIC_WARNING = "public_warning", _("Public warning")
    RESTRICTION = "restriction", _("Restriction")
    RESTORE = "restore", _("Restore")
    APPROVE = "approve", _("Approve")


# The ladder of sanctions on an author in one process; hiding an item stands beside it.
LADDER: tuple[str, ...] = (
    ActionKind.PRIVATE_WARNING,
    ActionKind.PUBLIC_WARNING,
    ActionKind.RESTRICTION,
)


class ModerationAction(models.Model):
    """One moderator's decision on one item, with its published reason code."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    contribution = models.ForeignKey(
        Contribution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
    )
    statement = models.ForeignKey(
        Statement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
    )
    # The item's author, whom the ladder, the restriction and the notification concern.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions_received",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions_taken",
    )
    action = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    reason_code = models.CharField(
        _("reason code"), max_length=REASON_CODE_LENGTH, choices=ReasonCode.choices, blank=True
    )
    text = models.TextField(_("explanation to the author"), blank=True)
    skipped_step_reason = models.TextField(_("why a step of the ladder is skipped"), blank=True)
    restricted_until = models.DateTimeField(null=True, blank=True)
    # Set when an appeal reversed it: a reversed step no longer counts on the ladder.
    reversed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=_ONE_ITEM, name="action_names_one_item")]
        indexes = [
            models.Index(fields=["process", "author", "action"], name="moderation_ladder"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.reason_code})"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld: the action stands")
    REVERSED = "reversed", _("Reversed")


class Appeal(models.Model):
    """The author's one appeal against one action, decided by a different moderator."""

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_appeals"
    )
    text = models.TextField(_("why the action should be reversed"))
    status = models.CharField(
        max_length=12, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_appeals_decided",
    )
    decision_text = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Appeal on {self.action_id} ({self.status})"
