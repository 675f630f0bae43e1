"""Reads for voting: progress ("3 of 12"), and vote counts only once the viewer has voted.

As in Pol.is, a participant does not see how others voted on a statement before casting their
own vote, so the first answer is their own and not the crowd's (issue 13). While votes are taken,
a statement's counts are shown only to those who have voted on it; once voting is over, to all.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.processes.models import Process
from polyvox.processes.permissions import action_window
from polyvox.processes.phase_types import Action
from polyvox.statements.models import Statement, Vote


@dataclass(frozen=True)
class VoteProgress:
    voted: int  # statements open for votes that the participant has voted on
    total: int  # statements open for votes (accepted, not hidden)

    @property
    def remaining(self) -> int:
        return max(self.total - self.voted, 0)


@dataclass(frozen=True)
class Tally:
    """A statement's votes so far, the viewer's own included."""

    statement: Statement
    agree: int
    disagree: int
    passed: int
    mine: int  # the viewer's vote: 1, -1 or 0

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passed

    def percent(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def agree_percent(self) -> int:
        return self.percent(self.agree)

    @property
    def disagree_percent(self) -> int:
        return self.percent(self.disagree)

    @property
    def pass_percent(self) -> int:
        return self.percent(self.passed)


def vote_progress(*, participant: Actor | None, process: Process) -> VoteProgress:
    """How far the participant is through the statements open for votes (two counts)."""
    votable = Statement.objects.filter(process=process, hidden_at__isnull=True).accepted()
    total = votable.count()
    if not is_signed_in(participant):
        return VoteProgress(0, total)
    voted = Vote.objects.filter(
        participant_id=participant.pk, statement__in=votable.values("pk")
    ).count()
    return VoteProgress(voted, total)


def votes_are_taken(process: Process, now: datetime) -> bool:
    """Whether a phase that takes votes is open (counts stay hidden from those who have not
    voted while it is)."""
    return action_window(process, Action.VOTE, now).allowed


def tally_once_voted(
    *, participant: Actor | None, process: Process, statement_id: int
) -> Tally | None:
    """The counts of a statement the participant has voted on; None otherwise (not signed in,
    not voted on it, or no such statement in this process): counts follow one's own vote."""
    if not is_signed_in(participant):
        return None
    mine = (
        Vote.objects.filter(
            participant_id=participant.pk,
            statement_id=statement_id,
            statement__process=process,
        )
        .select_related("statement")
        .first()
    )
    if mine is None:
        return None
    counts = Vote.objects.filter(statement_id=statement_id).aggregate(
        agree=Count("pk", filter=Q(value=1)),
        disagree=Count("pk", filter=Q(value=-1)),
        passed=Count("pk", filter=Q(value=0)),
    )
    return Tally(
        statement=mine.statement,
        agree=counts["agree"],
        disagree=counts["disagree"],
        passed=counts["passed"],
        mine=mine.value,
    )
