"""Background work: opinion maps are recomputed off the request after votes change."""

from django.db.models import Max
from django_tasks import task

from polyvox.processes.models import Process
from polyvox.statements.models import Vote
from polyvox.statements.selectors import latest_snapshot
from polyvox.statements.services import refresh_opinion_map


@task()
def refresh_opinion_map_task(process_id: int) -> int | None:
    """Recompute and publish the map unless one newer than the last vote exists already.

    Many votes enqueue many tasks; the check coalesces them into one computation per burst.
    Returns the new snapshot's id, or None when nothing needed recomputing.
    """
    process = Process.objects.filter(pk=process_id).first()
    if process is None:
        return None
    last_vote = Vote.objects.filter(statement__process=process).aggregate(at=Max("updated_at"))[
        "at"
    ]
    latest = latest_snapshot(process)
    if latest is not None and last_vote is not None and latest.computed_at >= last_vote:
        return None
    return refresh_opinion_map(process=process).pk
