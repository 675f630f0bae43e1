"""Detection runs: a request queues one run per process (a second joins it), the worker runs it
and keeps its stage and percentage on the row, at most every few seconds."""

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.campaigns.models import (
    ACTIVE_RUN_STATUSES,
    STALE_AFTER,
    DetectionRun,
    DetectionStage,
    RunStatus,
)
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.permissions import can_dispose
from polyvox.core.permissions import require
from polyvox.participants.models import User
from polyvox.processes.models import Process

logger = logging.getLogger(__name__)

PROGRESS_EVERY_S = 2.0  # the run's row is written at most this often (and at each new stage)
# Each stage's share of the whole run, in percent: roughly the wall time of each at 100,000
# imported submissions on SQLite (5 s reading, 42 s grouping, 96 s additions, 48 s saving, on a
# busy machine).
STAGE_SPANS: dict[str, tuple[int, int]] = {
    DetectionStage.READING: (0, 5),
    DetectionStage.GROUPING: (5, 25),
    DetectionStage.ADDITIONS: (25, 75),
    DetectionStage.SAVING: (75, 100),
}


def overall_percent(stage: str, done: int, total: int) -> int:
    """The whole run's percentage from the stage and how far into it the work is."""
    low, high = STAGE_SPANS.get(stage, (0, 0))
    share = min(done / total, 1.0) if total > 0 else 0.0
    return int(low + (high - low) * share)


def _expire_stalled(process: Process, now: datetime) -> None:
    DetectionRun.objects.filter(
        process=process, status__in=ACTIVE_RUN_STATUSES, updated_at__lt=now - STALE_AFTER
    ).update(
        status=RunStatus.FAILED,
        finished_at=now,
        error=_("The worker stopped before this run finished."),
    )


def queue_run(*, actor: User, process: Process) -> tuple[DetectionRun, bool]:
    """The process's queued or running run, or a new queued one (True when new).

    A request while a run is running asks it to run once more when it ends, since it may have
    read the submissions before the newest arrived; a queued run will read them anyway.
    """
    for _attempt in range(3):
        now = timezone.now()
        _expire_stalled(process, now)
        active = DetectionRun.objects.filter(
            process=process, status__in=ACTIVE_RUN_STATUSES
        ).first()
        if active is not None:
            if active.status == RunStatus.QUEUED:
                return active, False
            if DetectionRun.objects.filter(pk=active.pk, status=RunStatus.RUNNING).update(
                rerun_requested=True
            ):
                active.rerun_requested = True
                return active, False
            continue  # it finished just now: queue a new one
        try:
            with transaction.atomic():
                run = DetectionRun.objects.create(
                    process=process, requested_by=actor, created_at=now, updated_at=now
                )
        except IntegrityError:
            continue  # another request queued one at the same moment: join it
        return run, True
    raise RuntimeError("could not queue a campaign detection run")


def request_detection(*, actor: User, process: Process) -> DetectionRun:
    """Queue campaign detection in the worker (django-tasks), after the commit; a request while
    one is queued or running joins it. Returns the run the page can show."""
    require(can_dispose(actor, process), _("Only those who answer inputs may detect campaigns."))
    run, created = queue_run(actor=actor, process=process)
    if created:
        _enqueue_after_commit(run)
    return run


def _enqueue_after_commit(run: DetectionRun) -> None:
    from polyvox.campaigns.tasks import detect_campaigns_task

    process_id, actor_id, run_id = run.process_id, run.requested_by_id, run.pk
    transaction.on_commit(lambda: detect_campaigns_task.enqueue(process_id, actor_id, run_id))


class ProgressWriter:
    """Stores a run's progress on its row: at each new stage, else at most every `every` s."""

    def __init__(
        self,
        run_id: int,
        *,
        every: float = PROGRESS_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.every = every
        self.clock = clock
        self.stage = ""
        self.last = -float("inf")
        self.writes = 0
        self.totals: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.totals[stage] = total
        now = self.clock()
        if stage == self.stage and now - self.last < self.every:
            return
        self.stage, self.last = stage, now
        self.writes += 1
        DetectionRun.objects.filter(pk=self.run_id).update(
            stage=stage,
            done=done,
            total=total,
            percent=overall_percent(stage, done, total),
            updated_at=timezone.now(),
        )


def _message(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or type(error).__name__


def execute_run(run_id: int) -> int:
    """Run a queued detection run (the worker's side); returns the number of campaigns found.

    A run that is no longer queued (run already, or given up as stalled) is left alone. A failure
    is kept on the run, with its message for the secretariat, and raised again for the task log.
    """
    now = timezone.now()
    claimed = DetectionRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, updated_at=now, stage=DetectionStage.READING
    )
    if not claimed:
        return 0
    run = DetectionRun.objects.select_related("process", "requested_by").get(pk=run_id)
    progress = ProgressWriter(run_id)
    try:
        campaigns = detect_campaigns(actor=run.requested_by, process=run.process, progress=progress)
    except Exception as error:
        logger.exception("Campaign detection run %s failed.", run_id)
        DetectionRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), updated_at=timezone.now(),
            error=_message(error),
        )  # fmt: skip
        _rerun_if_asked(run_id)
        raise
    finished = timezone.now()
    DetectionRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE, finished_at=finished, updated_at=finished, percent=100,
        submissions_considered=progress.totals.get(DetectionStage.READING, 0),
        campaigns_found=len(campaigns),
    )  # fmt: skip
    _rerun_if_asked(run_id)
    return len(campaigns)


def _rerun_if_asked(run_id: int) -> None:
    run = DetectionRun.objects.select_related("process", "requested_by").get(pk=run_id)
    if run.rerun_requested:
        again, created = queue_run(actor=run.requested_by, process=run.process)
        if created:
            _enqueue_after_commit(again)
