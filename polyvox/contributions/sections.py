"""What contributions adds to the pages of apps below it, registered in `ready()`."""

from django.db.models import QuerySet

from polyvox.contributions.models import Contribution
from polyvox.processes.models import Process
from polyvox.processes.participation import register_participant_source


def contributors(process: Process) -> QuerySet[Contribution]:
    """Ids of everyone who contributed to `process`: they take part in it."""
    return Contribution.objects.filter(process=process).values("author_id")


def register() -> None:
    register_participant_source("contributors", contributors)
