"""Background work: opinion maps are recomputed off the request after votes change."""

from django_tasks import task

from polyvox.statements.services import execute_map_refresh, queue_map_refresh


@task()
def refresh_opinion_map_task(process_id: int, run_id: int | None = None) -> int | None:
    """Run refresh run `run_id`: recompute and publish the map unless one newer than the last
    vote exists already. Returns the new snapshot's id, or None when nothing needed recomputing.

    Many votes share one queued run (`queue_map_refresh`), so a burst makes one computation.
    Without a run (`polyvox import_polis`, or a task queued before runs existed) it queues one
    first, or leaves the work to the run already queued or running.
    """
    if run_id is None:
        run = queue_map_refresh(process_id=process_id)
        if run is None:
            return None
        run_id = run.pk
    return execute_map_refresh(run_id)
