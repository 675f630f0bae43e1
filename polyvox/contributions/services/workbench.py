"""The workbench's writes: assignments, internal notes, proposed answers and their review, and
one answer for a selection of inputs.

Assignments, notes and proposals are internal: none of them goes on the record or to a public
page. Only an answer that is published (directly, or when a reviewer approves it) does, and
always through the one disposition writer, `dispositions.answer_inputs`.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import (
    Assignment,
    Contribution,
    Disposition,
    InternalNote,
    Outcome,
    ProposedAnswer,
)
from polyvox.contributions.permissions import can_dispose, can_review_answers, can_see_workbench
from polyvox.contributions.services.dispositions import (
    announce_answer,
    answer_inputs,
    check_answer,
    record_disposition,
)
from polyvox.core.permissions import require
from polyvox.core.text import normalize_whitespace, refuse_unstorable
from polyvox.drafts.models import Section
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process
from polyvox.processes.roles import Capability, roles_with

MAX_SELECTION = 500  # one bulk action; the page offers at most 50 at a time
MAX_NOTE = 5000


def _one_process(contributions: QuerySet[Contribution]) -> tuple[Process, list[int]]:
    """The process of a non-empty selection of inputs, which must all belong to it."""
    rows = list(contributions.order_by().values_list("pk", "process_id")[: MAX_SELECTION + 1])
    if not rows:
        raise ValidationError({"inputs": _("Select at least one input.")})
    if len(rows) > MAX_SELECTION:
        raise ValidationError(
            {"inputs": _("Select at most %(count)d inputs at once.") % {"count": MAX_SELECTION}}
        )
    processes = {process_id for _pk, process_id in rows}
    if len(processes) != 1:
        raise ValidationError({"inputs": _("The selected inputs must belong to one process.")})
    return Process.objects.get(pk=processes.pop()), [pk for pk, _process in rows]


def _workbench_url(process: Process) -> str:
    return reverse("contributions:workbench", kwargs={"slug": process.slug})


@transaction.atomic
def assign(*, actor: User, contributions: QuerySet[Contribution], assignee: User) -> int:
    """Put the inputs in `assignee`'s queue (replacing an earlier assignee); returns the count."""
    process, ids = _one_process(contributions)
    require(can_see_workbench(actor, process), _("Only workbench members assign inputs."))
    if not can_see_workbench(assignee, process):
        raise ValidationError(
            {"assignee": _("Inputs can only be assigned to members of the workbench.")}
        )
    now = timezone.now()
    Assignment.objects.filter(contribution_id__in=ids).update(
        assignee=assignee, assigned_by=actor, assigned_at=now
    )
    taken = set(Assignment.objects.filter(contribution_id__in=ids).values_list(
        "contribution_id", flat=True
    ))  # fmt: skip
    Assignment.objects.bulk_create(
        Assignment(contribution_id=pk, assignee=assignee, assigned_by=actor)
        for pk in ids
        if pk not in taken
    )
    if assignee.pk != actor.pk:
        notify(
            recipients=[assignee],
            subject=_("%(count)d inputs were assigned to you") % {"count": len(ids)},
            body=_("%(name)s put them in your queue on the workbench of %(process)s.")
            % {"name": actor.get_username(), "process": process.title},
            url=_workbench_url(process) + "?assignee=mine",
        )
    return len(ids)


@transaction.atomic
def unassign(*, actor: User, contributions: QuerySet[Contribution]) -> int:
    """Take the inputs out of anyone's queue; returns how many were assigned."""
    process, ids = _one_process(contributions)
    require(can_see_workbench(actor, process), _("Only workbench members assign inputs."))
    removed, _by_model = Assignment.objects.filter(contribution_id__in=ids).delete()
    return removed


def add_internal_note(*, actor: User, contribution: Contribution, body: str) -> InternalNote:
    """A note for the other workbench members; never published, never on the record."""
    require(
        can_see_workbench(actor, contribution.process),
        _("Only workbench members write internal notes."),
    )
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write the note.")})
    if len(text) > MAX_NOTE:
        raise ValidationError(
            {"body": _("Keep the note under %(count)d characters.") % {"count": MAX_NOTE}}
        )
    return InternalNote.objects.create(contribution=contribution, author=actor, body=text)


def _reviewers(process: Process, besides: User) -> QuerySet[User]:
    members = Membership.objects.filter(
        process=process, role__in=roles_with(Capability.REVIEW_ANSWERS)
    ).values("user_id")
    return User.objects.filter(pk__in=members).exclude(pk=besides.pk)


def _check_proposal(
    contributions: QuerySet[Contribution],
    process: Process,
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None,
    sections: list[Section],
) -> str:
    text = check_answer(process, contributions, outcome, reason, duplicate_of, sections)
    if ProposedAnswer.objects.filter(
        contribution__in=contributions, state=ProposedAnswer.State.PENDING
    ).exists():
        raise ValidationError({"outcome": _("An answer to this input is already awaiting review.")})
    return text


@transaction.atomic
def propose_answer(
    *,
    actor: User,
    contribution: Contribution,
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None = None,
    changed_sections: Iterable[Section] = (),
) -> ProposedAnswer:
    """A draft answer for a second member to review; internal until it is approved."""
    process = contribution.process
    require(
        can_dispose(actor, process), _("Only the secretariat and rapporteurs answer contributions.")
    )
    sections = list(changed_sections)
    only = Contribution.objects.filter(pk=contribution.pk)
    text = _check_proposal(only, process, outcome, reason, duplicate_of, sections)
    proposed = ProposedAnswer.objects.create(
        contribution=contribution,
        outcome=outcome,
        reason=text,
        duplicate_of=duplicate_of,
        proposed_by=actor,
    )
    proposed.changed_sections.set(sections)
    _ask_for_review(process, actor, 1)
    return proposed


def _ask_for_review(process: Process, actor: User, count: int) -> None:
    notify(
        recipients=_reviewers(process, actor),
        subject=_("%(count)d proposed answers await your review") % {"count": count},
        body=_("%(name)s proposed answers on the workbench of %(process)s.")
        % {"name": actor.get_username(), "process": process.title},
        url=reverse("contributions:workbench_review", kwargs={"slug": process.slug}),
    )


@transaction.atomic
def review_answer(
    *, actor: User, proposed: ProposedAnswer, approve: bool, note: str = ""
) -> ProposedAnswer:
    """A second member approves (publishing the answer) or returns it with a note."""
    process = proposed.contribution.process
    require(can_review_answers(actor, process), _("Only reviewers review proposed answers."))
    require(
        proposed.proposed_by_id != actor.pk,
        _("A second member reviews an answer, not the one who proposed it."),
    )
    locked = ProposedAnswer.objects.select_for_update().get(pk=proposed.pk)
    if locked.state != ProposedAnswer.State.PENDING:
        raise ValidationError({"state": _("This answer was already reviewed.")})
    text = normalize_whitespace(note or "")
    refuse_unstorable(text, "note")
    if not approve and not text:
        raise ValidationError({"note": _("Say what should change before it is published.")})
    if approve:
        # Published in the proposer's name: they wrote it; the reviewer is kept here.
        record_disposition(
            actor=proposed.proposed_by,
            contribution=proposed.contribution,
            outcome=proposed.outcome,
            reason=proposed.reason,
            duplicate_of=proposed.duplicate_of,
            changed_sections=list(proposed.changed_sections.select_related("version__draft")),
        )
    proposed.state = ProposedAnswer.State.APPROVED if approve else ProposedAnswer.State.RETURNED
    proposed.reviewed_by = actor
    proposed.reviewed_at = timezone.now()
    proposed.review_note = text
    proposed.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    if not approve:
        notify(
            recipients=[proposed.proposed_by],
            subject=_("Your proposed answer to %(number)s was returned")
            % {"number": proposed.contribution.tracking_number},
            body=text,
            url=reverse(
                "contributions:answer",
                kwargs={
                    "slug": process.slug,
                    "tracking_number": proposed.contribution.tracking_number,
                },
            ),
        )
    return proposed


def needs_review(actor: User, process: Process) -> bool:
    """Whether `actor`'s answers wait for a second member instead of being published."""
    return process.answers_need_review and not can_review_answers(actor, process)


@transaction.atomic
def answer_input(
    *,
    actor: User,
    contribution: Contribution,
    outcome: str,
    reason: str,
    duplicate_of: Contribution | None = None,
    changed_sections: Iterable[Section] = (),
) -> Disposition | ProposedAnswer:
    """The answer page's write: published at once, or proposed where answers need review."""
    write = propose_answer if needs_review(actor, contribution.process) else record_disposition
    return write(
        actor=actor,
        contribution=contribution,
        outcome=outcome,
        reason=reason,
        duplicate_of=duplicate_of,
        changed_sections=changed_sections,
    )


@transaction.atomic
def answer_selection(
    *,
    actor: User,
    contributions: QuerySet[Contribution],
    outcome: str,
    reason: str,
    changed_sections: Iterable[Section] = (),
) -> int:
    """One answer for every selected input (bulk, through `answer_inputs`); returns the count.

    Where answers need review and `actor` is no reviewer, each input gets a proposed answer
    instead. Published answers go on the record one entry per input, as `record_disposition`
    writes them, so a verifier reads every answer the same way.
    """
    process, ids = _one_process(contributions)
    require(
        can_dispose(actor, process), _("Only the secretariat and rapporteurs answer contributions.")
    )
    if outcome == Outcome.DUPLICATE:
        raise ValidationError(
            {"outcome": _("Answer duplicates one by one: each names the input it repeats.")}
        )
    sections = list(changed_sections)
    selected = Contribution.objects.filter(pk__in=ids)
    if needs_review(actor, process):
        text = _check_proposal(selected, process, outcome, reason, None, sections)
        proposals = ProposedAnswer.objects.bulk_create(
            ProposedAnswer(contribution_id=pk, outcome=outcome, reason=text, proposed_by=actor)
            for pk in ids
        )
        links = ProposedAnswer.changed_sections.through
        links.objects.bulk_create(
            links(proposedanswer_id=p.pk, section_id=s.pk) for p in proposals for s in sections
        )
        _ask_for_review(process, actor, len(ids))
        return len(ids)
    text = answer_inputs(
        actor=actor,
        process=process,
        inputs=selected,
        outcome=outcome,
        reason=reason,
        changed_sections=sections,
    )
    answered = Disposition.objects.filter(contribution_id__in=ids).select_related(
        "contribution__author", "contribution__process"
    )
    for disposition in answered.order_by("contribution_id"):
        announce_answer(disposition, text, None, sections)
    return len(ids)
