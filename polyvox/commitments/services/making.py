"""Make a commitment: who (a participant, or an organisation they represent) will do what by when,
linked to recommendations of the process and optionally to a declared decision."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.commitments.models import Commitment
from polyvox.commitments.permissions import can_commit
from polyvox.commitments.services.rules import (
    MAX_RECOMMENDATIONS,
    MAX_TEXT_CHARS,
    REMINDER_DAYS,
    clean_due_on,
    clean_optional_text,
    clean_title,
    commitment_payload,
    display_name,
    moment,
    take_part_refusal,
    utc_date,
)
from polyvox.core.permissions import require
from polyvox.organisations.models import Organisation
from polyvox.organisations.permissions import can_speak_for
from polyvox.outcomes.models import Decision, Recommendation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry


def _check_links(
    process: Process, recommendations: Sequence[Recommendation], decision: Decision | None
) -> list[Recommendation]:
    """The recommendations to link (the decision's own included), all of this process."""
    linked = {r.pk: r for r in recommendations}
    if decision is not None:
        if decision.recommendation.process_id != process.pk:
            raise ValidationError({"decision": _("This decision is not one of this process.")})
        linked.setdefault(decision.recommendation_id, decision.recommendation)
    if any(r.process_id != process.pk for r in linked.values()):
        raise ValidationError({"recommendations": _("Link only recommendations of this process.")})
    if len(linked) > MAX_RECOMMENDATIONS:
        raise ValidationError(
            {
                "recommendations": _("Link at most %(limit)d recommendations.")
                % {"limit": MAX_RECOMMENDATIONS}
            }
        )
    return sorted(linked.values(), key=lambda r: r.number)


def reminder_moments(due_on: date) -> tuple[datetime, datetime]:
    """When reminders fall due (UTC midnight): seven days before the due date, and the day after
    it (when the commitment becomes overdue)."""
    due = datetime.combine(due_on, time(0, 0), tzinfo=UTC)
    return due - timedelta(days=REMINDER_DAYS), due + timedelta(days=1)


def _queue_reminders(commitment_id: int, moments: tuple[datetime, ...]) -> None:
    """After commit: queue the reminder task at each moment (a backend that cannot defer runs it
    now; it sends only what is due, once)."""
    from polyvox.commitments.tasks import send_commitment_reminders_task

    if not send_commitment_reminders_task.get_backend().supports_defer:
        send_commitment_reminders_task.enqueue(commitment_id)
        return
    for when in moments:
        send_commitment_reminders_task.using(run_after=when).enqueue(commitment_id)


@transaction.atomic
def make_commitment(
    *,
    actor: User,
    process: Process,
    title: str,
    due_on: date,
    description: str = "",
    organisation: Organisation | None = None,
    recommendations: Sequence[Recommendation] = (),
    decision: Decision | None = None,
    now: datetime | None = None,
) -> Commitment:
    """Commit, for oneself or for an organisation one represents, to `title` by `due_on` (today
    or later, UTC). Status starts as planned; reminders are queued."""
    now = moment(now)
    require(can_commit(actor, process), take_part_refusal(actor, process))
    if organisation is not None:
        require(
            can_speak_for(actor, organisation),
            _("You are not an approved representative of %(organisation)s.")
            % {"organisation": organisation.name},
        )
    heading = clean_title(title)
    details = clean_optional_text(description, "description", limit=MAX_TEXT_CHARS)
    due = clean_due_on(due_on, utc_date(now))
    linked = _check_links(process, recommendations, decision)
    commitment = Commitment.objects.create(
        process=process,
        title=heading,
        description=details,
        owner=actor,
        owner_name=display_name(actor),
        organisation=organisation,
        due_on=due,
        decision=decision,
    )
    commitment.recommendations.set(linked)
    append_entry(process=process, kind="commitment.made", payload=commitment_payload(commitment))
    moments = tuple(m for m in reminder_moments(due) if m > now) or (now,)
    transaction.on_commit(partial(_queue_reminders, commitment.pk, moments))
    return commitment
