"""Follow a commitment up in public: dated updates with evidence (the only way its status moves),
contestations of an update by participants, and the owner's one answer to each."""

from collections.abc import Sequence
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.commitments.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contestation,
)
from polyvox.commitments.permissions import (
    can_answer,
    can_contest,
    can_post_update,
    people_speaking_for,
    speaks_for,
    takes_part,
)
from polyvox.commitments.services.rules import (
    MAX_REASON_CHARS,
    MAX_TEXT_CHARS,
    clean_evidence,
    clean_optional_text,
    clean_text,
    contestation_payload,
    display_name,
    moment,
    take_part_refusal,
    update_payload,
)
from polyvox.core.permissions import require
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.record.services import append_entry


@transaction.atomic
def post_update(
    *,
    actor: User,
    commitment: Commitment,
    status: str,
    text: str,
    evidence: Sequence[str] = (),
    reason: str = "",
    now: datetime | None = None,
) -> CommitmentUpdate:
    """A dated report by the owner (or a representative of its organisation): what happened,
    the status it is now in, evidence links. Dropping needs a reason. Still open after the
    process closes."""
    now = moment(now)
    require(
        can_post_update(actor, commitment),
        _(
            "Only whoever made this commitment, or a representative of its organisation, can "
            "post updates on it."
        ),
    )
    if status not in CommitmentStatus.values:
        raise ValidationError(
            {
                "status": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in CommitmentStatus.labels)}
            }
        )
    body = clean_text(
        text, "text", required=_("Say what happened since the last update."), limit=MAX_TEXT_CHARS
    )
    links = clean_evidence(evidence)
    why = clean_optional_text(reason, "reason", limit=MAX_REASON_CHARS)
    if status == CommitmentStatus.DROPPED and not why:
        raise ValidationError({"reason": _("Say why the commitment is dropped.")})
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    update = CommitmentUpdate.objects.create(
        commitment=locked,
        author=actor,
        author_name=display_name(actor),
        status=status,
        text=body,
        evidence=links,
        reason=why,
        created_at=now,
    )
    commitment.status = status
    Commitment.objects.filter(pk=commitment.pk).update(status=status, updated_at=now)
    update.commitment = commitment
    append_entry(
        process=commitment.process, kind="commitment.updated", payload=update_payload(update)
    )
    return update


@transaction.atomic
def contest_update(
    *, actor: User, update: CommitmentUpdate, reason: str, now: datetime | None = None
) -> Contestation:
    """Anyone taking part (not the commitment's own side) contests an update, with a reason,
    once each. The owner and its organisation's representatives are told."""
    now = moment(now)
    commitment = update.commitment
    require(takes_part(actor, commitment.process), take_part_refusal(actor, commitment.process))
    require(
        can_contest(actor, update),
        _("You cannot contest an update on your own commitment: post another update instead."),
    )
    why = clean_text(
        reason,
        "reason",
        required=_("Say why you contest this update."),
        limit=MAX_REASON_CHARS,
    )
    if Contestation.objects.filter(update=update, author_id=actor.pk).exists():
        raise ValidationError({"reason": _("You have already contested this update.")})
    contestation = Contestation.objects.create(
        update=update,
        author=actor,
        author_name=display_name(actor),
        reason=why,
        created_at=now,
    )
    append_entry(
        process=commitment.process,
        kind="commitment.contested",
        payload=contestation_payload(contestation),
    )
    notify(
        recipients=people_speaking_for(commitment),
        subject=_("An update on “%(title)s” is contested") % {"title": commitment.title},
        body=_("%(who)s contests your update of %(date)s: %(reason)s")
        % {
            "who": contestation.author_name,
            "date": update.created_at.strftime("%Y-%m-%d"),
            "reason": why,
        },
        url=commitment.get_absolute_url(),
    )
    return contestation


@transaction.atomic
def answer_contestation(
    *, actor: User, contestation: Contestation, answer: str, now: datetime | None = None
) -> Contestation:
    """The commitment's side answers a contestation, once; its author is told."""
    now = moment(now)
    commitment = contestation.update.commitment
    require(
        speaks_for(actor, commitment),
        _(
            "Only whoever made this commitment, or a representative of its organisation, can "
            "answer a contestation."
        ),
    )
    text = clean_text(answer, "answer", required=_("Write your answer."), limit=MAX_REASON_CHARS)
    locked = Contestation.objects.select_for_update().get(pk=contestation.pk)
    if not can_answer(actor, locked):
        raise ValidationError({"answer": _("This contestation has already been answered.")})
    contestation.answer = text
    contestation.answered_by = actor
    contestation.answered_at = now
    contestation.save(update_fields=["answer", "answered_by", "answered_at"])
    payload = contestation_payload(contestation)
    payload["answer"] = text
    payload["answered_at"] = now.astimezone(UTC).isoformat()
    append_entry(process=commitment.process, kind="commitment.answered", payload=payload)
    notify(
        recipients=[contestation.author],
        subject=_("Your contestation of “%(title)s” was answered") % {"title": commitment.title},
        body=text,
        url=commitment.get_absolute_url(),
    )
    return contestation
