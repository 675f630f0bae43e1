"""Background work for drafts: publish a scheduled version when its time comes (django-tasks)."""

from django.utils import timezone
from django_tasks import task


@task()
def publish_scheduled_version_task(version_id: int) -> bool:
    """Publish the version if it is still scheduled and due; True if this run published it.

    Queued with `run_after` by `schedule_version`; a backend that cannot defer (the immediate
    one in tests) runs it at once, and then it does nothing until the time has come."""
    from polyvox.drafts.services import publish_if_due

    return publish_if_due(version_id=version_id, now=timezone.now()) is not None
