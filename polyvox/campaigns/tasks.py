"""Background work: campaign detection runs off the request, after an import (django-tasks)."""

from django_tasks import task

from polyvox.participants.models import User
from polyvox.processes.models import Process


@task()
def detect_campaigns_task(process_id: int, actor_id: int) -> int:
    """Detect campaigns as `actor_id` would; returns how many campaigns were found."""
    from polyvox.campaigns.services.detection import detect_campaigns

    process = Process.objects.get(pk=process_id)
    actor = User.objects.get(pk=actor_id)
    return len(detect_campaigns(actor=actor, process=process))
