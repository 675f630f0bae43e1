"""Writes for statements: propose, moderate, vote, promote, and publish opinion maps."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

import polyvox
from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.opinion_map_replay import VoteEvents, replay_opinion_map
from polyvox.analytics.opinion_map_state import OpinionMapState
from polyvox.contributions.models import Contribution
from polyvox.core.permissions import Actor, require
from polyvox.core.text import refuse_invisible_only, refuse_unstorable
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.record.services import append_entry
from polyvox.statements.map_figures import compute_figures
from polyvox.statements.map_json import opinion_map_json, result_digest
from polyvox.statements.models import (
    ACTIVE_RUN_STATUSES,
    MAX_STATEMENT_CHARS,
    STALE_AFTER,
    ModerationMode,
    OpinionMapRun,
    OpinionMapSnapshot,
    RefreshStage,
    RunStatus,
    Statement,
    StatementSettings,
    StatementStatus,
    Vote,
    VoteRevision,
    VoteValue,
)
from polyvox.statements.permissions import (
    can_moderate_statements,
    can_promote_contribution,
    can_propose_statement,
    can_vote,
)
from polyvox.statements.selectors import latest_snapshot, statement_settings, vote_matrix

# A second sentence starts after . ! or ? followed by a capital: one claim per statement.
_SECOND_SENTENCE = re.compile(r"[.!?]\s+[A-Z\u00C0-\u024F\u0400-\u04FF]")


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?…")


def clean_statement_text(text: str, *, process: Process) -> str:
    """Stripped text of one claim, within the limit and not a duplicate of a statement here."""
    refuse_unstorable(text or "", "text")
    refuse_invisible_only((text or "").strip(), "text")
    clean = " ".join((text or "").split())
    if not clean:
        raise ValidationError({"text": _("Write the statement before sending.")})
    if len(clean) > MAX_STATEMENT_CHARS:
        raise ValidationError(
            {
                "text": _("Keep it under %(limit)d characters (this has %(count)d).")
                % {"limit": MAX_STATEMENT_CHARS, "count": len(clean)}
            }
        )
    if "\n" in (text or "").strip() or _SECOND_SENTENCE.search(clean):
        raise ValidationError(
            {"text": _("One claim per statement: split this into separate statements.")}
        )
    key = _comparable(clean)
    existing = Statement.objects.filter(process=process).values_list("text", flat=True)
    if any(_comparable(t) == key for t in existing):
        raise ValidationError({"text": _("This statement has already been proposed here.")})
    return clean


def _accepted_payload(statement: Statement) -> dict[str, Any]:
    return {
        "statement_id": statement.pk,
        "text": statement.text,
        "is_seed": statement.is_seed,
        "source_contribution": (
            statement.source_contribution.tracking_number if statement.source_contribution else None
        ),
    }


def _create(
    *, process: Process, author: Actor | None, text: str, is_seed: bool, status: str, **extra: Any
) -> Statement:
    statement = Statement(
        process=process,
        author_id=author.pk if author is not None and author.is_authenticated else None,
        text=text,
        is_seed=is_seed,
        status=status,
        moderated_at=timezone.now() if status != StatementStatus.PENDING else None,
        **extra,
    )
    statement.full_clean()
    statement.save()
    append_entry(
        process=process,
        kind="statement.proposed",
        payload={"statement_id": statement.pk, "is_seed": is_seed, "status": status},
    )
    if status == StatementStatus.ACCEPTED:
        append_entry(
            process=process, kind="statement.accepted", payload=_accepted_payload(statement)
        )
    return statement


@transaction.atomic
def propose_statement(*, author: Actor, process: Process, text: str) -> Statement:
    """Participants propose in a deliberation phase; the secretariat seeds at any time.

    Strict moderation holds participants' statements until accepted; seeds are accepted at once.
    """
    window = can_propose_statement(author, process, timezone.now())
    require(window.allowed, window.reason or _("You cannot propose statements here."))
    clean = clean_statement_text(text, process=process)
    seed = is_secretariat(author, process)
    strict = statement_settings(process).moderation == ModerationMode.STRICT
    status = StatementStatus.PENDING if strict and not seed else StatementStatus.ACCEPTED
    return _create(process=process, author=author, text=clean, is_seed=seed, status=status)


@transaction.atomic
def set_statement_moderation(*, actor: Actor, process: Process, mode: str) -> StatementSettings:
    """Choose strict (pre-) or permissive moderation of participants' statements; published."""
    require(
        is_secretariat(actor, process),
        _("Only the secretariat chooses how statements are moderated."),
    )
    if mode not in ModerationMode.values:
        raise ValidationError({"moderation": _("Choose strict or permissive moderation.")})
    settings_row, _created = StatementSettings.objects.get_or_create(process=process)
    if settings_row.moderation != mode:
        settings_row.moderation = mode
        settings_row.full_clean()
        settings_row.save()
        append_entry(
            process=process, kind="statements.moderation_set", payload={"moderation": mode}
        )
    return settings_row


@transaction.atomic
def set_map_replay(*, actor: Actor, process: Process, replay: bool) -> StatementSettings:
    """Choose whether the opinion map is rebuilt as Pol.is does (votes replayed in time order:
    for conversations imported from Pol.is) or computed from the current votes; published, and
    the map is recomputed in the new way."""
    require(
        is_secretariat(actor, process),
        _("Only the secretariat chooses how the opinion map is computed."),
    )
    settings_row, _created = StatementSettings.objects.get_or_create(process=process)
    if settings_row.replay_map != replay:
        settings_row.replay_map = replay
        settings_row.full_clean()
        settings_row.save()
        append_entry(process=process, kind="statements.map_replay_set", payload={"replay": replay})
        transaction.on_commit(lambda: _enqueue_refresh(process.pk))
    return settings_row


@transaction.atomic
def moderate_statement(
    *, actor: Actor, statement: Statement, accept: bool, reason: str
) -> Statement:
    """Accept or reject a pending statement; a rejection needs a reason, which is published."""
    require(
        can_moderate_statements(actor, statement.process),
        _("Only moderators and the secretariat moderate statements."),
    )
    reason = " ".join((reason or "").split())
    if statement.status != StatementStatus.PENDING:
        raise ValidationError({"accept": _("This statement has already been moderated.")})
    if not accept and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting this statement.")})
    statement.status = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
    statement.moderation_reason = reason
    statement.moderated_at = timezone.now()
    statement.full_clean()
    statement.save()
    if accept:
        append_entry(
            process=statement.process,
            kind="statement.accepted",
            payload=_accepted_payload(statement),
        )
    else:
        append_entry(
            process=statement.process,
            kind="statement.rejected",
            payload={"statement_id": statement.pk, "reason": reason},
        )
    return statement


def _enqueue_refresh(process_id: int) -> None:
    """After a vote's commit: one indexed read when a refresh is already queued or running."""
    run = queue_map_refresh(process_id=process_id)
    if run is not None:
        from polyvox.statements.tasks import refresh_opinion_map_task

        refresh_opinion_map_task.enqueue(process_id, run.pk)


@transaction.atomic
def cast_vote(*, participant: Actor, statement: Statement, value: int) -> Vote:
    """Agree (1), disagree (-1) or pass (0); a changed vote keeps its earlier value as history.

    Votes are not public events: nothing is appended to the record per vote. The opinion map is
    refreshed by a background task after commit, never inside the request.
    """
    window = can_vote(participant, statement.process, timezone.now())
    require(window.allowed, window.reason or _("You cannot vote here."))
    if statement.status != StatementStatus.ACCEPTED or statement.hidden_at is not None:
        raise ValidationError({"statement": _("This statement is not open for votes.")})
    if value not in VoteValue.values:
        raise ValidationError({"value": _("Vote agree, disagree or pass.")})
    vote = (
        Vote.objects.select_for_update()
        .filter(statement=statement, participant_id=participant.pk)
        .first()
    )
    if vote is not None and vote.value == value:
        return vote
    if vote is None:
        vote = Vote(statement=statement, participant_id=cast(int, participant.pk), value=value)
    else:
        VoteRevision.objects.create(
            vote=vote, value=vote.value, cast_at=vote.updated_at, replaced_at=timezone.now()
        )
        vote.value = value
    vote.full_clean(validate_constraints=False)
    vote.save()
    process_id = statement.process_id
    transaction.on_commit(lambda: _enqueue_refresh(process_id))
    return vote


@transaction.atomic
def promote_contribution(*, actor: Actor, contribution: Contribution, text: str) -> Statement:
    """Turn a thread insight into a votable statement, linked to the contribution it came from."""
    process = contribution.process
    require(
        can_promote_contribution(actor, process),
        _("Only the secretariat promotes contributions to statements."),
    )
    if contribution.hidden_at is not None:
        raise ValidationError({"contribution": _("A hidden contribution cannot be promoted.")})
    clean = clean_statement_text(text, process=process)
    return _create(
        process=process,
        author=actor,
        text=clean,
        is_seed=True,
        status=StatementStatus.ACCEPTED,
        source_contribution=contribution,
    )


def _no_stage(stage: str) -> None:
    """The default `progress` of `refresh_opinion_map`: nobody is watching."""


# A warm refresh starts from the previous map's engine state, as Pol.is's math worker does; every
# FULL_REFRESH_EVERY-th map is computed from scratch instead, so that warm updates never drift far
# from what the current votes alone give (docs/analytics.md, "Live refresh").
FULL_REFRESH_EVERY = 20


def previous_state(
    process: Process, *, seed: int, replay: bool
) -> tuple[OpinionMapState | None, int]:
    """The engine state the next refresh of `process` starts from and the number of warm maps
    since the last full one; (None, 0) for a full recompute: there is no stored state, or it was
    computed with another seed, another version of Polyvox or the other mode (replay or not),
    or the next map would be the `FULL_REFRESH_EVERY`-th since the last full one, or the state
    does not read back."""
    cold: tuple[OpinionMapState | None, int] = (None, 0)
    found = (
        OpinionMapSnapshot.objects.filter(process=process, engine_state__isnull=False)
        .order_by("-computed_at", "-id")
        .values_list("seed", "code_version", "params", "engine_state")
        .first()
    )
    if found is None:
        return cold
    old_seed, version, params, stored = found
    if (old_seed, version, bool(params.get("replay"))) != (seed, polyvox.__version__, replay):
        return cold
    since_full = int(params.get("warm_since_full", 0)) + 1
    if since_full >= FULL_REFRESH_EVERY:
        return cold
    try:
        return OpinionMapState.from_json(stored or {}), since_full
    except ValueError:
        return cold


def vote_events(process: Process) -> VoteEvents:
    """Every vote of the process as cast, in time order: earlier values (`VoteRevision`, at the
    time each was cast) and current ones, at their time at the source for imported votes
    (Pol.is's timestamp, `Vote.cast_at`) or of their last change here. Pending statements are
    left out and rejected ones moderated out, as in `vote_matrix`."""
    counted = Vote.objects.filter(statement__process=process).exclude(
        statement__status=StatementStatus.PENDING
    )
    current = counted.annotate(at=Coalesce("cast_at", "updated_at")).values_list(
        "participant_id", "statement_id", "value", "at"
    )
    earlier = VoteRevision.objects.filter(vote__in=counted).values_list(
        "vote__participant_id", "vote__statement_id", "value", "cast_at"
    )
    rows = [*earlier.iterator(chunk_size=10_000), *current.iterator(chunk_size=10_000)]
    pid, sid, val, at = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [])
    rejected = Statement.objects.filter(process=process, status=StatementStatus.REJECTED)
    return VoteEvents(
        np.array(pid, dtype=np.int64),
        np.array(sid, dtype=np.int64),
        np.array(val, dtype=np.int64),
        np.array([t.timestamp() * 1000.0 for t in at], dtype=np.float64),
        np.array(sorted(rejected.values_list("id", flat=True)), dtype=np.int64),
    ).in_time_order()


def refresh_opinion_map(
    *, process: Process, seed: int = 0, progress: Callable[[str], None] = _no_stage
) -> OpinionMapSnapshot:
    """Compute the map from the current votes, store it with its provenance, and publish it.

    Warm when it can (`previous_state`): the engine starts from the last map's state. A process
    set to replay (`StatementSettings.replay_map`, for conversations imported from Pol.is)
    rebuilds its map as Pol.is did, replaying every vote in time order, when there is no state
    to continue from. Reading and computing run outside any transaction (on SQLite a transaction
    holds the write lock, and votes would wait for the engine); only storing and publishing is
    one transaction.
    """
    progress(RefreshStage.READING)
    replay = statement_settings(process).replay_map
    previous, since_full = previous_state(process, seed=seed, replay=replay)
    events = vote_events(process) if replay and previous is None else None
    if events is not None and len(events.values):
        votes = events.matrix()
        progress(RefreshStage.COMPUTING)
        computed = replay_opinion_map(events, seed=seed)
    else:
        votes = vote_matrix(process)
        progress(RefreshStage.COMPUTING)
        computed = compute_opinion_map(votes, seed=seed, previous=previous)
    params: dict[str, Any] = {
        **computed.parameters,
        "replay": replay,
        "warm_start": previous is not None,
        "warm_since_full": since_full,
    }
    result = opinion_map_json(computed)
    # The whole-process figures of the page, from the same votes: no request reads them all.
    figures = compute_figures(votes, result)
    progress(RefreshStage.SAVING)
    state = computed.state.to_json() if computed.state is not None else None
    return _publish_map(
        process, result, params, seed, votes.n_votes, figures=figures, engine_state=state
    )


@transaction.atomic
def _publish_map(
    process: Process,
    result: dict[str, Any],
    params: dict[str, Any],
    seed: int,
    n_votes: int,
    *,
    figures: dict[str, Any],
    engine_state: dict[str, Any] | None,
) -> OpinionMapSnapshot:
    snapshot = OpinionMapSnapshot(
        process=process,
        computed_at=timezone.now(),
        params=params,
        seed=seed,
        code_version=polyvox.__version__,
        result=result,
        result_sha256=result_digest(result),
        participants_in_map=len(result["participants"]),
        n_votes=n_votes,
        figures=figures,
        engine_state=engine_state,
    )
    snapshot.full_clean()
    snapshot.save()
    # Only the latest map keeps its engine state (participant ids, and megabytes at scale).
    OpinionMapSnapshot.objects.filter(process=process, engine_state__isnull=False).exclude(
        pk=snapshot.pk
    ).update(engine_state=None)
    append_entry(
        process=process,
        kind="opinion_map.published",
        payload={
            "snapshot_id": snapshot.pk,
            "participants_in_map": snapshot.participants_in_map,
            "n_votes": snapshot.n_votes,
            "seed": seed,
            "code_version": snapshot.code_version,
            "result_sha256": snapshot.result_sha256,
        },
    )
    return snapshot


# Refresh runs: one queued or running per process, its stage kept on the row -------------------

REFRESH_STAGE_PERCENT: dict[str, int] = {
    RefreshStage.READING: 5,
    RefreshStage.COMPUTING: 30,
    RefreshStage.SAVING: 90,
}


def queue_map_refresh(*, process_id: int) -> OpinionMapRun | None:
    """A new queued refresh run, or None when one is queued or running already (it, or the run
    it queues when it ends, will read this vote). A stalled run is marked failed first."""
    now = timezone.now()
    active = OpinionMapRun.objects.filter(
        process_id=process_id, status__in=ACTIVE_RUN_STATUSES
    ).first()
    if active is not None:
        if active.updated_at >= now - STALE_AFTER:
            return None
        OpinionMapRun.objects.filter(pk=active.pk, status__in=ACTIVE_RUN_STATUSES).update(
            status=RunStatus.FAILED, finished_at=now, updated_at=now,
            error=_("The worker stopped before this run finished."),
        )  # fmt: skip
    try:
        with transaction.atomic():
            return OpinionMapRun.objects.create(
                process_id=process_id, created_at=now, updated_at=now
            )
    except IntegrityError:
        return None  # another vote queued one at the same moment


def _mapped_until(latest: OpinionMapSnapshot | None) -> datetime | None:
    """Votes up to this time are in the latest map: the start of the last run that ended with it
    (a vote cast while a map is computed is not in it), else the map's own time."""
    if latest is None:
        return None
    run = OpinionMapRun.objects.filter(snapshot=latest, status=RunStatus.DONE).order_by("-id")
    started = run.values_list("started_at", flat=True).first()
    return started or latest.computed_at


def execute_map_refresh(run_id: int) -> int | None:
    """Run a queued refresh (the worker's side); returns the new snapshot's id, or None when no
    vote came after the latest map. Votes cast after it read them queue one more run."""
    now = timezone.now()
    claimed = OpinionMapRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, updated_at=now, stage=RefreshStage.READING
    )
    if not claimed:
        return None
    run = OpinionMapRun.objects.select_related("process").get(pk=run_id)
    process = run.process

    def stage(name: str) -> None:
        OpinionMapRun.objects.filter(pk=run_id).update(
            stage=name, percent=REFRESH_STAGE_PERCENT[name], updated_at=timezone.now()
        )

    last_vote = Vote.objects.filter(statement__process=process).aggregate(at=Max("updated_at"))
    latest = latest_snapshot(process)
    snapshot = None
    # A map computed in the other mode (replay or not) is out of date whatever the votes.
    other_mode = latest is not None and bool(latest.params.get("replay")) != bool(
        statement_settings(process).replay_map
    )
    try:
        mapped = _mapped_until(latest)
        if mapped is None or last_vote["at"] is None or mapped < last_vote["at"] or other_mode:
            snapshot = refresh_opinion_map(process=process, progress=stage)
    except Exception as error:
        OpinionMapRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), updated_at=timezone.now(),
            error=str(error) or type(error).__name__,
        )  # fmt: skip
        raise
    finished = timezone.now()
    OpinionMapRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE, finished_at=finished, updated_at=finished, percent=100,
        snapshot=snapshot if snapshot is not None else latest,
    )  # fmt: skip
    if Vote.objects.filter(statement__process=process, updated_at__gt=now).exists():
        _enqueue_refresh(process.pk)
    return snapshot.pk if snapshot is not None else None
