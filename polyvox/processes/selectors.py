"""Reads about processes and phases; time is always passed in."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from polyvox.core.permissions import Actor, require
from polyvox.participants.models import StatementOfInterest, User
from polyvox.participants.selectors import statement_of_interest_history
from polyvox.processes.models import Process
from polyvox.processes.participation import participant_sources
from polyvox.processes.permissions import can_see_participant_interests


def processes_for(*, viewer: Actor | None) -> QuerySet[Process]:
    """Every process is public to read; participation rules apply to writing."""
    return Process.objects.order_by("-created_at")


def access_process(*, viewer: Actor | None, slug: str) -> Process:
    process = processes_for(viewer=viewer).filter(slug=slug).first()
    if process is None:
        raise Http404(_("No such process."))
    return process


def process_participants(process: Process) -> QuerySet[User]:
    """Everyone taking part: members (secretariat, invitees) and what the apps above register
    (contributors, voters; see `processes.participation`)."""
    taking_part = Q(memberships__process=process)
    for source in participant_sources():
        taking_part |= Q(pk__in=source(process))
    return User.objects.filter(taking_part, is_active=True).distinct().order_by("pk")


def participant_interests(
    *, viewer: Actor | None, process: Process, user: User
) -> QuerySet[StatementOfInterest]:
    """A participant's statement-of-interest revisions, newest first: for the person themself and
    this process's secretariat only (403 for anyone else)."""
    require(
        can_see_participant_interests(viewer, user, process),
        _("Only the participant and the secretariat of the process may see this statement."),
    )
    return statement_of_interest_history(user)
