"""Statement services: propose, moderate, vote, promote, refresh — success, refusal, bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.record.models import RecordEntry
from polyvox.statements.models import (
    ModerationMode,
    OpinionMapSnapshot,
    Statement,
    StatementSettings,
    StatementStatus,
    Vote,
    VoteRevision,
)
from polyvox.statements.services import (
    cast_vote,
    moderate_statement,
    promote_contribution,
    propose_statement,
    refresh_opinion_map,
    set_statement_moderation,
)
from tests.factories import vote_all


def kinds(process):
    return list(RecordEntry.objects.filter(process=process).values_list("kind", flat=True))


def test_a_participant_proposes_a_statement_that_is_votable_at_once_under_permissive_moderation(
    process, deliberation, participant
):
    statement = propose_statement(
        author=participant, process=process, text="  Data should   stay local.  "
    )

    assert (statement.text, statement.status, statement.is_seed) == (
        "Data should stay local.",
        StatementStatus.ACCEPTED,
        False,
    )
    assert kinds(process) == ["statement.proposed", "statement.accepted"]


def test_under_strict_moderation_a_participants_statement_waits_and_its_text_is_not_published(
    process, deliberation, participant
):
    StatementSettings.objects.create(process=process, moderation=ModerationMode.STRICT)

    statement = propose_statement(
        author=participant, process=process, text="Fees should be capped."
    )

    assert statement.status == StatementStatus.PENDING
    entry = RecordEntry.objects.get(process=process)
    assert (entry.kind, entry.payload) == (
        "statement.proposed",
        {"statement_id": statement.pk, "is_seed": False, "status": "pending"},
    )


def test_the_secretariat_seeds_statements_even_when_no_phase_is_open(process, secretariat):
    StatementSettings.objects.create(process=process, moderation=ModerationMode.STRICT)

    statement = propose_statement(author=secretariat, process=process, text="Seed claim.")

    assert (statement.is_seed, statement.status) == (True, StatementStatus.ACCEPTED)


def test_a_participant_cannot_propose_outside_a_deliberation_phase(
    process, open_phase, participant
):
    with pytest.raises(PermissionDenied, match="does not accept this"):
        propose_statement(author=participant, process=process, text="Too early.")

    assert Statement.objects.count() == 0
    assert kinds(process) == []


def test_a_participant_cannot_propose_after_the_deadline(process, participant):
    from tests.factories import PhaseFactory

    now = timezone.now()
    PhaseFactory(
        process=process,
        kind="deliberation",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),
    )

    with pytest.raises(PermissionDenied, match="deadline"):
        propose_statement(author=participant, process=process, text="Too late.")

    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Write the statement"),
        ("x" * 281, "under 280 characters"),
        ("Fees are high. They should be capped.", "One claim per statement"),
        ("data should stay LOCAL", "already been proposed"),
    ],
)
def test_an_invalid_statement_is_rejected_and_nothing_changes(
    process, deliberation, participant, make_statement, text, message
):
    make_statement("Data should stay local.")
    before = kinds(process)

    with pytest.raises(ValidationError, match=message) as error:
        propose_statement(author=participant, process=process, text=text)

    assert list(error.value.message_dict) == ["text"]
    assert Statement.objects.count() == 1
    assert kinds(process) == before


def test_the_secretariat_accepts_and_rejects_pending_statements_with_a_published_reason(
    process, secretariat, make_statement
):
    kept = make_statement("Kept.", status=StatementStatus.PENDING)
    dropped = make_statement("Dropped.", status=StatementStatus.PENDING)

    moderate_statement(actor=secretariat, statement=kept, accept=True, reason="")
    moderate_statement(actor=secretariat, statement=dropped, accept=False, reason="Off topic")

    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.status, dropped.status) == (StatementStatus.ACCEPTED, StatementStatus.REJECTED)
    assert RecordEntry.objects.get(kind="statement.rejected").payload == {
        "statement_id": dropped.pk,
        "reason": "Off topic",
    }


def test_a_participant_cannot_moderate(process, participant, make_statement):
    statement = make_statement("Pending.", status=StatementStatus.PENDING)

    with pytest.raises(PermissionDenied):
        moderate_statement(actor=participant, statement=statement, accept=True, reason="")

    statement.refresh_from_db()
    assert statement.status == StatementStatus.PENDING


def test_a_rejection_without_a_reason_is_refused_and_nothing_changes(
    process, secretariat, make_statement
):
    statement = make_statement("Pending.", status=StatementStatus.PENDING)

    with pytest.raises(ValidationError, match="reason"):
        moderate_statement(actor=secretariat, statement=statement, accept=False, reason=" ")

    statement.refresh_from_db()
    assert statement.status == StatementStatus.PENDING
    assert kinds(process) == []


def test_changing_a_vote_keeps_the_earlier_value_and_records_nothing_public(
    process, deliberation, participant, make_statement
):
    statement = make_statement("Claim.")

    cast_vote(participant=participant, statement=statement, value=1)
    vote = cast_vote(participant=participant, statement=statement, value=-1)

    assert vote.value == -1
    assert list(VoteRevision.objects.values_list("value", flat=True)) == [1]
    assert Vote.objects.count() == 1
    assert kinds(process) == []


def test_a_vote_outside_a_voting_phase_is_refused(process, open_phase, participant, make_statement):
    statement = make_statement("Claim.")

    with pytest.raises(PermissionDenied):
        cast_vote(participant=participant, statement=statement, value=1)

    assert Vote.objects.count() == 0


@pytest.mark.parametrize(("status", "value"), [(StatementStatus.PENDING, 1), ("accepted", 2)])
def test_a_vote_on_a_pending_statement_or_with_a_bad_value_is_refused(
    process, deliberation, participant, make_statement, status, value
):
    statement = make_statement("Claim.", status=status)

    with pytest.raises(ValidationError):
        cast_vote(participant=participant, statement=statement, value=value)

    assert Vote.objects.count() == 0


def test_votes_refresh_the_opinion_map_in_the_background_after_commit(
    process, deliberation, participant, make_statement, django_capture_on_commit_callbacks
):
    statement = make_statement("Claim.")

    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(participant=participant, statement=statement, value=1)

    snapshot = OpinionMapSnapshot.objects.get()
    assert (snapshot.n_votes, snapshot.participants_in_map) == (1, 1)
    assert kinds(process) == ["opinion_map.published"]


def test_a_published_map_records_its_provenance_and_a_digest_of_the_result(
    process, make_statement, make_voters
):
    statements = [make_statement(f"Claim {i}.") for i in range(8)]
    vote_all(make_voters(10, "a"), statements, [1, 1, 1, 1, -1, -1, -1, 1])
    vote_all(make_voters(10, "b"), statements, [-1, -1, -1, -1, 1, 1, 1, 1])

    snapshot = refresh_opinion_map(process=process, seed=3)

    entry = RecordEntry.objects.get(kind="opinion_map.published")
    assert entry.payload == {
        "snapshot_id": snapshot.pk,
        "participants_in_map": 20,
        "n_votes": 160,
        "seed": 3,
        "code_version": "0.1.0",
        "result_sha256": snapshot.result_sha256,
    }
    assert len(snapshot.result_sha256) == 64
    assert sorted(g["size"] for g in snapshot.result["groups"]) == [10, 10]


def test_the_secretariat_promotes_a_contribution_to_a_linked_statement(
    process, secretariat, participant
):
    contribution = Contribution.objects.create(
        process=process,
        kind="general",
        author=participant,
        author_name="Amina",
        stakeholder_group="civil_society",
        body="Long thread insight.",
        tracking_number="PV-1",
    )

    statement = promote_contribution(actor=secretariat, contribution=contribution, text="Insight.")

    assert (statement.source_contribution, statement.status) == (
        contribution,
        StatementStatus.ACCEPTED,
    )
    assert (
        RecordEntry.objects.get(kind="statement.accepted").payload["source_contribution"] == "PV-1"
    )


def test_a_participant_cannot_promote_a_contribution(process, participant):
    contribution = Contribution.objects.create(
        process=process,
        kind="general",
        author=participant,
        author_name="Amina",
        stakeholder_group="civil_society",
        body="Insight.",
        tracking_number="PV-2",
    )

    with pytest.raises(PermissionDenied):
        promote_contribution(actor=participant, contribution=contribution, text="Insight.")

    assert Statement.objects.count() == 0


def test_the_secretariat_switches_to_strict_moderation_and_the_choice_is_published(
    process, secretariat
):
    set_statement_moderation(actor=secretariat, process=process, mode="strict")

    assert StatementSettings.objects.get(process=process).moderation == "strict"
    assert RecordEntry.objects.get().payload == {"moderation": "strict"}


def test_a_participant_cannot_change_moderation_and_a_bad_mode_is_rejected(
    process, secretariat, participant
):
    with pytest.raises(PermissionDenied):
        set_statement_moderation(actor=participant, process=process, mode="strict")
    with pytest.raises(ValidationError, match="strict or permissive"):
        set_statement_moderation(actor=secretariat, process=process, mode="lax")

    assert StatementSettings.objects.count() == 0
    assert kinds(process) == []
