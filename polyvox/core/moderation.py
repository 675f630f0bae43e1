"""The reason codes of moderation, shared by every app that shows a tombstone.

A hidden item keeps its row; its address shows "hidden on DATE" and one of these codes. The
codes follow the published moderation policy (`polyvox.moderation`). Disagreement with a view is
deliberately not among them: a policy process must hear the views it dislikes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReasonCode(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_ATTACK = "personal_attack", _("Personal attack or harassment")
    HATE = "hate", _("Hate speech or incitement")
    PERSONAL_DATA = "personal_data", _("Someone's personal data")
    ILLEGAL = "illegal", _("Unlawful content")
    COPYRIGHT = "copyright", _("Copyright infringement")
    IMPERSONATION = "impersonation", _("Submitted in someone else's name")
    # Not a finding: pre-moderation holds new items until a moderator has looked at them.
    AWAITING_REVIEW = "awaiting_review", _("Awaiting moderation")
