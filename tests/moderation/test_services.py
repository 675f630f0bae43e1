"""Moderation services: flags, the ladder, appeals, pre-moderation, impersonation, the record."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.core.moderation import ReasonCode
from polyvox.moderation.models import ActionKind, Flag, FlagStatus, ModerationAction
from polyvox.moderation.policies import publish_policy, set_moderation_mode
from polyvox.moderation.services import (
    appeal_action,
    decide_appeal,
    flag_item,
    report_impersonation,
    take_action,
)
from polyvox.notifications.models import Notification
from polyvox.processes.models import ModerationMode
from polyvox.record.models import RecordEntry
from polyvox.statements.selectors import next_statement_for
from tests.factories import make_statement, submit_comment

pytestmark = pytest.mark.django_db


def test_disagreement_is_not_a_reason_to_flag(open_phase, participant, flagger, section):
    comment = submit_comment(participant, section)

    with pytest.raises(ValidationError) as refused:
        flag_item(flagger=flagger, contribution=comment, reason_code="disagreement", text="Wrong.")

    assert "Disagreeing with a view is never a reason" in str(refused.value)
    assert Flag.objects.count() == 0


def test_one_open_flag_per_person_per_item(open_phase, participant, flagger, section):
    comment = submit_comment(participant, section)
    flag_item(flagger=flagger, contribution=comment, reason_code="spam", text="An advert.")

    with pytest.raises(ValidationError):
        flag_item(flagger=flagger, contribution=comment, reason_code="hate", text="Again.")

    assert Flag.objects.filter(contribution=comment).count() == 1


def test_hiding_resolves_flags_records_the_code_only_and_tells_the_author(
    open_phase, participant, flagger, moderator, section
):
    comment = submit_comment(participant, section, body="SECRET-BODY")
    flag_item(flagger=flagger, contribution=comment, reason_code="spam", text="An advert.")

    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.HIDE,
        reason_code="spam",
        text="Advertising a product.",
    )

    comment.refresh_from_db()
    entry = RecordEntry.objects.get(kind="moderation.action")
    assert (comment.hidden_reason_code, Flag.objects.get().status) == ("spam", FlagStatus.RESOLVED)
    assert entry.payload == {
        "action_id": ModerationAction.objects.get().pk,
        "action": "hide",
        "tracking_number": comment.tracking_number,
        "reason_code": "spam",
    }
    assert "SECRET-BODY" not in str(list(RecordEntry.objects.values_list("payload", flat=True))[1:])
    notice = Notification.objects.get(recipient=participant, subject__startswith="Moderation")
    assert "Spam or advertising" in notice.body
    assert "appeal" in notice.body
    assert "/appeal/" in notice.url


def test_skipping_a_step_of_the_ladder_needs_a_stated_reason(
    open_phase, participant, moderator, section
):
    comment = submit_comment(participant, section)

    with pytest.raises(ValidationError) as refused:
        take_action(
            moderator=moderator,
            contribution=comment,
            action=ActionKind.PUBLIC_WARNING,
            reason_code="personal_attack",
            text="Attacks another participant.",
        )
    assert "skipped_step_reason" in refused.value.message_dict
    assert ModerationAction.objects.count() == 0

    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.PUBLIC_WARNING,
        reason_code="personal_attack",
        text="Attacks another participant.",
        skipped_step_reason="Threats of violence.",
    )
    assert ModerationAction.objects.get().skipped_step_reason == "Threats of violence."


def test_the_ladder_goes_one_step_at_a_time_without_a_reason(
    open_phase, participant, moderator, section
):
    comment = submit_comment(participant, section)
    for step in (ActionKind.PRIVATE_WARNING, ActionKind.PUBLIC_WARNING):
        take_action(
            moderator=moderator,
            contribution=comment,
            action=step,
            reason_code="personal_attack",
            text="Please keep to the issues.",
        )

    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.RESTRICTION,
        reason_code="personal_attack",
        text="Repeated attacks.",
        restricted_until=timezone.now() + timedelta(days=7),
    )

    assert list(
        ModerationAction.objects.order_by("created_at", "id").values_list("action", flat=True)
    ) == ["private_warning", "public_warning", "restriction"]


def test_a_restricted_author_cannot_contribute_vote_or_flag(
    open_phase, participant, moderator, other_participant, section
):
    comment = submit_comment(participant, section)
    other = submit_comment(other_participant, section)
    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.RESTRICTION,
        reason_code="hate",
        text="Incitement.",
        skipped_step_reason="Incitement to violence: no warning first.",
        restricted_until=timezone.now() + timedelta(days=7),
    )

    with pytest.raises(PermissionDenied, match="restricted"):
        submit_comment(participant, section)
    with pytest.raises(PermissionDenied, match="restricted"):
        flag_item(flagger=participant, contribution=other, reason_code="spam", text="Spam.")
    assert Contribution.objects.filter(author=participant).count() == 1


def test_only_moderators_act(open_phase, participant, other_participant, section):
    comment = submit_comment(participant, section)

    with pytest.raises(PermissionDenied):
        take_action(
            moderator=other_participant,
            contribution=comment,
            action=ActionKind.HIDE,
            reason_code="spam",
            text="No.",
        )

    comment.refresh_from_db()
    assert comment.hidden_at is None


def _hidden(participant, moderator, section):
    comment = submit_comment(participant, section)
    action = take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.HIDE,
        reason_code="off_topic",
        text="Not about the draft.",
    )
    return comment, action


def test_an_appeal_is_decided_by_a_different_moderator_and_reversal_restores(
    open_phase, participant, moderator, second_moderator, section
):
    comment, action = _hidden(participant, moderator, section)
    appeal = appeal_action(appellant=participant, action=action, text="It is about § scope.")

    with pytest.raises(PermissionDenied):
        decide_appeal(actor=moderator, appeal=appeal, reverse_action=True, text="I was wrong.")
    decide_appeal(actor=second_moderator, appeal=appeal, reverse_action=True, text="On topic.")

    comment.refresh_from_db()
    action.refresh_from_db()
    assert (comment.hidden_at, action.reversed_at is not None) == (None, True)
    told = set(
        Notification.objects.filter(subject__startswith="Appeal decided").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {participant.username, moderator.username}


def test_an_action_is_appealed_once_and_only_by_its_author(
    open_phase, participant, other_participant, moderator, section
):
    _comment, action = _hidden(participant, moderator, section)

    with pytest.raises(PermissionDenied):
        appeal_action(appellant=other_participant, action=action, text="Not mine but unfair.")
    appeal_action(appellant=participant, action=action, text="Unfair.")
    with pytest.raises(ValidationError, match="appealed once"):
        appeal_action(appellant=participant, action=action, text="Unfair, again.")


def test_an_upheld_appeal_leaves_the_item_hidden(
    open_phase, participant, moderator, second_moderator, section
):
    comment, action = _hidden(participant, moderator, section)
    appeal = appeal_action(appellant=participant, action=action, text="Unfair.")

    decide_appeal(actor=second_moderator, appeal=appeal, reverse_action=False, text="Off topic.")

    comment.refresh_from_db()
    assert (comment.hidden_reason_code, appeal.status) == ("off_topic", "upheld")


def test_pre_moderation_withholds_new_inputs_until_approved(
    open_phase, process, participant, secretariat, moderator, section
):
    set_moderation_mode(actor=secretariat, process=process, mode=ModerationMode.PRE)
    comment = submit_comment(participant, section)
    assert (comment.hidden_reason_code, Contribution.objects.public().count()) == (
        "awaiting_review",
        0,
    )

    take_action(moderator=moderator, contribution=comment, action=ActionKind.APPROVE)

    comment.refresh_from_db()
    assert (comment.hidden_at, Contribution.objects.public().count()) == (None, 1)
    assert RecordEntry.objects.filter(kind="moderation.mode_set").get().payload == {"mode": "pre"}


def test_only_the_secretariat_sets_the_moderation_mode(process, moderator):
    with pytest.raises(PermissionDenied):
        set_moderation_mode(actor=moderator, process=process, mode=ModerationMode.PRE)
    process.refresh_from_db()
    assert process.moderation_mode == ModerationMode.POST


def test_submitted_in_my_name_withholds_at_once_and_keeps_the_record(
    open_phase, participant, flagger, moderator, section
):
    comment = submit_comment(participant, section)

    report_impersonation(reporter=flagger, contribution=comment, text="I never wrote this.")

    comment.refresh_from_db()
    assert comment.hidden_reason_code == ReasonCode.IMPERSONATION
    assert RecordEntry.objects.filter(kind="contribution.submitted").count() == 1
    take_action(
        moderator=moderator, contribution=comment, action=ActionKind.RESTORE, text="Verified."
    )
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_a_hidden_statement_leaves_the_vote_deck_and_comes_back_on_restore(
    process, participant, moderator
):
    statement = make_statement(process, "Tax the bots.", author=participant)

    take_action(
        moderator=moderator,
        statement=statement,
        action=ActionKind.HIDE,
        reason_code="spam",
        text="Advert.",
    )
    assert next_statement_for(participant=moderator, process=process) is None

    take_action(moderator=moderator, statement=statement, action=ActionKind.RESTORE, text="Ok.")
    assert next_statement_for(participant=moderator, process=process) == statement


def test_publishing_the_policy_keeps_versions(process, secretariat, moderator):
    publish_policy(actor=secretariat, process=process, text="# Rules\n\nBe kind.")
    second = publish_policy(actor=secretariat, process=process, text="# Rules\n\nBe kinder.")

    assert second.version == 2
    with pytest.raises(PermissionDenied):
        publish_policy(actor=moderator, process=process, text="Mine.")
