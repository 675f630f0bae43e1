"""Who may commit, report on, contest and answer commitments: decided here, on the server.

Follow-up outlives the process: once a process is closed, commitments still take updates,
contestations and answers, and new commitments may still be made by those who took part.
"""

from django.db.models import Q

from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.core.permissions import Actor, is_signed_in
from polyvox.organisations.models import RepresentativeStatus
from polyvox.organisations.permissions import can_speak_for
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.processes.permissions import can_take_part, is_secretariat


def takes_part(actor: Actor | None, process: Process) -> bool:
    """Participants and the secretariat of `process`."""
    return can_take_part(actor, process) or is_secretariat(actor, process)


def can_commit(actor: Actor | None, process: Process) -> bool:
    """Anyone taking part commits, for themselves or an organisation they represent."""
    return takes_part(actor, process)


def speaks_for(actor: Actor | None, commitment: Commitment) -> bool:
    """Its owner, or (for an organisation's commitment) any approved representative of it."""
    if not is_signed_in(actor):
        return False
    if commitment.owner_id == actor.pk:
        return True
    organisation = commitment.organisation
    return organisation is not None and can_speak_for(actor, organisation)


def can_post_update(actor: Actor | None, commitment: Commitment) -> bool:
    """Dated updates (the only way the status moves) come from the commitment's side."""
    return speaks_for(actor, commitment)


def can_contest(actor: Actor | None, update: CommitmentUpdate) -> bool:
    """Anyone taking part in the process contests an update, except the commitment's own side."""
    commitment = update.commitment
    return takes_part(actor, commitment.process) and not speaks_for(actor, commitment)


def can_answer(actor: Actor | None, contestation: Contestation) -> bool:
    """The commitment's side answers a contestation, once."""
    return not contestation.answer and speaks_for(actor, contestation.update.commitment)


def people_speaking_for(commitment: Commitment) -> list[User]:
    """The owner and the approved representatives of its organisation: whom reminders and
    contestations reach."""
    who = Q(pk=commitment.owner_id)
    if commitment.organisation_id is not None:
        who |= Q(
            representations__organisation_id=commitment.organisation_id,
            representations__status=RepresentativeStatus.APPROVED,
        )
    return list(User.objects.filter(who, is_active=True).distinct().order_by("pk"))
