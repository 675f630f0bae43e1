"""Statements (short votable claims), votes on them, and the opinion maps computed from the votes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polyvox.contributions.models import Contribution
from polyvox.processes.models import Process

MAX_STATEMENT_CHARS = 280


class ModerationMode(models.TextChoices):
    STRICT = "strict", _("Strict: statements wait for the secretariat's approval")
    PERMISSIVE = "permissive", _("Permissive: statements are votable at once")


class StatementSettings(models.Model):
    """How one process moderates statements; absent means permissive."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="statement_settings"
    )
    moderation = models.CharField(
        _("moderation of statements"),
        max_length=16,
        choices=ModerationMode.choices,
        default=ModerationMode.PERMISSIVE,
    )
    # For conversations imported from Pol.is: rebuild the map as Pol.is did, replaying the votes
    # in time order in batches (`polyvox.analytics.opinion_map_replay`), so it shows the groups
    # Pol.is's report showed; otherwise the map is computed from the current votes at once.
    replay_map = models.BooleanField(
        _("rebuild the map as Pol.is does (replay the votes in time order)"), default=False
    )

    def __str__(self) -> str:
        return f"{self.process}: {self.get_moderation_display()}"


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class StatementQuerySet(models.QuerySet["Statement"]):
    def accepted(self) -> "StatementQuerySet":
        return self.filter(status=StatementStatus.ACCEPTED)


class Statement(models.Model):
    """One claim participants vote on (Pol.is "comment"). Rejected ones are kept, with a reason."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="statements")
    text = models.CharField(_("statement"), max_length=MAX_STATEMENT_CHARS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    is_seed = models.BooleanField(_("seed statement from the secretariat"), default=False)
    status = models.CharField(
        max_length=16, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    moderation_reason = models.TextField(_("reason"), blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Hidden after acceptance by moderation with due process (`polyvox.moderation`): the row
    # and its votes stay; its place shows a tombstone with the reason code.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason_code = models.CharField(max_length=24, blank=True)
    hidden_reason = models.TextField(blank=True)
    # "A thread insight promoted to a votable statement."
    source_contribution = models.ForeignKey(
        Contribution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promoted_statements",
    )
    # The comment-id of a statement imported from Pol.is, so re-imports add nothing twice.
    polis_id = models.IntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "polis_id"], name="unique_polis_statement_per_process"
            )
        ]

    def __str__(self) -> str:
        return self.text


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """A participant's current vote on a statement; earlier values live in VoteRevision."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="votes")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statement_votes"
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # When this value was cast at its source, for votes imported from Pol.is (its timestamp):
    # the order a replay of the conversation needs. Null for votes cast here (`updated_at`).
    cast_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="one_vote_per_statement_and_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_value_display()} #{self.statement_id}"


class VoteRevision(models.Model):
    """A value a vote had before it was changed (history kept, never shown publicly)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="revisions")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    cast_at = models.DateTimeField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["vote", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.vote} was {self.get_value_display()}"


class OpinionMapSnapshot(models.Model):
    """One computed opinion map, with what is needed to recompute and verify it."""

    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="opinion_map_snapshots"
    )
    computed_at = models.DateTimeField(db_index=True)
    params = models.JSONField(default=dict)
    seed = models.IntegerField(default=0)
    code_version = models.CharField(max_length=32)
    result = models.JSONField(default=dict)
    result_sha256 = models.CharField(max_length=64)
    participants_in_map = models.PositiveIntegerField(default=0)
    n_votes = models.PositiveIntegerField(default=0)
    # Whole-process figures the map page shows, computed by the refresh from the same votes so
    # that no request reads every vote (`map_figures`): stakeholder cross-tabs, agreement by
    # stakeholder group, bridging statements and bridging scores. Small cells (< 5 people) are
    # already suppressed here; no participant id is stored.
    figures = models.JSONField(default=dict, blank=True)
    # The engine's state after this map (`OpinionMapState.to_json`), the start of the next
    # refresh (warm start). Private: it holds participant ids. Kept on the latest map only.
    engine_state = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]

    def __str__(self) -> str:
        return f"Opinion map of {self.process} at {self.computed_at:%Y-%m-%d %H:%M}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
# A queued or running refresh that has not moved for this long is taken as lost (the worker
# stopped): the map page stops showing it, and the next vote marks it failed and queues another.
STALE_AFTER = timedelta(minutes=30)


class RefreshStage(models.TextChoices):
    READING = "reading", _("Reading votes")
    COMPUTING = "computing", _("Computing opinion groups")
    SAVING = "saving", _("Publishing the map")


class OpinionMapRun(models.Model):
    """One refresh of a process's opinion map in the worker: state, stage and result, so the map
    page shows "refreshing…" and the time of the last result. At most one queued or running per
    process (votes meanwhile join it); `error` is for the secretariat only."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="opinion_map_runs")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_at = models.DateTimeField()  # when it was queued
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()  # last sign of life: a running run older than this stalled
    stage = models.CharField(max_length=16, choices=RefreshStage.choices, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    snapshot = models.ForeignKey(
        OpinionMapSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_opinion_map_run_per_process",
            )
        ]
        indexes = [models.Index(fields=["process", "status", "id"])]

    def __str__(self) -> str:
        return f"Opinion map refresh {self.pk} of {self.process_id}: {self.status}"
