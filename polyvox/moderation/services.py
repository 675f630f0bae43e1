"""Moderation with due process: policy, flags, actions on a ladder, appeals.

Every write checks permission first, validates with field errors, writes atomically, appends a
record entry with public data only (kinds, reason codes, tracking numbers — never hidden content
or names) and notifies the people concerned, with the reason and how to appeal.
"""

from datetime import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.moderation import (
    HIDING_CODES,
    approve_contribution,
    clean_reason_code,
    hide_contribution,
    restore_contribution,
    withhold_contribution,
)
from polyvox.core.moderation import ReasonCode
from polyvox.core.permissions import Actor, is_signed_in, require
from polyvox.core.text import normalize_whitespace, refuse_invisible_only, refuse_unstorable
from polyvox.moderation.models import (
    LADDER,
    ActionKind,
    Appeal,
    AppealStatus,
    Flag,
    FlagStatus,
    ModerationAction,
)
from polyvox.moderation.permissions import can_moderate, flag_refusal
from polyvox.moderation.selectors import next_ladder_step
from polyvox.notifications.services import notify
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.services import append_entry
from polyvox.statements.hiding import hide_statement, restore_statement
from polyvox.statements.models import Statement

MAX_TEXT = 5000
# What a participant may flag for; "submitted in my name" has its own report.
FLAG_CODES = HIDING_CODES - {ReasonCode.IMPERSONATION}
APPEALABLE = frozenset(
    {ActionKind.HIDE, ActionKind.PRIVATE_WARNING, ActionKind.PUBLIC_WARNING, ActionKind.RESTRICTION}
)


def _text(value: str, field: str, message: str) -> str:
    refuse_unstorable(value or "", field)
    refuse_invisible_only((value or "").strip(), field)
    text = normalize_whitespace(value or "")
    if not text:
        raise ValidationError({field: message})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {field: _("Keep it under %(limit)d characters.") % {"limit": MAX_TEXT}}
        )
    return text


def _item_payload(contribution: Contribution | None, statement: Statement | None) -> dict[str, Any]:
    if contribution is not None:
        return {"tracking_number": contribution.tracking_number}
    return {"statement_id": statement.pk if statement is not None else None}


def _one_item(
    process: Process, contribution: Contribution | None, statement: Statement | None
) -> None:
    if (contribution is None) == (statement is None):
        raise ValidationError(_("Name one input or one statement."))
    item = contribution if contribution is not None else statement
    if item is not None and item.process_id != process.pk:
        raise ValidationError(_("This item belongs to another process."))


# --- flags -------------------------------------------------------------------------------------


def _open_flag(
    *,
    flagger: Actor,
    process: Process,
    contribution: Contribution | None,
    statement: Statement | None,
    reason_code: str,
    text: str,
) -> Flag:
    try:
        with transaction.atomic():
            return Flag.objects.create(
                process=process,
                contribution=contribution,
                statement=statement,
                flagger_id=cast(int, flagger.pk),
                reason_code=reason_code,
                text=text,
            )
    except IntegrityError as duplicate:
        raise ValidationError(
            _("You have already flagged this; a moderator will look at your flag.")
        ) from duplicate


@transaction.atomic
def flag_item(
    *,
    flagger: Actor,
    contribution: Contribution | None = None,
    statement: Statement | None = None,
    reason_code: str,
    text: str,
) -> Flag:
    """A participant reports that an input, reply or statement breaks the policy.

    One open flag per person per item; the reason must be one of the policy's codes, so
    "I disagree" cannot be one."""
    item = contribution if contribution is not None else statement
    if item is None:
        raise ValidationError(_("Name one input or one statement."))
    process = item.process
    refusal = flag_refusal(flagger, process)
    require(not refusal, refusal)
    _one_item(process, contribution, statement)
    code = clean_reason_code(reason_code, allowed=FLAG_CODES)
    body = _text(text, "text", _("Say what is wrong, in a sentence or two."))
    return _open_flag(
        flagger=flagger,
        process=process,
        contribution=contribution,
        statement=statement,
        reason_code=code,
        text=body,
    )


@transaction.atomic
def report_impersonation(*, reporter: Actor, contribution: Contribution, text: str) -> Flag:
    """ "Submitted in my name": the input is withheld from public view at once, pending review; it
    stays in the record and in the secretariat's view. A moderator restores or hides it."""
    require(is_signed_in(reporter), _("Log in to report an input submitted in your name."))
    if getattr(reporter, "email_verified_at", None) is None:
        raise ValidationError(_("Confirm your e-mail address before reporting."))
    body = _text(text, "text", _("Say how this input uses your name."))
    flag = _open_flag(
        flagger=reporter,
        process=contribution.process,
        contribution=contribution,
        statement=None,
        reason_code=ReasonCode.IMPERSONATION,
        text=body,
    )
    withhold_contribution(contribution=contribution, reason_code=ReasonCode.IMPERSONATION)
    return flag


# --- actions -----------------------------------------------------------------------------------


def _check_ladder(
    process: Process, author_id: int | None, action: str, skipped_step_reason: str
) -> str:
    """A step above the next one on the ladder needs a stated reason."""
    if action not in LADDER:
        return ""
    expected = next_ladder_step(process, author_id)
    reason = normalize_whitespace(skipped_step_reason or "")
    if LADDER.index(action) > LADDER.index(expected) and not reason:
        raise ValidationError(
            {
                "skipped_step_reason": _(
                    "The next step for this author is “%(expected)s”: say why you skip it."
                )
                % {"expected": ActionKind(expected).label}
            }
        )
    return reason


def _apply_to_item(
    *,
    moderator: Actor,
    action: str,
    contribution: Contribution | None,
    statement: Statement | None,
    reason_code: str,
    text: str,
) -> None:
    if action == ActionKind.HIDE:
        if contribution is not None:
            hide_contribution(
                actor=moderator,
                contribution=contribution,
                reason_code=reason_code,
                reason=text,
                notify_author=False,
            )
        elif statement is not None:
            hide_statement(
                actor=moderator, statement=statement, reason_code=reason_code, reason=text
            )
    elif action == ActionKind.RESTORE:
        if contribution is not None:
            restore_contribution(actor=moderator, contribution=contribution, reason=text)
        elif statement is not None:
            restore_statement(actor=moderator, statement=statement, reason=text)
    elif action == ActionKind.APPROVE and contribution is not None:
        if contribution.hidden_reason_code == ReasonCode.AWAITING_REVIEW:
            approve_contribution(actor=moderator, contribution=contribution)
        elif contribution.hidden_at is not None:
            raise ValidationError(
                {"action": _("This input is hidden: restore it rather than approve it.")}
            )


@transaction.atomic
def take_action(
    *,
    moderator: Actor,
    action: str,
    contribution: Contribution | None = None,
    statement: Statement | None = None,
    reason_code: str = "",
    text: str = "",
    skipped_step_reason: str = "",
    restricted_until: datetime | None = None,
) -> ModerationAction:
    """Hide, warn (privately or publicly), restrict, restore or approve, with a reason code.

    Warnings and restrictions form a ladder per author per process; skipping a step needs a
    stated reason. The item's open flags are resolved by the action; the author is notified
    with the reason and how to appeal; the record gets the kind and reason code only."""
    item = contribution if contribution is not None else statement
    if item is None:
        raise ValidationError(_("Name one input or one statement."))
    process = item.process
    require(can_moderate(moderator, process), _("Only moderators and the secretariat moderate."))
    _one_item(process, contribution, statement)
    if action not in ActionKind.values:
        raise ValidationError({"action": _("Choose an action.")})
    needs_code = action not in (ActionKind.RESTORE, ActionKind.APPROVE)
    code = clean_reason_code(reason_code) if needs_code else ""
    if action in (ActionKind.APPROVE,):
        body = normalize_whitespace(text or "")
    else:
        body = _text(text, "text", _("Explain the decision to the author."))
    author_id = item.author_id
    if action in LADDER and author_id is None:
        raise ValidationError({"action": _("This item has no author to warn or restrict.")})
    skipped = _check_ladder(process, author_id, action, skipped_step_reason)
    until = None
    if action == ActionKind.RESTRICTION:
        if restricted_until is None or restricted_until <= timezone.now():
            raise ValidationError({"restricted_until": _("Give a date in the future.")})
        until = restricted_until
    _apply_to_item(
        moderator=moderator,
        action=action,
        contribution=contribution,
        statement=statement,
        reason_code=code,
        text=body,
    )
    done = ModerationAction.objects.create(
        process=process,
        contribution=contribution,
        statement=statement,
        author_id=author_id,
        moderator_id=moderator.pk,
        action=action,
        reason_code=code,
        text=body,
        skipped_step_reason=skipped,
        restricted_until=until,
    )
    on_item: dict[str, Any] = (
        {"contribution": contribution} if contribution else {"statement": statement}
    )
    Flag.objects.filter(status=FlagStatus.OPEN, **on_item).update(
        status=FlagStatus.RESOLVED, resolved_at=timezone.now(), resolved_by=done
    )
    payload: dict[str, Any] = {
        "action_id": done.pk,
        "action": action,
        **_item_payload(contribution, statement),
    }
    if code:
        payload["reason_code"] = code
    if until is not None:
        payload["restricted_until"] = until.isoformat()
    append_entry(process=process, kind="moderation.action", payload=payload)
    _tell_author(done)
    return done


def _item_label(action: ModerationAction) -> str:
    if action.contribution is not None:
        return action.contribution.tracking_number
    return _("statement #%(id)s") % {"id": action.statement_id}


def _item_url(action: ModerationAction) -> str:
    if action.contribution is not None:
        return action.contribution.get_absolute_url()
    return reverse("statements:list", kwargs={"slug": action.process.slug})


def _tell_author(action: ModerationAction) -> None:
    author = action.author
    if author is None:
        return
    label = _item_label(action)
    lines = [
        _("Action: %(action)s, on %(item)s.")
        % {"action": action.get_action_display(), "item": label}
    ]
    if action.reason_code:
        lines.append(_("Reason: %(code)s.") % {"code": ReasonCode(action.reason_code).label})
    if action.text:
        lines.append(action.text)
    if action.restricted_until is not None:
        lines.append(
            _("Until %(until)s UTC you cannot contribute, vote or flag in this process.")
            % {"until": action.restricted_until.strftime("%Y-%m-%d %H:%M")}
        )
    url = _item_url(action)
    if action.action in APPEALABLE:
        url = reverse(
            "moderation:appeal", kwargs={"slug": action.process.slug, "action_id": action.pk}
        )
        lines.append(
            _(
                "You can appeal this decision once, at the address below; a different moderator "
                "will decide."
            )
        )
    notify(
        recipients=[author],
        subject=_("Moderation: %(action)s on %(item)s")
        % {"action": action.get_action_display(), "item": label},
        body="\n\n".join(lines),
        url=url,
    )


# --- appeals -----------------------------------------------------------------------------------


@transaction.atomic
def appeal_action(*, appellant: Actor, action: ModerationAction, text: str) -> Appeal:
    """The author appeals an action once."""
    require(
        is_signed_in(appellant) and action.author_id == appellant.pk,
        _("Only the author concerned can appeal this action."),
    )
    if action.action not in APPEALABLE:
        raise ValidationError(_("This action cannot be appealed."))
    body = _text(text, "text", _("Say why the decision should be reversed."))
    if Appeal.objects.filter(action=action).exists():
        raise ValidationError(
            _("This action has already been appealed; an action is appealed once.")
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                action=action, appellant_id=cast(int, appellant.pk), text=body
            )
    except IntegrityError as duplicate:
        raise ValidationError(
            _("This action has already been appealed; an action is appealed once.")
        ) from duplicate
    append_entry(
        process=action.process, kind="moderation.appealed", payload={"action_id": action.pk}
    )
    return appeal


@transaction.atomic
def decide_appeal(*, actor: Actor, appeal: Appeal, reverse_action: bool, text: str) -> Appeal:
    """A moderator other than the one who acted upholds or reverses; a reversed hide restores
    the item, a reversed restriction lifts it. The author and the acting moderator are told."""
    action = appeal.action
    process = action.process
    require(can_moderate(actor, process), _("Only moderators and the secretariat decide appeals."))
    require(
        actor.pk != action.moderator_id and actor.pk != appeal.appellant_id,
        _("An appeal is decided by a different moderator from the one who acted."),
    )
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError(_("This appeal has already been decided."))
    body = _text(text, "decision_text", _("Give the reasons for the decision."))
    now = timezone.now()
    appeal.status = AppealStatus.REVERSED if reverse_action else AppealStatus.UPHELD
    appeal.decided_by_id, appeal.decision_text, appeal.decided_at = actor.pk, body, now
    appeal.save(update_fields=["status", "decided_by", "decision_text", "decided_at"])
    if reverse_action:
        action.reversed_at = now
        action.save(update_fields=["reversed_at"])
        if action.action == ActionKind.HIDE:
            item_hidden = (
                action.contribution.hidden_at
                if action.contribution is not None
                else action.statement.hidden_at
                if action.statement is not None
                else None
            )
            if item_hidden is not None:
                _apply_to_item(
                    moderator=actor,
                    action=ActionKind.RESTORE,
                    contribution=action.contribution,
                    statement=action.statement,
                    reason_code="",
                    text=body,
                )
    append_entry(
        process=process,
        kind="moderation.appeal_decided",
        payload={"action_id": action.pk, "outcome": appeal.status},
    )
    people: list[User] = [u for u in (appeal.appellant, action.moderator) if u is not None]
    notify(
        recipients=people,
        subject=_("Appeal decided: %(outcome)s") % {"outcome": appeal.get_status_display()},
        body=_("The appeal against “%(action)s” on %(item)s was decided: %(outcome)s.\n\n%(text)s")
        % {
            "action": action.get_action_display(),
            "item": _item_label(action),
            "outcome": appeal.get_status_display(),
            "text": body,
        },
        url=_item_url(action),
    )
    return appeal
