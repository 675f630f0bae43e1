"""Who may draft, edit, open, sign as what, and withdraw: the permission functions pages ask."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from polyvox.joint_statements.permissions import (
    can_edit_draft,
    can_open_for_sign_on,
    can_withdraw,
    can_write_statements,
    sign_on_is_open,
    signing_choices,
)
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.processes.models import Membership, Process, Role
from tests.factories import UserFactory, approve_representative, make_organisation
from tests.joint_statements.conftest import close_sign_on

pytestmark = pytest.mark.django_db


def close_process(process: Process) -> None:
    Process.objects.filter(pk=process.pk).update(closed_at=timezone.now())
    process.refresh_from_db()


def test_participants_and_the_secretariat_write_statements_observers_and_visitors_do_not(
    participant, secretariat, process
):
    observer = UserFactory(username="olga")
    Membership.objects.create(process=process, user=observer, role=Role.OBSERVER)

    assert [
        can_write_statements(who, process)
        for who in (participant, secretariat, observer, AnonymousUser(), None)
    ] == [True, True, False, False, False]


def test_no_one_writes_statements_in_a_closed_process(participant, secretariat, process):
    close_process(process)

    assert (
        can_write_statements(participant, process),
        can_write_statements(secretariat, process),
    ) == (
        False,
        False,
    )


def test_only_the_author_edits_a_draft_and_only_while_it_is_a_draft(
    participant, other_participant, secretariat, draft, statement
):
    assert [
        can_edit_draft(who, draft) for who in (participant, other_participant, secretariat)
    ] == [
        True,
        False,
        False,
    ]
    assert can_edit_draft(participant, statement) is False


def test_the_author_or_the_secretariat_opens_a_draft_for_sign_on(
    participant, other_participant, secretariat, draft, statement
):
    assert [
        can_open_for_sign_on(who, draft) for who in (participant, other_participant, secretariat)
    ] == [True, False, True]
    assert can_open_for_sign_on(participant, statement) is False


def test_sign_on_is_open_until_the_deadline_and_while_the_process_is_open(draft, statement):
    now = timezone.now()
    deadline = statement.sign_on_deadline

    assert sign_on_is_open(statement, now) is True
    assert sign_on_is_open(statement, deadline) is False
    assert sign_on_is_open(statement, deadline - timedelta(seconds=1)) is True
    assert sign_on_is_open(draft, now) is False
    close_process(statement.process)
    assert sign_on_is_open(statement, now) is False


def test_signing_choices_are_myself_then_each_organisation_i_represent_not_yet_signed(
    representative, organisation, statement
):
    other = make_organisation("Association for Progressive Communications", slug="apc")
    approve_representative(other, representative)

    assert signing_choices(representative, statement) == [None, other, organisation]

    sign(actor=representative, statement=statement, organisation=organisation)
    assert signing_choices(representative, statement) == [None, other]

    sign(actor=representative, statement=statement)
    assert signing_choices(representative, statement) == [other]


def test_a_signature_withdrawn_frees_its_choice_again(other_participant, statement):
    signature = sign(actor=other_participant, statement=statement)
    assert signing_choices(other_participant, statement) == []

    withdraw_signature(actor=other_participant, signature=signature)

    assert signing_choices(other_participant, statement) == [None]


def test_there_is_nothing_to_sign_as_when_sign_on_is_closed_or_for_visitors(
    representative, organisation, statement, draft
):
    assert signing_choices(AnonymousUser(), statement) == []
    assert signing_choices(representative, draft) == []
    close_sign_on(statement)
    assert signing_choices(representative, statement) == []


def test_the_signer_or_a_representative_withdraws_before_the_deadline(
    representative, organisation, other_participant, participant, statement
):
    signature = sign(actor=representative, statement=statement, organisation=organisation)
    approve_representative(organisation, other_participant)
    now = timezone.now()

    assert [
        can_withdraw(who, signature, now)
        for who in (representative, other_participant, participant)
    ] == [True, True, False]
    assert can_withdraw(representative, signature, statement.sign_on_deadline) is False


def test_a_withdrawn_signature_cannot_be_withdrawn_again(other_participant, statement):
    signature = sign(actor=other_participant, statement=statement)
    withdraw_signature(actor=other_participant, signature=signature)

    assert can_withdraw(other_participant, signature, timezone.now()) is False
