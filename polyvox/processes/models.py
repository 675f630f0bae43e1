"""A multistakeholder process, its dated phases and who plays which role in it."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.processes.phase_types import PhaseKind


class DecisionMode(models.TextChoices):
    ADVISORY = "advisory", _("Advisory (an authority decides, transparently)")
    CONSENSUS = "consensus", _("Multistakeholder consensus")
    VOTE = "vote", _("Vote under explicit rules")


class IdentityPolicy(models.TextChoices):
    REAL_NAMES = "real_names", _("Real names")
    PSEUDONYMS_ALLOWED = "pseudonyms_allowed", _("Pseudonyms allowed")


class ModerationMode(models.TextChoices):
    POST = "post", _("Post-moderation: published at once, moderated when flagged")
    PRE = "pre", _("Pre-moderation: published after a moderator has looked")


class ClosedAccountByline(models.TextChoices):
    """What a closed account's inputs show in this process; they stay, the name goes."""

    ANONYMOUS = "anonymous", _("A former participant, with their stakeholder group")
    ORGANISATION = "organisation", _("A former participant, with their organisation")


class ParticipationPolicy(models.TextChoices):
    OPEN = "open", _("Open to anyone registered")
    INVITED = "invited", _("Invited participants only")


class Process(TimeStampedModel):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    mandate = models.TextField(_("mandate"))
    languages = models.JSONField(_("languages"), default=list)
    decision_mode = models.CharField(
        _("decision mode"),
        max_length=16,
        choices=DecisionMode.choices,
        default=DecisionMode.ADVISORY,
    )
    identity_policy = models.CharField(
        _("identity policy"),
        max_length=24,
        choices=IdentityPolicy.choices,
        default=IdentityPolicy.REAL_NAMES,
    )
    moderation_mode = models.CharField(
        _("moderation"),
        max_length=8,
        choices=ModerationMode.choices,
        default=ModerationMode.POST,
    )
    closed_account_byline = models.CharField(
        _("inputs of closed accounts show"),
        max_length=16,
        choices=ClosedAccountByline.choices,
        default=ClosedAccountByline.ANONYMOUS,
    )
    participation_policy = models.CharField(
        _("participation policy"),
        max_length=16,
        choices=ParticipationPolicy.choices,
        default=ParticipationPolicy.OPEN,
    )
    requires_statement_of_interest = models.BooleanField(
        _("participants must declare their interests first"), default=False
    )
    accepts_late_inputs = models.BooleanField(
        _("accept inputs after the deadline, marked late"), default=False
    )
    how_it_works = models.TextField(
        _("how this process works"),
        blank=True,
        help_text=_("Shown to participants: the steps, what happens to their inputs, who decides."),
    )
    # The template it was made from (a built-in name or a saved ProcessTemplate's name).
    template_name = models.CharField(_("template"), max_length=80, blank=True)
    answers_need_review = models.BooleanField(
        _("answers are reviewed by a second member before they are published"), default=False
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # Public: why the process was closed while inputs were still unanswered.
    closing_note = models.TextField(_("closing note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "processes"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("processes:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    """What each role may do is one table: `processes.roles.CAPABILITIES` (docs/roles.md)."""

    SECRETARIAT = "secretariat", _("Secretariat")
    CHAIR = "chair", _("Chair")
    MODERATOR = "moderator", _("Moderator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    OBSERVER = "observer", _("Observer")
    PARTICIPANT = "participant", _("Invited participant")
    TRANSLATOR = "translator", _("Translator")


class Membership(models.Model):
    """A role someone holds in one process: the secretariat, or an invitation to take part."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.process}"


class Phase(models.Model):
    """A dated stage; its kind decides what participants may do while it is open."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=24, choices=PhaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(_("ends at (UTC)"))
    # Set when "phase.opened" / "phase.closed" is appended to the record, so each is recorded once.
    opening_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # From the template: the shortest this phase may last without a published reason.
    min_days = models.PositiveIntegerField(null=True, blank=True)
    # Public: why this phase is shorter than its template's minimum.
    short_schedule_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    def status(self, now: datetime) -> str:
        """'upcoming', 'open' or 'closed' at `now` (UTC)."""
        if now < self.starts_at:
            return "upcoming"
        return "open" if now < self.ends_at else "closed"


class PhaseChange(models.Model):
    """A phase added, moved, extended, closed early or removed, with the reason given (public)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        RESCHEDULED = "rescheduled", _("rescheduled")
        REMOVED = "removed", _("removed")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phase_changes")
    # Null once a phase that had not started is removed; phase_title keeps what it was.
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    phase_title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    old_starts_at = models.DateTimeField(null=True, blank=True)
    old_ends_at = models.DateTimeField(null=True, blank=True)
    new_starts_at = models.DateTimeField(null=True, blank=True)
    new_ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.phase_title}: {self.get_kind_display()}"


class ProcessTemplate(models.Model):
    """A template a secretariat saved from a process; the built-in ones live in
    `processes.process_templates` (code, with the sources of their minimums)."""

    name = models.SlugField(_("name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    how_it_works = models.TextField(_("how this process works"), blank=True)
    decision_mode = models.CharField(max_length=16, choices=DecisionMode.choices)
    identity_policy = models.CharField(max_length=24, choices=IdentityPolicy.choices)
    participation_policy = models.CharField(max_length=16, choices=ParticipationPolicy.choices)
    # [{"kind", "title", "min_days", "default_days"}, …] in order.
    phases = models.JSONField(default=list)
    source_process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An e-mailed invitation to take a role in a process; accepting it creates the Membership.

    The token travels only in the e-mail; the address is private (never on public pages)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} of {self.process}"


class ProcessTranslation(models.Model):
    """The process's title, mandate and "how it works" in one of its languages.

    The process's own fields are the original; a page in another language shows the translation
    where there is one and the original, marked with its language, where there is not."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)
    how_it_works = models.TextField(_("how this process works"), blank=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "language"], name="unique_process_translation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process} [{self.language}]"


class PhaseTranslation(models.Model):
    """A phase's title and description in one of the process's languages."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "language"], name="unique_phase_translation")
        ]

    def __str__(self) -> str:
        return f"{self.phase} [{self.language}]"


class TargetDimension(models.TextChoices):
    """What a participation target counts: the stakeholder group, region or gender of inputs."""

    STAKEHOLDER_GROUP = "stakeholder_group", _("stakeholder group")
    REGION = "region", _("region")
    GENDER = "gender", _("gender")
    GLOBAL_SOUTH = "global_south", _("Global South")


class ParticipationTarget(models.Model):
    """A share of inputs the secretariat aims for, e.g. "at least 20 % from governments".

    The indicators page compares each with what came in and raises an alert when one is missed;
    `value` is a stakeholder group, region code or gender category (the dimension's vocabulary)."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="participation_targets"
    )
    dimension = models.CharField(_("dimension"), max_length=24, choices=TargetDimension.choices)
    value = models.CharField(_("value"), max_length=40)
    min_share = models.DecimalField(
        _("at least (share of inputs, 0 to 1)"), max_digits=4, decimal_places=3
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "dimension", "value"], name="unique_participation_target"
            ),
            models.CheckConstraint(
                condition=models.Q(min_share__gte=0) & models.Q(min_share__lte=1),
                name="participation_target_share_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.dimension}={self.value} ≥ {self.min_share}"
