"""Notifications (in the app, also sent by e-mail), who follows a process, what was circulated to
everyone taking part, each person's e-mail preferences, and the deadline reminders sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyvox.processes.models import Phase, Process


class NotificationKind(models.TextChoices):
    """What a notification is about: each person chooses per kind how its e-mails reach them."""

    VERSION = "version", _("New versions of drafts")
    PHASE = "phase", _("Phases opening and schedule changes")
    REMINDER = "reminder", _("Reminders before deadlines")
    REPLY = "reply", _("Replies to your inputs")
    GENERAL = "general", _("Your own inputs, answers and roles (receipts, answers, decisions)")


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail each time")
    DAILY = "daily", _("One daily digest")
    NONE = "none", _("No e-mail (only in your notifications here)")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    kind = models.CharField(
        max_length=16, choices=NotificationKind.choices, default=NotificationKind.GENERAL
    )
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Waiting for the recipient's daily digest (they chose "daily" for this kind).
    digest_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(digest_pending=True),
                name="notification_digest_pending",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """How one person's e-mails of one kind reach them; no row: an e-mail each time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    mode = models.CharField(max_length=16, choices=DeliveryMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.mode}"


class EmailLanguage(models.Model):
    """The language a person's e-mails and notifications are written in (one per person).

    Set from the page's language when they first follow a process or save their preferences,
    and chosen on the preferences page. Without a row: the first of `profile.languages` that is a
    site language, else settings.LANGUAGE_CODE (`notifications.languages`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_language"
    )
    language = models.CharField(_("language of your e-mails"), max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class Follow(models.Model):
    """Someone who follows a process: a participant (one click) or a visitor by e-mail (double
    opt-in: nothing is sent to the address but the confirmation until it is confirmed).

    Private: who follows what is never shown on public pages, exports, the API or the record."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    # A visitor's address, lower-cased; empty for a participant (their account's address is used).
    email = models.EmailField(blank=True)
    # A visitor's choice; a participant's comes from their preferences.
    mode = models.CharField(
        max_length=16,
        choices=[
            (DeliveryMode.IMMEDIATE, DeliveryMode.IMMEDIATE.label),
            (DeliveryMode.DAILY, DeliveryMode.DAILY.label),
        ],
        default=DeliveryMode.IMMEDIATE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The language a visitor's e-mails are written in: the page's when they asked to follow.
    # Empty for a participant (their account's language is used) and for follows made before.
    language = models.CharField(max_length=16, blank=True)
    # The last daily digest sent to a visitor: the next one lists what was circulated since.
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(email=""))
                | (Q(user__isnull=True) & ~Q(email="")),
                name="follow_by_account_or_address",
            ),
            models.UniqueConstraint(
                fields=["process", "user"],
                condition=Q(user__isnull=False),
                name="one_follow_per_participant",
            ),
            models.UniqueConstraint(
                fields=["process", "email"],
                condition=~Q(email=""),
                name="one_follow_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.user_id or 'address'}"


class Circulation(models.Model):
    """One message circulated to everyone following or taking part in a process (a new draft
    version, a phase opening, a deadline reminder). Public data only: it is what the followers
    read, and a visitor's daily digest lists the circulations since the last one."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="circulations")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    # The text in settings.LANGUAGE_CODE (shown in the admin; used where `texts` lacks one).
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # The text in every site language, composed when it was circulated:
    # {"fr": {"subject": …, "body": …}, …}; each recipient gets theirs (`text_in`).
    texts = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(db_index=True)
    # Set when the worker starts delivering it, so a repeated task delivers nothing twice.
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Who acted (a secretariat member publishing a version): not told of their own act.
    excluded_user_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def text_in(self, language: str) -> tuple[str, str]:
        """(subject, body) in `language`, else in the default language."""
        text = (self.texts or {}).get(language)
        if text:
            return str(text["subject"]), str(text["body"])
        return self.subject, self.body


class DeadlineReminder(models.Model):
    """A reminder sent before a phase's deadline; one per phase, deadline and lead time, so a
    repeated run sends nothing twice and a deadline moved later gets its own reminders."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+")
    ends_at = models.DateTimeField()
    hours_before = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "ends_at", "hours_before"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phase_id} {self.hours_before}h"
