"""Background work: campaign detection runs off the request, after an import (django-tasks)."""

from django_tasks import task

from polyvox.participants.models import User
from polyvox.processes.models import Process


@task()
def detect_campaigns_task(process_id: int, actor_id: int, run_id: int | None = None) -> int:
    """Run detection run `run_id`, as its requester; returns how many campaigns were found.

    Without a run (an import queues this after its commit), it queues one first, or leaves the
    work to the run already queued or running for the process (which then runs once more).
    """
    from polyvox.campaigns.services.detection_runs import execute_run, queue_run

    if run_id is None:
        process = Process.objects.get(pk=process_id)
        actor = User.objects.get(pk=actor_id)
        run, created = queue_run(actor=actor, process=process)
        if not created:
            return 0
        run_id = run.pk
    return execute_run(run_id)
