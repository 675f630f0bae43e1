"""Joint statement services: drafting, sign-on, signatures, withdrawals and linked statements,
each refusal with its message and nothing half-written."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.caucuses.models import WorkingDraftRevision
from polyvox.joint_statements.models import (
    JointStatement,
    JointStatementRevision,
    Relation,
    Signature,
    StatementStatus,
)
from polyvox.joint_statements.services import signing
from polyvox.joint_statements.services.drafting import (
    create_joint_statement,
    edit_draft,
    open_for_sign_on,
    publish_from_caucus,
    publish_linked_statement,
)
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.notifications.models import Notification
from polyvox.processes.models import Membership, ParticipationPolicy, Process, Role
from polyvox.record.models import RecordEntry
from tests.factories import (
    UserFactory,
    add_caucus_member,
    approve_representative,
    make_caucus,
    make_organisation,
    make_secretariat,
)
from tests.joint_statements.conftest import (
    close_sign_on,
    draft_statement,
    in_days,
)

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int, int]:
    """How many statements, revisions, signatures and record entries exist."""
    return (
        JointStatement.objects.count(),
        JointStatementRevision.objects.count(),
        Signature.objects.count(),
        RecordEntry.objects.count(),
    )


def last_entry() -> RecordEntry:
    return RecordEntry.objects.order_by("-id").first()  # type: ignore[return-value]


def close_process(process: Process) -> None:
    Process.objects.filter(pk=process.pk).update(closed_at=timezone.now())
    process.refresh_from_db()


def refused(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# Drafting -----------------------------------------------------------------------------------


def test_a_participant_drafts_a_joint_statement_in_the_open_with_revision_1(participant, process):
    statement = create_joint_statement(
        actor=participant, process=process, title="  Keep it   open ", body="We call for it.\r\n"
    )

    assert (statement.status, statement.relation, statement.title, statement.body) == (
        StatementStatus.DRAFT,
        Relation.JOINT,
        "Keep it open",
        "We call for it.",
    )
    assert statement.author_name == "Amina"
    assert list(statement.revisions.values_list("number", "title", "body")) == [
        (1, "Keep it open", "We call for it.")
    ]
    entry = last_entry()
    assert entry.kind == "joint_statement_drafted"
    assert entry.payload["statement_id"] == statement.pk
    assert entry.payload["title"] == "Keep it open"
    assert entry.payload["body_sha256"] == hashlib.sha256(b"We call for it.").hexdigest()
    assert entry.payload["organisation"] is None


def test_a_representative_drafts_on_behalf_of_their_organisation(
    representative, organisation, process
):
    statement = draft_statement(representative, process, organisation=organisation)

    assert statement.organisation == organisation
    assert last_entry().payload["organisation"] == {"name": "Rhizomatica", "slug": "rhizomatica"}


def test_drafting_for_an_organisation_one_does_not_represent_is_refused(
    participant, organisation, process
):
    before = written()

    with pytest.raises(
        PermissionDenied, match="You are not an approved representative of Rhizomatica"
    ):
        draft_statement(participant, process, organisation=organisation)

    assert written() == before


@pytest.mark.parametrize(
    ("title", "body", "errors"),
    [
        ("", "Text.", {"title": ["Give the statement a title."]}),
        ("Title", "  \n ", {"body": ["Write the text of the statement."]}),
        (
            " ",
            "",
            {
                "title": ["Give the statement a title."],
                "body": ["Write the text of the statement."],
            },
        ),
        ("T" * 201, "Text.", {"title": ["Keep the title under 200 characters."]}),
    ],
)
def test_an_empty_or_too_long_title_or_text_is_refused(participant, process, title, body, errors):
    before = written()

    with pytest.raises(ValidationError) as caught:
        create_joint_statement(actor=participant, process=process, title=title, body=body)

    assert refused(caught.value) == errors
    assert written() == before


def test_an_observer_or_anonymous_visitor_cannot_draft(process):
    observer = UserFactory(username="olga")
    Membership.objects.create(process=process, user=observer, role=Role.OBSERVER)

    with pytest.raises(PermissionDenied, match="You cannot take part in this process"):
        draft_statement(observer, process)
    assert JointStatement.objects.count() == 0


def test_an_invitation_only_process_refuses_drafts_from_people_not_invited(participant, process):
    Process.objects.filter(pk=process.pk).update(participation_policy=ParticipationPolicy.INVITED)
    process.refresh_from_db()

    with pytest.raises(PermissionDenied, match="invited participants only"):
        draft_statement(participant, process)


def test_nothing_is_drafted_in_a_closed_process(participant, process):
    close_process(process)

    with pytest.raises(PermissionDenied, match="This process is closed"):
        draft_statement(participant, process)


def test_its_author_edits_a_draft_and_every_text_is_kept(participant, draft):
    edit_draft(actor=participant, statement=draft, title="Keep it open", body="New text.")

    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("Keep it open", "New text.")
    assert list(draft.revisions.values_list("number", "body")) == [
        (1, "We, the undersigned, call for an open and interoperable internet."),
        (2, "New text."),
    ]
    assert last_entry().kind == "joint_statement_draft_edited"
    assert last_entry().payload["revision"] == 2


def test_someone_else_cannot_edit_a_draft(other_participant, draft):
    with pytest.raises(PermissionDenied, match="Only its author can edit a draft"):
        edit_draft(actor=other_participant, statement=draft, title="Mine", body="Mine.")

    draft.refresh_from_db()
    assert draft.title == "Keep the internet open"
    assert draft.revisions.count() == 1


def test_an_edit_that_changes_nothing_is_refused(participant, draft):
    with pytest.raises(ValidationError) as caught:
        edit_draft(actor=participant, statement=draft, title=draft.title, body=draft.body)

    assert refused(caught.value) == {"body": ["Nothing was changed."]}
    assert draft.revisions.count() == 1


def test_the_text_is_frozen_once_open_for_sign_on(participant, statement):
    with pytest.raises(PermissionDenied):
        edit_draft(actor=participant, statement=statement, title="Changed", body="Changed.")

    statement.refresh_from_db()
    assert statement.body.startswith("We, the undersigned")


# Opening for sign-on ---------------------------------------------------------------------------


def test_opening_for_sign_on_publishes_the_text_with_its_digest_and_deadline(participant, draft):
    deadline = in_days(7)

    open_for_sign_on(actor=participant, statement=draft, deadline=deadline)

    draft.refresh_from_db()
    assert draft.status == StatementStatus.PUBLISHED
    assert draft.published_at is not None
    assert draft.sign_on_deadline == deadline
    entry = last_entry()
    assert entry.kind == "joint_statement_opened"
    assert entry.payload["title"] == "Keep the internet open"
    assert entry.payload["body_sha256"] == hashlib.sha256(draft.body.encode()).hexdigest()
    assert entry.payload["sign_on_deadline"] == deadline.isoformat()


def test_the_secretariat_may_open_a_participants_draft(secretariat, draft):
    open_for_sign_on(actor=secretariat, statement=draft, deadline=in_days(3))

    draft.refresh_from_db()
    assert draft.status == StatementStatus.PUBLISHED


def test_another_participant_cannot_open_a_draft(other_participant, draft):
    before = written()

    with pytest.raises(PermissionDenied, match="Only its author or the secretariat"):
        open_for_sign_on(actor=other_participant, statement=draft, deadline=in_days(3))

    draft.refresh_from_db()
    assert draft.status == StatementStatus.DRAFT
    assert written() == before


def test_a_deadline_in_the_past_is_refused(participant, draft):
    before = written()

    with pytest.raises(ValidationError) as caught:
        open_for_sign_on(actor=participant, statement=draft, deadline=in_days(-1))

    assert refused(caught.value) == {"deadline": ["Choose a sign-on deadline in the future."]}
    draft.refresh_from_db()
    assert (draft.status, draft.sign_on_deadline) == (StatementStatus.DRAFT, None)
    assert written() == before


def test_a_statement_is_opened_once(participant, statement):
    with pytest.raises(ValidationError) as caught:
        open_for_sign_on(actor=participant, statement=statement, deadline=in_days(30))

    assert refused(caught.value) == {"deadline": ["This statement is already open for sign-on."]}


# Publishing a caucus's working draft -----------------------------------------------------------


def test_a_facilitator_publishes_the_caucus_working_draft_open_for_sign_on(participant, process):
    caucus = make_caucus(process, participant)
    for number, body in ((1, "Early private text."), (2, "Agreed text.")):
        WorkingDraftRevision.objects.create(
            caucus=caucus,
            number=number,
            title="Civil society position",
            body=body,
            author=participant,
        )

    statement = publish_from_caucus(actor=participant, caucus=caucus, deadline=in_days(5))

    assert (statement.caucus, statement.status, statement.body) == (
        caucus,
        StatementStatus.PUBLISHED,
        "Agreed text.",
    )
    entry = last_entry()
    assert entry.kind == "joint_statement_opened"
    assert entry.payload["caucus"] == {
        "name": "Civil society caucus",
        "slug": "civil-society-caucus",
    }
    assert "Early private text." not in str(entry.payload)


def test_a_caucus_member_who_is_not_a_facilitator_cannot_publish(
    participant, other_participant, process
):
    caucus = make_caucus(process, participant)
    add_caucus_member(caucus, other_participant)
    WorkingDraftRevision.objects.create(
        caucus=caucus, number=1, title="Position", body="Text.", author=participant
    )
    before = written()

    with pytest.raises(
        PermissionDenied, match="Only the caucus's facilitators can publish its content"
    ):
        publish_from_caucus(actor=other_participant, caucus=caucus, deadline=in_days(5))

    assert written() == before


def test_an_empty_working_draft_is_not_published(participant, process):
    caucus = make_caucus(process, participant)

    with pytest.raises(ValidationError) as caught:
        publish_from_caucus(actor=participant, caucus=caucus, deadline=in_days(5))

    assert refused(caught.value) == {
        "caucus": ["The caucus's working draft is empty: write it before publishing."]
    }
    assert JointStatement.objects.count() == 0


# Signing --------------------------------------------------------------------------------------


def test_a_representative_signs_for_their_organisation_with_its_group_and_country(
    representative, organisation, statement
):
    signature = sign(actor=representative, statement=statement, organisation=organisation)

    assert (
        signature.signer_name,
        signature.organisation_name,
        signature.stakeholder_group,
        signature.country,
    ) == ("Rosa", "Rhizomatica", "civil_society", "MX")
    entry = last_entry()
    assert entry.kind == "joint_statement_signed"
    assert entry.payload == {
        "signature_id": signature.pk,
        "statement_id": statement.pk,
        "title": "Keep the internet open",
        "organisation": {"name": "Rhizomatica", "slug": "rhizomatica"},
        "stakeholder_group": "civil_society",
        "country": "MX",
    }


def test_a_participant_signs_for_themselves_with_their_profiles_group_and_country(
    other_participant, statement
):
    signature = sign(actor=other_participant, statement=statement)

    assert (signature.organisation, signature.stakeholder_group, signature.country) == (
        None,
        "private_sector",
        "JP",
    )
    assert last_entry().payload["organisation"] is None


def test_a_representative_may_sign_both_for_their_organisation_and_for_themselves(
    representative, organisation, statement
):
    sign(actor=representative, statement=statement, organisation=organisation)
    sign(actor=representative, statement=statement)

    assert statement.signatures.filter(withdrawn_at__isnull=True).count() == 2


def test_signing_after_the_deadline_is_refused_with_the_date(other_participant, statement):
    close_sign_on(statement)
    date = statement.sign_on_deadline.strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]
    before = written()

    with pytest.raises(ValidationError) as caught:
        sign(actor=other_participant, statement=statement)

    assert refused(caught.value) == {"statement": [f"Sign-on closed on {date} UTC."]}
    assert written() == before


def test_signing_twice_is_refused(other_participant, statement):
    sign(actor=other_participant, statement=statement)
    before = written()

    with pytest.raises(ValidationError) as caught:
        sign(actor=other_participant, statement=statement)

    assert refused(caught.value) == {"organisation": ["You have already signed this statement."]}
    assert written() == before


def test_a_second_representative_cannot_sign_again_for_the_same_organisation(
    representative, organisation, other_participant, statement
):
    approve_representative(organisation, other_participant)
    sign(actor=representative, statement=statement, organisation=organisation)
    before = written()

    with pytest.raises(ValidationError) as caught:
        sign(actor=other_participant, statement=statement, organisation=organisation)

    assert refused(caught.value) == {"organisation": ["Rhizomatica has already signed."]}
    assert written() == before


def test_a_concurrent_double_signature_hits_the_constraint_and_reads_as_signed_twice(
    representative, organisation, statement, monkeypatch
):
    sign(actor=representative, statement=statement, organisation=organisation)
    before = written()
    # The other request checked before this one committed: its check saw no signature.
    monkeypatch.setattr(signing, "_stands", lambda signatures: False)

    with pytest.raises(ValidationError) as caught:
        sign(actor=representative, statement=statement, organisation=organisation)

    assert refused(caught.value) == {"organisation": ["Rhizomatica has already signed."]}
    assert written() == before


def test_signing_for_an_organisation_one_does_not_represent_is_refused(
    other_participant, organisation, statement
):
    before = written()

    with pytest.raises(
        PermissionDenied, match="You are not an approved representative of Rhizomatica"
    ):
        sign(actor=other_participant, statement=statement, organisation=organisation)

    assert written() == before


def test_a_revoked_representative_can_no_longer_sign(representative, organisation, statement):
    organisation.representatives.update(status="revoked")

    with pytest.raises(PermissionDenied, match="not an approved representative"):
        sign(actor=representative, statement=statement, organisation=organisation)


def test_a_draft_cannot_be_signed(other_participant, draft):
    before = written()

    with pytest.raises(ValidationError) as caught:
        sign(actor=other_participant, statement=draft)

    assert refused(caught.value) == {
        "statement": ["This statement is still a draft: it is not open for sign-on."]
    }
    assert written() == before


def test_nothing_is_signed_in_a_closed_process(other_participant, statement):
    close_process(statement.process)
    before = written()

    with pytest.raises(ValidationError) as caught:
        sign(actor=other_participant, statement=statement)

    assert refused(caught.value) == {"statement": ["This process is closed."]}
    assert written() == before


def test_a_linked_statement_without_a_deadline_takes_no_signatures(
    participant, other_participant, statement
):
    dissent = publish_linked_statement(
        actor=other_participant,
        responds_to=statement,
        relation=Relation.DISSENT,
        title="We disagree",
        body="Because.",
    )

    with pytest.raises(ValidationError) as caught:
        sign(actor=participant, statement=dissent)

    assert refused(caught.value) == {"statement": ["This statement does not take signatures."]}


def test_an_observer_cannot_sign(process, statement):
    observer = UserFactory(username="olga")
    Membership.objects.create(process=process, user=observer, role=Role.OBSERVER)

    with pytest.raises(PermissionDenied, match="You cannot take part in this process"):
        sign(actor=observer, statement=statement)
    assert Signature.objects.count() == 0


# Withdrawing ----------------------------------------------------------------------------------


def test_the_signer_withdraws_before_the_deadline_and_the_row_stays(other_participant, statement):
    signature = sign(actor=other_participant, statement=statement)

    withdraw_signature(actor=other_participant, signature=signature, reason="  Changed  our mind ")

    signature.refresh_from_db()
    assert signature.withdrawn_at is not None
    assert signature.withdrawal_reason == "Changed our mind"
    assert Signature.objects.count() == 1
    entry = last_entry()
    assert entry.kind == "joint_statement_signature_withdrawn"
    assert (entry.payload["signature_id"], entry.payload["reason"]) == (
        signature.pk,
        "Changed our mind",
    )
    assert "withdrawn_by" not in entry.payload
    assert "Kenji" not in str(entry.payload)


def test_a_withdrawn_signatory_may_sign_again(other_participant, statement):
    first = sign(actor=other_participant, statement=statement)
    withdraw_signature(actor=other_participant, signature=first)

    second = sign(actor=other_participant, statement=statement)

    assert second.pk != first.pk
    assert statement.signatures.count() == 2


def test_another_representative_of_the_organisation_may_withdraw_its_signature(
    representative, organisation, other_participant, statement
):
    signature = sign(actor=representative, statement=statement, organisation=organisation)
    approve_representative(organisation, other_participant)

    withdraw_signature(actor=other_participant, signature=signature)

    signature.refresh_from_db()
    assert signature.withdrawn_at is not None


def test_someone_elses_signature_cannot_be_withdrawn(participant, other_participant, statement):
    signature = sign(actor=other_participant, statement=statement)
    before = written()

    with pytest.raises(PermissionDenied, match="Only the signatory"):
        withdraw_signature(actor=participant, signature=signature)

    signature.refresh_from_db()
    assert signature.withdrawn_at is None
    assert written() == before


def test_withdrawing_after_the_deadline_is_refused(other_participant, statement):
    signature = sign(actor=other_participant, statement=statement)
    close_sign_on(statement)
    signature.refresh_from_db()
    date = statement.sign_on_deadline.strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]
    before = written()

    with pytest.raises(ValidationError) as caught:
        withdraw_signature(actor=other_participant, signature=signature)

    assert refused(caught.value) == {
        "signature": [f"Sign-on closed on {date} UTC. Signatures can no longer be withdrawn."]
    }
    signature.refresh_from_db()
    assert signature.withdrawn_at is None
    assert written() == before


def test_a_signature_is_withdrawn_once(other_participant, statement):
    signature = sign(actor=other_participant, statement=statement)
    withdraw_signature(actor=other_participant, signature=signature)
    before = written()

    with pytest.raises(ValidationError) as caught:
        withdraw_signature(actor=other_participant, signature=signature)

    assert refused(caught.value) == {"signature": ["This signature has already been withdrawn."]}
    assert written() == before


# Linked statements ------------------------------------------------------------------------------


def test_an_organisation_publishes_a_dissent_and_the_author_is_told(
    participant, representative, organisation, statement
):
    dissent = publish_linked_statement(
        actor=representative,
        responds_to=statement,
        relation=Relation.DISSENT,
        title="Why we do not sign",
        body="Openness needs safeguards.",
        organisation=organisation,
        deadline=in_days(3),
    )

    assert (dissent.relation, dissent.responds_to, dissent.status, dissent.organisation) == (
        Relation.DISSENT,
        statement,
        StatementStatus.PUBLISHED,
        organisation,
    )
    assert dissent.published_at is not None
    entry = last_entry()
    assert entry.kind == "linked_statement_published"
    assert (entry.payload["relation"], entry.payload["responds_to"]) == ("dissent", statement.pk)
    notice = Notification.objects.get(recipient=participant)
    assert notice.subject == "Rhizomatica answered “Keep the internet open”"
    assert sign(actor=participant, statement=dissent).statement == dissent


def test_a_linked_statement_cannot_answer_a_draft(other_participant, draft):
    before = written()

    with pytest.raises(ValidationError) as caught:
        publish_linked_statement(
            actor=other_participant,
            responds_to=draft,
            relation=Relation.DISSENT,
            title="No",
            body="No.",
        )

    assert refused(caught.value) == {
        "responds_to": ["This joint statement is still a draft: answer it once it is published."]
    }
    assert written() == before


def test_a_linked_statement_cannot_answer_another_linked_statement(
    participant, other_participant, statement
):
    dissent = publish_linked_statement(
        actor=other_participant,
        responds_to=statement,
        relation=Relation.DISSENT,
        title="No",
        body="No.",
    )
    before = written()

    with pytest.raises(ValidationError) as caught:
        publish_linked_statement(
            actor=participant,
            responds_to=dissent,
            relation=Relation.SUPPLEMENT,
            title="Yes",
            body="Yes.",
        )

    assert refused(caught.value) == {
        "responds_to": [
            "A dissenting or supplementary statement answers a joint statement, not another "
            "linked statement."
        ]
    }
    assert written() == before


def test_a_linked_statement_must_be_a_dissent_or_a_supplement(other_participant, statement):
    with pytest.raises(ValidationError) as caught:
        publish_linked_statement(
            actor=other_participant,
            responds_to=statement,
            relation=Relation.JOINT,
            title="Another",
            body="Text.",
        )

    assert refused(caught.value) == {
        "relation": ["Choose a dissenting or a supplementary statement."]
    }


def test_a_linked_statement_needs_a_title_text_and_a_future_deadline(other_participant, statement):
    before = written()
    with pytest.raises(ValidationError) as empty:
        publish_linked_statement(
            actor=other_participant,
            responds_to=statement,
            relation=Relation.SUPPLEMENT,
            title="",
            body="",
        )
    with pytest.raises(ValidationError) as past:
        publish_linked_statement(
            actor=other_participant,
            responds_to=statement,
            relation=Relation.SUPPLEMENT,
            title="More",
            body="More.",
            deadline=timezone.now() - timedelta(minutes=1),
        )

    assert set(refused(empty.value)) == {"title", "body"}
    assert refused(past.value) == {"deadline": ["Choose a sign-on deadline in the future."]}
    assert written() == before


def test_a_dissent_for_an_organisation_one_does_not_represent_is_refused(
    other_participant, organisation, statement
):
    with pytest.raises(
        PermissionDenied, match="You are not an approved representative of Rhizomatica"
    ):
        publish_linked_statement(
            actor=other_participant,
            responds_to=statement,
            relation=Relation.DISSENT,
            title="No",
            body="No.",
            organisation=organisation,
        )
    assert JointStatement.objects.count() == 1


def test_the_secretariat_who_does_not_take_part_otherwise_may_sign(process, statement):
    Process.objects.filter(pk=process.pk).update(participation_policy=ParticipationPolicy.INVITED)
    statement.process.refresh_from_db()
    secretary = make_secretariat(process, username="sam")

    assert sign(actor=secretary, statement=statement).signer == secretary


def test_a_merged_organisation_cannot_sign(representative, statement):
    target = make_organisation("Rhizomatica International", admin=representative)
    merged = make_organisation("Rhizomatica (duplicate)", merged_into=target)
    approve_representative(merged, representative)

    with pytest.raises(PermissionDenied, match="not an approved representative"):
        sign(actor=representative, statement=statement, organisation=merged)


@pytest.mark.django_db(transaction=True)
def test_two_representatives_signing_at_once_leave_one_signature_and_one_clear_refusal(
    representative, organisation, other_participant, statement
):
    """Real concurrency needs a database that runs writers in parallel (PostgreSQL)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; run with scripts/with-postgres.sh")
    approve_representative(organisation, other_participant)
    barrier = Barrier(2)

    def attempt(actor):
        barrier.wait()
        try:
            return sign(actor=actor, statement=statement, organisation=organisation)
        except ValidationError as error:
            return error.message_dict
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(attempt, [representative, other_participant]))

    refusals = [o for o in outcomes if isinstance(o, dict)]
    assert refusals == [{"organisation": ["Rhizomatica has already signed."]}]
    assert Signature.objects.filter(organisation=organisation).count() == 1
    assert RecordEntry.objects.filter(kind="joint_statement_signed").count() == 1
