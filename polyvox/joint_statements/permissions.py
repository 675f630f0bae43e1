"""Who may draft, open, sign, withdraw from and answer joint statements: decided here, on the server.

Sign-on windows are checked in UTC against `sign_on_deadline`; a closed process takes no more
writes of any kind.
"""

from datetime import datetime

from django.utils import timezone

from polyvox.core.permissions import Actor, is_signed_in
from polyvox.joint_statements.models import JointStatement, Signature, StatementStatus
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import can_speak_for, represented_by
from polyvox.processes.models import Process
from polyvox.processes.permissions import can_take_part, is_secretariat


def process_is_open(process: Process) -> bool:
    return process.closed_at is None


def takes_part(actor: Actor | None, process: Process) -> bool:
    """Participants and the secretariat of `process` (whether or not it is still open)."""
    return can_take_part(actor, process) or is_secretariat(actor, process)


def can_write_statements(actor: Actor | None, process: Process) -> bool:
    """Draft a joint statement or publish a linked one: anyone taking part, while it is open."""
    return process_is_open(process) and takes_part(actor, process)


def can_edit_draft(actor: Actor | None, statement: JointStatement) -> bool:
    """Its author edits a draft until it is opened for sign-on, while the process is open."""
    return (
        is_signed_in(actor)
        and statement.author_id == actor.pk
        and statement.status == StatementStatus.DRAFT
        and process_is_open(statement.process)
    )


def can_open_for_sign_on(actor: Actor | None, statement: JointStatement) -> bool:
    """Its author or the process's secretariat opens a draft for sign-on (freezing its text)."""
    if statement.status != StatementStatus.DRAFT or not process_is_open(statement.process):
        return False
    if is_signed_in(actor) and statement.author_id == actor.pk:
        return True
    return is_secretariat(actor, statement.process)


def sign_on_is_open(statement: JointStatement, now: datetime) -> bool:
    """Published with a deadline that has not passed, in a process that is not closed."""
    return (
        statement.status == StatementStatus.PUBLISHED
        and statement.sign_on_deadline is not None
        and now < statement.sign_on_deadline
        and process_is_open(statement.process)
    )


def can_sign_for_oneself(actor: Actor | None, statement: JointStatement) -> bool:
    """Anyone taking part in the process may sign in their own name."""
    return takes_part(actor, statement.process)


def signing_choices(
    actor: Actor | None, statement: JointStatement, now: datetime | None = None
) -> list[Organisation | None]:
    """What `actor` may still sign as: None (myself) first, then organisations they represent.

    Each choice is left out once it has an active signature; empty when sign-on is closed.
    `now` defaults to the current time."""
    if not is_signed_in(actor) or not sign_on_is_open(statement, now or timezone.now()):
        return []
    active = Signature.objects.filter(statement=statement, withdrawn_at__isnull=True)
    choices: list[Organisation | None] = []
    if (
        can_sign_for_oneself(actor, statement)
        and not active.filter(signer_id=actor.pk, organisation__isnull=True).exists()
    ):
        choices.append(None)
    signed = set(
        active.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    if takes_part(actor, statement.process):
        choices.extend(o for o in represented_by(actor) if o.pk not in signed)
    return choices


def can_withdraw(actor: Actor | None, signature: Signature, now: datetime) -> bool:
    """The signer, or an approved representative of the signing organisation, before the
    deadline, while the signature stands."""
    if not is_signed_in(actor) or signature.withdrawn_at is not None:
        return False
    if not sign_on_is_open(signature.statement, now):
        return False
    return is_withdrawer(actor, signature)


def is_withdrawer(actor: Actor | None, signature: Signature) -> bool:
    """Whether `actor` speaks for the signature at all (ignoring the deadline)."""
    if not is_signed_in(actor):
        return False
    if signature.signer_id == actor.pk:
        return True
    return signature.organisation is not None and can_speak_for(actor, signature.organisation)
