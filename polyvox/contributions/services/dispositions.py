"""Answering inputs: the one writer of dispositions, for a single input and for a whole campaign."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution, Disposition, DispositionRevision, Outcome
from polyvox.contributions.permissions import can_dispose
from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace, refuse_unstorable
from polyvox.drafts.models import Section
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry

BATCH = 1000


def _check_changed_sections(contribution: Contribution, sections: list[Section]) -> None:
    """Linked changes must be in a later version of the draft the contribution was about."""
    base = contribution.draft_version
    for section in sections:
        version = section.version
        if version.published_at is None:
            ok = False  # a pending version is not public: nothing can point to it yet
        elif base is not None:
            ok = version.draft_id == base.draft_id and version.number > base.number
        else:
            ok = (
                version.draft.process_id == contribution.process_id
                and version.published_at is not None
                and version.published_at >= contribution.created_at
            )
        if not ok:
            raise ValidationError(
                {
                    "changed_sections": _(
                        "Linked changes must be sections of a later version of the same draft "
                        "(%(section)s is not)."
                    )
                    % {"section": section}
                }
            )


def _clean_answer(
    process: Process,
    inputs: QuerySet[Contribution],
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None,
) -> str:
    """The published reason; refuses an unknown outcome, a missing reason or a bad duplicate."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an answer.")})
    text = normalize_whitespace(reason or "")
    refuse_unstorable(text, "reason")
    if not text and outcome != Outcome.INCORPORATED:
        raise ValidationError(
            {"reason": _("Give a reason: only fully incorporated inputs may go without one.")}
        )
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": _("Say which contribution this duplicates.")})
        if duplicate_of.process_id != process.pk or inputs.filter(pk=duplicate_of.pk).exists():
            raise ValidationError(
                {
                    "duplicate_of": _(
                        "A duplicate must point to another contribution in this process."
                    )
                }
            )
    elif duplicate_of is not None:
        raise ValidationError({"duplicate_of": _("Only duplicates point to another contribution.")})
    return text


def check_answer(
    process: Process,
    inputs: QuerySet[Contribution],
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None,
    sections: list[Section],
) -> str:
    """Every rule an answer to `inputs` must meet, without writing it; returns the cleaned reason.

    Publishing checks it, and so does a proposed answer, so an approved proposal cannot fail."""
    text = _clean_answer(process, inputs, outcome, reason, duplicate_of)
    if sections:
        for contribution in inputs.select_related("draft_version"):
            _check_changed_sections(contribution, sections)
    return text


@transaction.atomic
def answer_inputs(
    *,
    actor: User,
    process: Process,
    inputs: QuerySet[Contribution],
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None = None,
    changed_sections: Iterable[Section] = (),
) -> str:
    """Give every input of `inputs` (all of `process`) one answer; returns the published reason.

    The one writer of dispositions: an input answered before keeps its earlier answer as a
    `DispositionRevision`. Written in bulk, so a campaign of 100,000 members costs a few queries.
    Callers add their own record entry and notifications.
    """
    require(
        can_dispose(actor, process), _("Only the secretariat and rapporteurs answer contributions.")
    )
    members = inputs.filter(process=process).order_by()
    sections = list(changed_sections)
    text = check_answer(process, members, outcome, reason, duplicate_of, sections)
    Process.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    answered = Disposition.objects.filter(contribution__in=members.values("pk")).order_by()
    DispositionRevision.objects.bulk_create(
        (
            DispositionRevision(disposition_id=pk, outcome=o, reason=r, decided_at=at)
            for pk, o, r, at in answered.values_list("pk", "outcome", "reason", "updated_at")
        ),
        batch_size=BATCH,
    )
    links = Disposition.changed_sections.through
    links.objects.filter(disposition__in=answered.values("pk")).delete()
    now = timezone.now()
    answered.update(
        outcome=outcome, reason=text, duplicate_of=duplicate_of, decided_by=actor, updated_at=now
    )
    Disposition.objects.bulk_create(
        (
            Disposition(
                contribution_id=pk, outcome=outcome, reason=text, duplicate_of=duplicate_of,
                decided_by=actor, created_at=now, updated_at=now,
            )
            for pk in members.filter(disposition__isnull=True).values_list("pk", flat=True)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    if sections:
        links.objects.bulk_create(
            links(disposition_id=pk, section_id=section.pk)
            for pk in answered.values_list("pk", flat=True)
            for section in sections
        )
    return text


@transaction.atomic
def record_disposition(
    *,
    actor: User,
    contribution: Contribution,
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None = None,
    changed_sections: Iterable[Section] = (),
) -> Disposition:
    """Publish the secretariat's answer to one input; answering again keeps a revision."""
    sections = list(changed_sections)
    text = answer_inputs(
        actor=actor,
        process=contribution.process,
        inputs=Contribution.objects.filter(pk=contribution.pk),
        outcome=outcome,
        reason=reason,
        duplicate_of=duplicate_of,
        changed_sections=sections,
    )
    disposition = Disposition.objects.get(contribution=contribution)
    announce_answer(disposition, text, duplicate_of, sections)
    return disposition


def announce_answer(
    disposition: Disposition, text: str, duplicate_of: Contribution | None, sections: list[Section]
) -> None:
    """Put a published answer on the record and tell the input's author."""
    contribution = disposition.contribution
    append_entry(
        process=contribution.process,
        kind="disposition.recorded",
        payload={
            "tracking_number": contribution.tracking_number,
            "outcome": disposition.outcome,
            "reason": text,
            "duplicate_of": duplicate_of.tracking_number if duplicate_of else None,
            "changed_sections": [
                {"version": s.version.number, "section": s.anchor} for s in sections
            ],
            "revision": disposition.revisions.count() + 1,
        },
    )
    notify(
        recipients=[contribution.author],
        subject=_("Your contribution %(number)s was answered")
        % {"number": contribution.tracking_number},
        body=_("The secretariat answered: %(outcome)s.\n\n%(reason)s")
        % {"outcome": Outcome(disposition.outcome).label, "reason": text},
        url=contribution.get_absolute_url(),
    )
