"""Background work: phase openings and closings reach the record at their time (django-tasks)."""

from django.utils import timezone
from django_tasks import task

from polyvox.processes.models import Process
from polyvox.processes.services.scheduling import record_due_phase_events


@task()
def record_phase_events_task(process_id: int) -> int:
    """Record the process's phase openings and closings that are due now; how many were recorded.

    Queued for each phase's start and end; idempotent, so a run before its time (a backend that
    cannot defer) or after a reschedule records only what is really due."""
    process = Process.objects.filter(pk=process_id).first()
    if process is None:
        return 0
    return len(record_due_phase_events(process=process, now=timezone.now()))
