"""Commitment services: who may commit, report, contest and answer; every refusal of the issue's
bad-input list; overdue derived from an injected date; the record."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.commitments.models import Commitment, CommitmentStatus, Contestation
from polyvox.commitments.selectors import commitments_of, process_counts
from polyvox.commitments.services.following import answer_contestation, contest_update
from polyvox.processes.models import Membership, ParticipationPolicy, Role
from polyvox.record.models import RecordEntry
from tests.commitments.conftest import NOW, TODAY, commit, days, report
from tests.factories import ProcessFactory, UserFactory, make_recommendation

pytestmark = pytest.mark.django_db


def kinds(process):
    return list(
        RecordEntry.objects.filter(process=process).order_by("id").values_list("kind", flat=True)
    )


def payloads(process, kind):
    return [
        e.payload for e in RecordEntry.objects.filter(process=process, kind=kind).order_by("id")
    ]


# Making ------------------------------------------------------------------------------------------


def test_a_participant_commits_and_it_goes_on_the_record(participant, process):
    recommendation = make_recommendation(process)

    commitment = commit(participant, process, recommendations=[recommendation])

    assert commitment.status == CommitmentStatus.PLANNED
    assert commitment.owner_name == "Amina"
    assert commitment.due_on == days(30)
    assert list(commitment.recommendations.all()) == [recommendation]
    assert kinds(process) == ["commitment.made"]
    payload = payloads(process, "commitment.made")[0]
    assert payload["title"] == "Translate the guidelines"
    assert "owner" not in payload
    assert "Amina" not in str(payload)
    assert payload["recommendations"] == [1]
    assert "email" not in str(payload)


def test_a_representative_commits_for_the_organisation(representative, organisation, process):
    commitment = commit(representative, process, organisation=organisation)

    assert commitment.organisation == organisation
    assert payloads(process, "commitment.made")[0]["organisation"] == {
        "name": "Rhizomatica",
        "slug": "rhizomatica",
    }


def test_nobody_else_commits_for_an_organisation(participant, organisation, process):
    with pytest.raises(PermissionDenied, match="not an approved representative of Rhizomatica"):
        commit(participant, process, organisation=organisation)


def test_the_secretariat_commits_too(secretariat, process):
    assert commit(secretariat, process).owner == secretariat


def test_an_invitation_only_process_takes_commitments_from_its_members_only(participant):
    process = ProcessFactory(participation_policy=ParticipationPolicy.INVITED)

    with pytest.raises(PermissionDenied, match="invited participants only"):
        commit(participant, process)

    Membership.objects.create(process=process, user=participant, role=Role.PARTICIPANT)
    assert commit(participant, process).process == process


def test_an_observer_does_not_commit(participant, process):
    Membership.objects.create(process=process, user=participant, role=Role.OBSERVER)

    with pytest.raises(PermissionDenied):
        commit(participant, process)


def test_a_due_date_in_the_past_is_refused_but_today_is_fine(participant, process):
    with pytest.raises(ValidationError) as refused:
        commit(participant, process, due=-1)
    assert "has passed" in refused.value.message_dict["due_on"][0]

    assert commit(participant, process, due=0).due_on == TODAY


def test_a_due_date_beyond_fifty_years_is_refused(participant, process):
    with pytest.raises(ValidationError, match="within the next 50 years"):
        commit(participant, process, due=365 * 60)


def test_a_nul_character_is_refused(participant, process):
    with pytest.raises(ValidationError) as refused:
        commit(participant, process, title="Translate\x00")
    assert "NUL" in refused.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as refused:
        commit(participant, process, description="Details\x00")
    assert "NUL" in refused.value.message_dict["description"][0]


def test_a_blank_or_long_title_is_refused(participant, process):
    with pytest.raises(ValidationError, match="Say what you commit to"):
        commit(participant, process, title="   ")
    with pytest.raises(ValidationError, match="under 200"):
        commit(participant, process, title="x" * 201)


def test_recommendations_of_another_process_are_refused(participant, process):
    elsewhere = make_recommendation(ProcessFactory())

    with pytest.raises(ValidationError) as refused:
        commit(participant, process, recommendations=[elsewhere])
    assert "recommendations" in refused.value.message_dict


def test_a_commitment_from_a_decision_links_its_recommendation(participant, process, secretariat):
    from polyvox.outcomes.models import Decision

    recommendation = make_recommendation(process)
    decision = Decision.objects.create(
        recommendation=recommendation,
        rule_set="simple-majority",
        passed=True,
        reason="3 in favour, 1 against",
        declared_by=secretariat,
        declared_at=NOW,
    )

    commitment = commit(participant, process, decision=decision)

    assert commitment.decision == decision
    assert list(commitment.recommendations.all()) == [recommendation]
    assert payloads(process, "commitment.made")[0]["decision"] == 1


# Updates -----------------------------------------------------------------------------------------


def test_the_owner_moves_the_status_with_a_dated_update(participant, commitment):
    update = report(
        participant, commitment, evidence=["https://example.org/report.pdf", "http://example.net/"]
    )

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert update.created_at == NOW + timedelta(days=1)
    assert update.evidence == ["https://example.org/report.pdf", "http://example.net/"]
    payload = payloads(commitment.process, "commitment.updated")[0]
    assert payload["status"] == "in_progress"
    assert payload["evidence"] == update.evidence


def test_any_representative_of_the_organisation_posts_updates(colleague, organisation_commitment):
    report(colleague, organisation_commitment, status="done")

    organisation_commitment.refresh_from_db()
    assert organisation_commitment.status == CommitmentStatus.DONE


def test_someone_else_cannot_post_an_update(other_participant, secretariat, commitment):
    for outsider in (other_participant, secretariat):
        with pytest.raises(PermissionDenied, match="Only whoever made this commitment"):
            report(outsider, commitment)
    assert commitment.updates.count() == 0


def test_a_former_representative_cannot_post_updates(
    colleague, organisation, organisation_commitment
):
    organisation.representatives.filter(user=colleague).update(status="revoked")

    with pytest.raises(PermissionDenied):
        report(colleague, organisation_commitment)


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "example.org/report",
        "https://",
    ],
)
def test_evidence_that_is_not_a_web_address_is_refused(participant, commitment, link):
    with pytest.raises(ValidationError) as refused:
        report(participant, commitment, evidence=[link])
    assert "is not a web address" in refused.value.message_dict["evidence"][0]
    assert commitment.updates.count() == 0


def test_at_most_ten_evidence_links(participant, commitment):
    links = [f"https://example.org/{i}" for i in range(11)]

    with pytest.raises(ValidationError, match="at most 10"):
        report(participant, commitment, evidence=links)
    assert len(report(participant, commitment, evidence=links[:10]).evidence) == 10


def test_dropping_needs_a_reason(participant, commitment):
    with pytest.raises(ValidationError) as refused:
        report(participant, commitment, status="dropped")
    assert refused.value.message_dict == {"reason": ["Say why the commitment is dropped."]}

    update = report(participant, commitment, status="dropped", reason="The funding was cut.")
    assert update.reason == "The funding was cut."


def test_an_unknown_status_a_blank_text_and_nul_are_refused(participant, commitment):
    with pytest.raises(ValidationError) as refused:
        report(participant, commitment, status="finished")
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(participant, commitment, text="  ")
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(participant, commitment, text="Done\x00")
    assert "NUL" in refused.value.message_dict["text"][0]


def test_updates_and_contestations_go_on_after_the_process_closes(
    participant, other_participant, commitment
):
    process = commitment.process
    process.closed_at = NOW
    process.save()

    update = report(participant, commitment, status="done")
    contestation = contest_update(
        actor=other_participant, update=update, reason="Not in Arabic.", now=NOW
    )

    assert contestation.pk is not None


# Overdue -----------------------------------------------------------------------------------------


def test_overdue_is_derived_from_the_date(participant, process):
    commitment = commit(participant, process, due=5)

    assert not commitment.is_overdue(days(5))
    assert commitment.is_overdue(days(6))
    assert [c.overdue for c in commitments_of(process, today=days(5))] == [False]
    assert [c.state for c in commitments_of(process, today=days(6))] == ["overdue"]
    assert list(commitments_of(process, today=days(6), state="overdue")) == [commitment]
    assert list(commitments_of(process, today=days(6), state="planned")) == []

    report(participant, commitment, status="done")
    assert not Commitment.objects.get(pk=commitment.pk).is_overdue(days(6))
    assert [c.state for c in commitments_of(process, today=days(6))] == ["done"]


def test_dropped_is_never_overdue(participant, process):
    commitment = commit(participant, process, due=1)
    report(participant, commitment, status="dropped", reason="Merged into commitment 2.")

    assert [c.state for c in commitments_of(process, today=days(100))] == ["dropped"]


def test_counts_partition_the_commitments(participant, process):
    late = commit(participant, process, "Late", due=1)
    commit(participant, process, "Planned", due=60)
    going = commit(participant, process, "Going", due=60)
    report(participant, going)
    done = commit(participant, process, "Done", due=1)
    report(participant, done, status="done")

    counts = {c.key: c.count for c in process_counts(process, days(10))}

    assert counts == {"planned": 1, "in_progress": 1, "overdue": 1, "done": 1, "dropped": 0}
    assert late.is_overdue(days(10))


# Contestations and answers -----------------------------------------------------------------------


def test_a_participant_contests_an_update_and_the_owner_is_told(
    participant, other_participant, commitment, mailoutbox, django_capture_on_commit_callbacks
):
    update = report(participant, commitment, status="done")

    with django_capture_on_commit_callbacks(execute=True):
        contestation = contest_update(
            actor=other_participant, update=update, reason="The Arabic version is missing.", now=NOW
        )

    assert contestation.author_name == "Kenji"
    assert payloads(commitment.process, "commitment.contested")[0]["reason"] == (
        "The Arabic version is missing."
    )
    assert [m.to for m in mailoutbox] == [[participant.email]]
    assert "contested" in mailoutbox[0].subject


def test_the_owner_side_cannot_contest_its_own_update(
    participant, colleague, representative, organisation_commitment, commitment
):
    own = report(participant, commitment)
    theirs = report(representative, organisation_commitment)

    with pytest.raises(PermissionDenied, match="your own commitment"):
        contest_update(actor=participant, update=own, reason="Hmm.")
    with pytest.raises(PermissionDenied, match="your own commitment"):
        contest_update(actor=colleague, update=theirs, reason="Hmm.")


def test_a_visitor_or_observer_cannot_contest(participant, commitment):
    update = report(participant, commitment)
    observer = UserFactory(username="olga")
    Membership.objects.create(process=commitment.process, user=observer, role=Role.OBSERVER)

    with pytest.raises(PermissionDenied):
        contest_update(actor=observer, update=update, reason="I only watch.")


def test_a_contestation_needs_a_reason_and_comes_once(participant, other_participant, commitment):
    update = report(participant, commitment)

    with pytest.raises(ValidationError) as refused:
        contest_update(actor=other_participant, update=update, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError, match="NUL"):
        contest_update(actor=other_participant, update=update, reason="No\x00")

    contest_update(actor=other_participant, update=update, reason="Where is the evidence?")
    with pytest.raises(ValidationError, match="already contested"):
        contest_update(actor=other_participant, update=update, reason="Again.")


def test_the_owner_answers_once_and_the_contester_is_told(
    participant, other_participant, commitment, mailoutbox, django_capture_on_commit_callbacks
):
    update = report(participant, commitment, status="done")
    contestation = contest_update(actor=other_participant, update=update, reason="No evidence.")

    with django_capture_on_commit_callbacks(execute=True):
        answer_contestation(
            actor=participant, contestation=contestation, answer="Added the link.", now=NOW
        )

    contestation.refresh_from_db()
    assert (contestation.answer, contestation.answered_by, contestation.answered_at) == (
        "Added the link.",
        participant,
        NOW,
    )
    assert payloads(commitment.process, "commitment.answered")[0]["answer"] == "Added the link."
    assert [m.to for m in mailoutbox] == [[other_participant.email]]

    with pytest.raises(ValidationError, match="already been answered"):
        answer_contestation(actor=participant, contestation=contestation, answer="Again.")


def test_only_the_owner_side_answers(participant, other_participant, secretariat, commitment):
    update = report(participant, commitment)
    contestation = contest_update(actor=other_participant, update=update, reason="Really?")

    for outsider in (other_participant, secretariat):
        with pytest.raises(PermissionDenied, match="Only whoever made this commitment"):
            answer_contestation(actor=outsider, contestation=contestation, answer="Yes.")
    with pytest.raises(ValidationError) as refused:
        answer_contestation(actor=participant, contestation=contestation, answer="\x00")
    assert "answer" in refused.value.message_dict
    assert Contestation.objects.get().answer == ""


def test_every_event_is_on_the_record_in_order(participant, other_participant, commitment):
    update = report(participant, commitment)
    contestation = contest_update(actor=other_participant, update=update, reason="Proof?")
    answer_contestation(actor=participant, contestation=contestation, answer="Here.")

    assert kinds(commitment.process) == [
        "commitment.made",
        "commitment.updated",
        "commitment.contested",
        "commitment.answered",
    ]
