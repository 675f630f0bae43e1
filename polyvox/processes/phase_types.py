"""Registry of phase kinds and the actions each allows (adhocracy4/Decidim idea, plain dataclasses)."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    COMMENT = "comment", _("comment on a section")
    GENERAL_COMMENT = "general_comment", _("post a general comment")
    OMISSION = "omission", _("point out what is missing")
    SUBMISSION = "submission", _("send a submission")
    REPLY = "reply", _("reply")
    PROPOSE_STATEMENT = "propose_statement", _("propose a statement")
    VOTE = "vote", _("vote on statements")
    POSITION = "position", _("record a position on a recommendation")


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    CALL_FOR_INPUTS = "call_for_inputs", _("Call for inputs")
    PRINCIPLES = "principles", _("Principles")
    DRAFT_COMMENT = "draft_comment", _("Draft comment")
    DELIBERATION = "deliberation", _("Deliberation")
    DECISION = "decision", _("Decision")
    IMPLEMENTATION = "implementation", _("Implementation")


@dataclass(frozen=True)
class PhaseType:
    kind: PhaseKind
    description: str | Promise
    allowed_actions: frozenset[Action]


_INPUTS = frozenset({Action.GENERAL_COMMENT, Action.OMISSION, Action.SUBMISSION, Action.REPLY})
_DRAFTING = _INPUTS | {Action.COMMENT}

PHASE_TYPES: dict[str, PhaseType] = {
    t.kind.value: t
    for t in [
        PhaseType(
            PhaseKind.INFORMATION,
            _("The secretariat explains the process; no inputs yet."),
            frozenset(),
        ),
        PhaseType(
            PhaseKind.CALL_FOR_INPUTS, _("Anyone eligible sends inputs and submissions."), _INPUTS
        ),
        PhaseType(
            PhaseKind.PRINCIPLES, _("Comment on draft principles, section by section."), _DRAFTING
        ),
        PhaseType(
            PhaseKind.DRAFT_COMMENT, _("Comment on the draft, section by section."), _DRAFTING
        ),
        PhaseType(
            PhaseKind.DELIBERATION,
            _("Discuss and vote on short statements."),
            frozenset(
                {Action.REPLY, Action.GENERAL_COMMENT, Action.PROPOSE_STATEMENT, Action.VOTE}
            ),
        ),
        PhaseType(
            PhaseKind.DECISION,
            _("The decision is prepared and taken: positions on recommendations."),
            frozenset({Action.REPLY, Action.POSITION}),
        ),
        PhaseType(
            PhaseKind.IMPLEMENTATION, _("Commitments are followed up."), frozenset({Action.REPLY})
        ),
    ]
}


def phase_type(kind: str) -> PhaseType:
    return PHASE_TYPES[kind]
