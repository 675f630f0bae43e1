"""Outcomes: recommendations, consensus designations with objections and minority views,
positions on recommendations, and decisions under the process's rule set.

The second half of a process (PRODUCT.md, "fit for purpose"). A recommendation is an outcome text
linked to draft sections. Under consensus, the chair *proposes* a designation (ICANN GNSO
working-group guidelines, 3.6), participants may object until `objections_close_at`, then the
chair makes it *final* (confirming or revising the level) and every objection still standing is
attached verbatim as a minority view. Under explicit rules, participants record positions and a
`Decision` keeps what the rule set decided, with the what-if table of every preset, as computed by
`polyvox.analytics.decision_rules` when it was taken.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyvox.core.models import TimeStampedModel
from polyvox.drafts.models import Section
from polyvox.organisations.models import Organisation
from polyvox.processes.models import Process
from polyvox.statements.models import Statement


class RuleSet(models.TextChoices):
    """The presets of `polyvox.analytics.decision_rules.RULES`, by the same names."""

    SIMPLE_MAJORITY = "simple-majority", _("Simple majority")
    TWO_THIRDS = "two-thirds-present-voting", _("Two thirds of those present and voting")
    UN_SECURITY_COUNCIL = "un-security-council", _("UN Security Council (nine votes, no veto)")
    GNSO_SUPERMAJORITY = "gnso-supermajority", _("ICANN GNSO supermajority (two houses)")
    CONSENSUS_WITH_BLOCKS = "consensus-with-blocks", _("Consensus with blocks")
    CHAMBERS = "chambers", _("Chambers (each stakeholder group decides)")
    ONE_STATE_ONE_VOTE = "one-state-one-vote", _("One state, one vote")


class OutcomeSettings(models.Model):
    """How a process turns positions into decisions, and how long objections stay open."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="outcome_settings"
    )
    rule_set = models.CharField(
        _("rule set"), max_length=32, choices=RuleSet.choices, default=RuleSet.SIMPLE_MAJORITY
    )
    # For `chambers`: {"government": "2/3:members", "civil_society": ">1/2:votes", …}
    # (`decision_rules.parse_chamber`); a group not listed decides by a majority of votes cast.
    chambers = models.JSONField(_("chamber thresholds"), default=dict, blank=True)
    objection_days = models.PositiveSmallIntegerField(
        _("days to object to a proposed designation"), default=7
    )

    def __str__(self) -> str:
        return f"Outcome settings of {self.process}"


class Recommendation(TimeStampedModel):
    """An outcome text put to a decision, numbered within its process."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    sections = models.ManyToManyField(
        Section, blank=True, related_name="recommendations", verbose_name=_("draft sections")
    )
    statements = models.ManyToManyField(
        Statement,
        blank=True,
        related_name="recommendations",
        verbose_name=_("statements voted on"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "number"], name="unique_recommendation_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "outcomes:recommendation", kwargs={"slug": self.process.slug, "number": self.number}
        )


class RecommendationRevision(models.Model):
    """The title and text as they were before each edit: edits keep history."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "edited_at", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation} as of {self.edited_at:%Y-%m-%d %H:%M}"


class Level(models.TextChoices):
    """ICANN GNSO Working Group Guidelines, section 3.6."""

    FULL_CONSENSUS = "full_consensus", _("Full consensus")
    CONSENSUS = "consensus", _("Consensus")
    STRONG_SUPPORT = "strong_support", _("Strong support but significant opposition")
    DIVERGENCE = "divergence", _("Divergence")


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    FINAL = "final", _("Final")


class Designation(models.Model):
    """A consensus designation: proposed (open to objections), then final (confirmed or revised).

    `evidence` is the evidence panel as computed when the row was written (positions by
    stakeholder group and region, statement votes), kept so the published designation shows what
    the chair saw."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="designations"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    level = models.CharField(_("designation"), max_length=24, choices=Level.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    evidence = models.JSONField(default=dict)
    # For a proposal: until when participants may object (UTC).
    objections_close_at = models.DateTimeField(null=True, blank=True)
    # For a final designation: the proposal it confirms or revises.
    proposal = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="final"
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    designated_at = models.DateTimeField()

    class Meta:
        ordering = ["recommendation", "designated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=Q(stage="final"),
                name="one_final_designation",
            ),
            models.CheckConstraint(
                condition=Q(stage="proposed", objections_close_at__isnull=False, proposal=None)
                | Q(stage="final", proposal__isnull=False),
                name="designation_stage_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.get_stage_display()}) — {self.recommendation}"

    @property
    def revised(self) -> bool:
        """A final designation whose level differs from the one proposed."""
        return self.proposal is not None and self.proposal.level != self.level


class Objection(models.Model):
    """A participant's objection to a proposed designation, with reasons (public, verbatim)."""

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="objections"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Snapshot at the time of objecting, like a contribution's byline.
    author_name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    reason = models.TextField(_("reasons"))
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["designation", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["designation", "author"], name="one_objection_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Objection by {self.author_name} to {self.designation}"


class MinorityView(models.Model):
    """An objection attached verbatim to a final designation; copied so it never changes after."""

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="minority_views"
    )
    objection = models.OneToOneField(
        Objection, on_delete=models.PROTECT, related_name="minority_view"
    )
    author_name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["designation", "objection__created_at", "id"]

    def __str__(self) -> str:
        return f"Minority view of {self.author_name} on {self.designation}"


class PositionKind(models.TextChoices):
    """Spelled as in `decision_rules` (and its CSV), so one value travels everywhere."""

    SUPPORT = "support", _("Support")
    CAN_LIVE_WITH = "can-live-with", _("Can live with")
    OPPOSE = "oppose", _("Oppose")
    BLOCK = "block", _("Block")
    ABSTAIN = "abstain", _("Abstain")


class Elector(models.Model):
    """The electorate of a process's decisions, when the secretariat sets one: who decides, in
    which group (a stakeholder group, a chamber, `permanent`/`elected`, `contracted`/
    `non-contracted`), under which public label (a state for one-state-one-vote). Electors
    without a position count as absent. Without electors, whoever recorded a position decides,
    in their stakeholder group."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="electors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voter = models.CharField(_("voter (public label)"), max_length=120)
    group = models.SlugField(_("group"), max_length=40)

    class Meta:
        ordering = ["process", "group", "voter"]
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="one_seat_per_user"),
            models.UniqueConstraint(fields=["process", "voter"], name="unique_voter_label"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} ({self.group})"


class Position(models.Model):
    """A participant's current position on a recommendation (public, with their name)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="positions"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=16, choices=PositionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["recommendation", "updated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "author"], name="one_position_per_author"
            )
        ]
        indexes = [models.Index(fields=["recommendation", "position"])]

    def __str__(self) -> str:
        return f"{self.get_position_display()} — {self.recommendation}"


class PositionRevision(models.Model):
    """Every position as recorded, in order: changing one keeps the earlier."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=16, choices=PositionKind.choices)
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recommendation", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.position} on {self.recommendation} ({self.recorded_at:%Y-%m-%d})"


class Decision(models.Model):
    """What the rule set decided on a recommendation, as computed when it was declared.

    `groups` is the tally per group; `what_if` the result under every preset
    (`decision_rules.Result.to_json()` each), so the table never changes after."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="decision"
    )
    rule_set = models.CharField(max_length=32, choices=RuleSet.choices)
    passed = models.BooleanField()
    reason = models.TextField()
    groups = models.JSONField(default=dict)
    what_if = models.JSONField(default=list)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["recommendation__process", "recommendation__number"]

    def __str__(self) -> str:
        return f"{self.recommendation}: {'passed' if self.passed else 'not passed'}"
