"""Joint statement pages: what visitors and participants see, and every refusal on the page.

A service's ValidationError comes back as the page with the message (200); its PermissionDenied
is the 403 page with the reason; a statement, signature, caucus or organisation that is not there
is a 404, never a 500.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polyvox.caucuses.models import WorkingDraftRevision
from polyvox.joint_statements.models import (
    JointStatement,
    JointStatementRevision,
    Relation,
    Signature,
    StatementStatus,
)
from polyvox.joint_statements.services.drafting import (
    create_joint_statement,
    open_for_sign_on,
    publish_linked_statement,
)
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Membership, ParticipationPolicy, Process, Role
from tests.factories import ProcessFactory, UserFactory, make_caucus, make_organisation

pytestmark = pytest.mark.django_db


def url(name: str, process: Process, **kwargs: object) -> str:
    return reverse(f"joint_statements:{name}", kwargs={"slug": process.slug, **kwargs})


def at(name: str, statement: JointStatement, **kwargs: object) -> str:
    return url(name, statement.process, statement_id=statement.pk, **kwargs)


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def close_sign_on(statement: JointStatement) -> None:
    JointStatement.objects.filter(pk=statement.pk).update(
        sign_on_deadline=timezone.now() - timedelta(days=1)
    )
    statement.refresh_from_db()


@pytest.fixture
def rosa(db: None) -> User:
    """An approved administrator of Rhizomatica."""
    return UserFactory(
        username="rosa", profile={"stakeholder_group": "technical_community", "country": "BR"}
    )


@pytest.fixture
def rhizomatica(rosa: User) -> Organisation:
    return make_organisation("Rhizomatica", admin=rosa)


@pytest.fixture
def draft(participant: User, process: Process) -> JointStatement:
    return create_joint_statement(
        actor=participant,
        process=process,
        title="Keep the internet open",
        body="We call for an **open** and interoperable internet.",
    )


@pytest.fixture
def opened(participant: User, draft: JointStatement) -> JointStatement:
    """The draft, open for sign-on for a week."""
    return open_for_sign_on(
        actor=participant, statement=draft, deadline=timezone.now() + timedelta(days=7)
    )


@pytest.fixture
def dissent(other_participant: User, opened: JointStatement) -> JointStatement:
    return publish_linked_statement(
        actor=other_participant,
        responds_to=opened,
        relation=Relation.DISSENT,
        title="Openness needs safeguards",
        body="We cannot sign without safeguards for users at risk.",
    )


# The list ----------------------------------------------------------------------------------------


def test_the_list_shows_each_statement_with_its_count_status_and_linked_statements_beside_it(
    client, process, opened, dissent, rosa, rhizomatica
):
    sign(actor=rosa, statement=opened, organisation=rhizomatica)

    response = client.get(url("list", process))

    assert response.status_code == 200
    html = page(response)
    assert "Keep the internet open" in html
    assert "1 signature" in html
    assert "Open for signatures" in html
    pair = html[html.index("Keep the internet open") :]
    assert "Openness needs safeguards" in pair
    assert "Dissenting statement" in pair
    assert "Draft a joint statement" not in html  # a visitor may not draft


def test_the_list_offers_drafting_to_those_taking_part(client, process, participant):
    client.force_login(participant)

    html = page(client.get(url("list", process)))

    assert url("create", process) in html
    assert "No joint statements yet." in html


def test_the_list_is_paginated(client, process, participant):
    for n in range(21):
        create_joint_statement(actor=participant, process=process, title=f"Text {n:02d}", body="b")

    first, second = client.get(url("list", process)), client.get(url("list", process) + "?page=2")

    assert "Text 20" in page(first)
    assert "Text 00" not in page(first)
    assert "Text 00" in page(second)


# Drafting, editing, opening ----------------------------------------------------------------------


def test_drafting_needs_a_login(client, process):
    response = client.get(url("create", process))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_participant_drafts_a_statement_on_behalf_of_an_organisation_they_represent(
    client, process, rosa, rhizomatica
):
    client.force_login(rosa)
    assert "Rhizomatica" in page(client.get(url("create", process)))

    response = client.post(
        url("create", process),
        {
            "title": "Community networks",
            "body": "Spectrum for communities.",
            "organisation": rhizomatica.pk,
        },
    )

    statement = JointStatement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == at("detail", statement)
    assert (statement.status, statement.organisation) == (StatementStatus.DRAFT, rhizomatica)
    html = page(client.get(at("detail", statement)))
    assert "on behalf of" in html
    assert "Rhizomatica" in html


def test_an_empty_draft_shows_the_error_on_the_form(client, process, participant):
    client.force_login(participant)

    response = client.post(url("create", process), {"title": "  ", "body": ""})

    assert response.status_code == 200
    assert 'class="error"' in page(response)
    assert not JointStatement.objects.exists()


def test_drafting_for_an_organisation_one_does_not_represent_is_refused(
    client, process, participant, rhizomatica
):
    client.force_login(participant)

    response = client.post(
        url("create", process), {"title": "T", "body": "B", "organisation": rhizomatica.pk}
    )

    assert response.status_code == 403
    assert "Rhizomatica" in page(response)
    assert not JointStatement.objects.exists()


def test_an_unknown_organisation_is_a_form_error_not_a_crash(client, process, participant):
    client.force_login(participant)

    response = client.post(
        url("create", process), {"title": "T", "body": "B", "organisation": "99999"}
    )

    assert response.status_code == 200
    assert "There is no such organisation." in page(response)
    assert not JointStatement.objects.exists()


def test_someone_not_invited_to_an_invitation_only_process_may_not_draft(client, participant):
    closed_door = ProcessFactory(participation_policy=ParticipationPolicy.INVITED)
    client.force_login(participant)

    assert client.get(url("create", closed_door)).status_code == 403
    response = client.post(url("create", closed_door), {"title": "T", "body": "B"})

    assert response.status_code == 403
    assert not JointStatement.objects.exists()


def test_the_author_edits_a_draft_and_the_revisions_are_listed(client, participant, draft):
    client.force_login(participant)

    response = client.post(at("edit", draft), {"title": "Keep it open", "body": "New text."})

    assert response.status_code == 302
    assert JointStatementRevision.objects.filter(statement=draft).count() == 2
    html = page(client.get(at("detail", draft)))
    assert "Revisions of this draft" in html
    assert "Revision 1: Keep the internet open" in html
    assert "Revision 2: Keep it open" in html


def test_an_edit_that_changes_nothing_is_shown_on_the_form(client, participant, draft):
    client.force_login(participant)

    response = client.post(at("edit", draft), {"title": draft.title, "body": draft.body})

    assert response.status_code == 200
    assert "Nothing was changed." in page(response)


def test_only_the_author_edits_or_opens_a_draft(client, other_participant, draft):
    client.force_login(other_participant)

    html = page(client.get(at("detail", draft)))
    assert at("edit", draft) not in html
    assert at("open", draft) not in html
    assert client.get(at("edit", draft)).status_code == 403
    assert client.post(at("edit", draft), {"title": "Mine", "body": "Now."}).status_code == 403
    deadline = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(at("open", draft), {"deadline": deadline}).status_code == 403
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Keep the internet open", StatementStatus.DRAFT)


def test_the_deadline_is_read_in_the_viewers_time_zone(client, participant, draft):
    participant.profile.timezone = "America/Sao_Paulo"  # UTC-3, no summer time since 2019
    participant.profile.save()
    client.force_login(participant)
    year = timezone.now().year + 1

    response = client.post(at("open", draft), {"deadline": f"{year}-03-10T12:00"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == StatementStatus.PUBLISHED
    assert draft.sign_on_deadline == datetime(year, 3, 10, 15, 0, tzinfo=UTC)


def test_a_deadline_in_the_past_is_shown_on_the_form(client, participant, draft):
    client.force_login(participant)

    response = client.post(at("open", draft), {"deadline": "2001-01-01T00:00"})

    assert response.status_code == 200
    assert 'class="error"' in page(response)
    draft.refresh_from_db()
    assert draft.status == StatementStatus.DRAFT


def test_a_malformed_deadline_is_a_form_error(client, participant, draft):
    client.force_login(participant)

    response = client.post(at("open", draft), {"deadline": "next tuesday"})

    assert response.status_code == 200
    assert "Enter a valid date/time." in page(response)


# The statement's page ----------------------------------------------------------------------------


def test_a_visitor_reads_the_statement_its_counts_and_its_signatories(
    client, opened, dissent, rosa, rhizomatica, other_participant
):
    sign(actor=rosa, statement=opened, organisation=rhizomatica)
    sign(actor=other_participant, statement=opened)

    response = client.get(at("detail", opened))

    assert response.status_code == 200
    html = page(response)
    assert "<strong>open</strong>" in html  # the text, as Markdown
    assert "Open for signatures" in html
    assert "Sign-on closed" not in html
    assert "Signatures by stakeholder group</caption>" in html
    assert "Signatures by region (UN M49)</caption>" in html
    assert "Civil society" in html
    assert "Private sector" in html
    assert "Americas" in html
    assert "Asia" in html
    assert "Rhizomatica" in html
    assert "Kenji" in html
    assert at("signatories", opened) in html
    assert "Log in to sign" in html
    beside = html[html.index('class="statement-linked"') :]
    assert "Openness needs safeguards" in beside


def test_a_linked_statement_shows_the_statement_it_answers_beside_it(client, dissent, opened):
    html = page(client.get(at("detail", dissent)))

    beside = html[html.index('class="statement-linked"') :]
    assert "The statement it answers" in beside
    assert "Keep the internet open" in beside
    assert "no sign-on" in html


def test_the_sign_form_offers_myself_and_each_organisation_not_yet_signed(
    client, opened, rosa, rhizomatica
):
    other = make_organisation("APC", admin=rosa)
    sign(actor=rosa, statement=opened, organisation=other)
    client.force_login(rosa)

    html = page(client.get(at("detail", opened)))

    form = html[html.index('action="' + at("sign", opened)) :]
    form = form[: form.index("</form>")]
    assert "Sign as" in form
    assert "Myself" in form
    assert "Rhizomatica" in form
    assert "APC" not in form


def test_a_representative_signs_for_the_organisation_and_then_withdraws(
    client, opened, rosa, rhizomatica
):
    client.force_login(rosa)

    response = client.post(at("sign", opened), {"organisation": rhizomatica.pk}, follow=True)

    signature = Signature.objects.get()
    assert (signature.organisation, signature.withdrawn_at) == (rhizomatica, None)
    assert "Signed for Rhizomatica." in page(response)
    assert "Your signatures" in page(response)

    response = client.post(
        at("withdraw", opened, signature_id=signature.pk), {"reason": "Our board disagreed."}
    )

    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.withdrawn_at is not None
    assert signature.withdrawal_reason == "Our board disagreed."


def test_signing_in_ones_own_name(client, opened, other_participant):
    client.force_login(other_participant)

    response = client.post(at("sign", opened), {"organisation": ""})

    assert response.status_code == 302
    assert Signature.objects.get().organisation is None


def test_signing_twice_shows_the_message_and_adds_nothing(client, opened, rosa, rhizomatica):
    sign(actor=rosa, statement=opened, organisation=rhizomatica)
    client.force_login(rosa)

    response = client.post(at("sign", opened), {"organisation": rhizomatica.pk})

    assert response.status_code == 200
    assert "Rhizomatica has already signed." in page(response)
    assert Signature.objects.count() == 1


def test_signing_after_the_deadline_shows_the_message(client, opened, other_participant):
    close_sign_on(opened)
    client.force_login(other_participant)

    response = client.post(at("sign", opened), {"organisation": ""})

    assert response.status_code == 200
    assert "Sign-on closed on" in page(response)
    assert "Sign this statement" not in page(response)
    assert not Signature.objects.exists()


def test_signing_a_draft_shows_the_message(client, draft, other_participant):
    client.force_login(other_participant)

    response = client.post(at("sign", draft), {"organisation": ""})

    assert response.status_code == 200
    assert "still a draft" in page(response)
    assert not Signature.objects.exists()


def test_signing_for_an_organisation_one_does_not_represent_is_refused(
    client, opened, other_participant, rhizomatica
):
    client.force_login(other_participant)

    response = client.post(at("sign", opened), {"organisation": rhizomatica.pk})

    assert response.status_code == 403
    assert "Rhizomatica" in page(response)
    assert not Signature.objects.exists()


@pytest.mark.parametrize("value", ["99999", "not-a-number"])
def test_signing_for_an_organisation_that_does_not_exist_is_a_404(
    client, opened, other_participant, value
):
    client.force_login(other_participant)

    assert client.post(at("sign", opened), {"organisation": value}).status_code == 404
    assert not Signature.objects.exists()


def test_signing_and_withdrawing_need_a_login_and_a_post(client, opened, rosa, rhizomatica):
    signature = sign(actor=rosa, statement=opened, organisation=rhizomatica)

    assert client.post(at("sign", opened), {"organisation": ""}).status_code == 302
    withdraw = at("withdraw", opened, signature_id=signature.pk)
    assert client.post(withdraw, {}).status_code == 302
    client.force_login(rosa)
    assert client.get(at("sign", opened)).status_code == 405
    assert client.get(withdraw).status_code == 405
    assert Signature.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_withdrawing_someone_elses_signature_is_refused(
    client, opened, rosa, rhizomatica, other_participant
):
    signature = sign(actor=rosa, statement=opened, organisation=rhizomatica)
    client.force_login(other_participant)

    response = client.post(at("withdraw", opened, signature_id=signature.pk), {"reason": ""})

    assert response.status_code == 403
    signature.refresh_from_db()
    assert signature.withdrawn_at is None


def test_a_signature_of_another_statement_is_a_404(client, process, participant, opened, rosa):
    other = open_for_sign_on(
        actor=participant,
        statement=create_joint_statement(actor=participant, process=process, title="O", body="b"),
        deadline=timezone.now() + timedelta(days=2),
    )
    signature = sign(actor=rosa, statement=other)
    client.force_login(rosa)

    response = client.post(at("withdraw", opened, signature_id=signature.pk), {})

    assert response.status_code == 404
    signature.refresh_from_db()
    assert signature.withdrawn_at is None


def test_withdrawing_after_the_deadline_shows_the_message(client, opened, other_participant):
    signature = sign(actor=other_participant, statement=opened)
    close_sign_on(opened)
    client.force_login(other_participant)

    response = client.post(at("withdraw", opened, signature_id=signature.pk), {})

    assert response.status_code == 200
    assert "Signatures can no longer be withdrawn." in page(response)
    signature.refresh_from_db()
    assert signature.withdrawn_at is None


def test_withdrawing_twice_shows_the_message(client, opened, other_participant):
    signature = sign(actor=other_participant, statement=opened)
    withdraw_signature(actor=other_participant, signature=signature)
    client.force_login(other_participant)

    response = client.post(at("withdraw", opened, signature_id=signature.pk), {})

    assert response.status_code == 200
    assert "already been withdrawn" in page(response)


@pytest.mark.parametrize(
    "path",
    [
        "/p/{slug}/joint-statements/abc/",
        "/p/{slug}/joint-statements/{id}/signatures/xyz/withdraw/",
        "/p/{slug}/joint-statements/999999/",
        "/p/{slug}/joint-statements/999999/signatories/",
        "/p/no-such-process/joint-statements/",
        "/p/{slug}/joint-statements/from-caucus/no-such-caucus/",
    ],
)
def test_hostile_addresses_are_404s(client, participant, opened, path):
    client.force_login(participant)

    response = client.get(path.format(slug=opened.process.slug, id=opened.pk))

    assert response.status_code == 404


def test_a_statement_of_another_process_is_a_404(client, opened):
    elsewhere = ProcessFactory()

    assert client.get(url("detail", elsewhere, statement_id=opened.pk)).status_code == 404


# Linked statements -------------------------------------------------------------------------------


def test_a_participant_publishes_a_dissent_for_their_organisation(
    client, opened, rosa, rhizomatica
):
    client.force_login(rosa)
    assert "Publish a dissenting or supplementary statement" in page(
        client.get(at("detail", opened))
    )

    response = client.post(
        at("respond", opened),
        {
            "relation": "dissent",
            "title": "Not without safeguards",
            "body": "We dissent.",
            "organisation": rhizomatica.pk,
            "deadline": "",
        },
    )

    linked = JointStatement.objects.get(responds_to=opened)
    assert response.status_code == 302
    assert (linked.relation, linked.organisation, linked.sign_on_deadline) == (
        Relation.DISSENT,
        rhizomatica,
        None,
    )
    beside = page(client.get(at("detail", opened)))
    assert "Not without safeguards" in beside[beside.index('class="statement-linked"') :]


def test_a_supplement_with_a_deadline_takes_signatures(client, opened, other_participant):
    client.force_login(other_participant)
    deadline = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    client.post(
        at("respond", opened),
        {"relation": "supplement", "title": "And also", "body": "More.", "deadline": deadline},
    )

    linked = JointStatement.objects.get(responds_to=opened)
    assert linked.relation == Relation.SUPPLEMENT
    assert "Sign this statement" in page(client.get(at("detail", linked)))


def test_answering_a_draft_shows_the_message(client, draft, other_participant):
    client.force_login(other_participant)

    response = client.post(
        at("respond", draft), {"relation": "dissent", "title": "No", "body": "No."}
    )

    assert response.status_code == 200
    assert "still a draft" in page(response)
    assert not JointStatement.objects.filter(responds_to=draft).exists()


def test_publishing_a_linked_statement_needs_a_login(client, opened):
    response = client.post(
        at("respond", opened), {"relation": "dissent", "title": "No", "body": "No."}
    )

    assert response.status_code == 302
    assert not JointStatement.objects.filter(responds_to=opened).exists()


def test_an_observer_may_not_publish_a_linked_statement(client, opened):
    observer = UserFactory(username="olu")
    Membership.objects.create(process=opened.process, user=observer, role=Role.OBSERVER)
    client.force_login(observer)

    response = client.post(
        at("respond", opened), {"relation": "dissent", "title": "No", "body": "No."}
    )

    assert response.status_code == 403
    assert not JointStatement.objects.filter(responds_to=opened).exists()


# Signatories -------------------------------------------------------------------------------------


def test_the_signatories_are_paginated_and_the_withdrawn_ones_listed_apart(
    client, opened, other_participant
):
    signers = [UserFactory(username=f"signer{n:03d}") for n in range(101)]
    for signer in signers:
        sign(actor=signer, statement=opened)
    gone = sign(actor=other_participant, statement=opened)
    withdraw_signature(actor=other_participant, signature=gone, reason="Changed our mind.")

    first = page(client.get(at("signatories", opened)))
    second = page(client.get(at("signatories", opened) + "?page=2"))
    withdrawn = page(client.get(at("signatories", opened) + "?withdrawn=1"))

    assert "Signer000" in first
    assert "Signer100" not in first
    assert "Signer100" in second
    assert "Kenji" not in first
    assert "Kenji" not in second
    assert "101 signatures" in first
    assert "1 withdrawn" in first
    assert "Kenji" in withdrawn
    assert "Changed our mind." in withdrawn
    assert "Signer000" not in withdrawn


def test_the_statement_page_lists_only_the_first_fifty_signatories(client, opened):
    for n in range(51):
        sign(actor=UserFactory(username=f"signer{n:03d}"), statement=opened)

    html = page(client.get(at("detail", opened)))

    assert "Signer049" in html
    assert "Signer050" not in html
    assert "51 signatures" in html


# Publishing from a caucus ------------------------------------------------------------------------


@pytest.fixture
def caucus(process, rosa):
    return make_caucus(process, rosa)


def test_a_facilitator_publishes_the_working_draft(client, process, caucus, rosa, rhizomatica):
    WorkingDraftRevision.objects.create(
        caucus=caucus, number=1, title="Civil society's view", body="Our text.", author=rosa
    )
    client.force_login(rosa)
    deadline = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    target = url("publish_from_caucus", process, caucus=caucus.slug)

    assert client.get(target).status_code == 200
    response = client.post(target, {"deadline": deadline, "organisation": rhizomatica.pk})

    statement = JointStatement.objects.get()
    assert response.status_code == 302
    assert (statement.caucus, statement.status, statement.organisation) == (
        caucus,
        StatementStatus.PUBLISHED,
        rhizomatica,
    )
    assert "drafted in the caucus" in page(client.get(at("detail", statement)))


def test_publishing_an_empty_working_draft_shows_the_message(client, process, caucus, rosa):
    client.force_login(rosa)
    deadline = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        url("publish_from_caucus", process, caucus=caucus.slug), {"deadline": deadline}
    )

    assert response.status_code == 200
    assert "working draft is empty" in page(response)
    assert not JointStatement.objects.exists()


def test_only_a_facilitator_publishes_a_caucus_draft(client, process, caucus, rosa, participant):
    WorkingDraftRevision.objects.create(
        caucus=caucus, number=1, title="Secret title", body="Secret text.", author=rosa
    )
    client.force_login(participant)
    target = url("publish_from_caucus", process, caucus=caucus.slug)
    deadline = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    assert client.get(target).status_code == 403
    response = client.post(target, {"deadline": deadline})

    assert response.status_code == 403
    assert "facilitators can publish its content." in page(response)
    assert "Secret" not in page(response)
    assert not JointStatement.objects.exists()


def _statements_with_dissents(process, author, answerer, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        statement = open_for_sign_on(
            actor=author,
            statement=create_joint_statement(
                actor=author, process=process, title=f"Text {i}", body="b"
            ),
            deadline=timezone.now() + timedelta(days=2),
        )
        publish_linked_statement(
            actor=answerer, responds_to=statement, relation=Relation.DISSENT, title="No", body="n"
        )


def test_the_list_reads_the_same_number_of_rows_for_two_statements_or_ten(
    client, process, participant, other_participant
):
    _statements_with_dissents(process, participant, other_participant, 2)
    client.get(url("list", process))

    with CaptureQueriesContext(connection) as two:
        client.get(url("list", process))
    _statements_with_dissents(process, participant, other_participant, 8)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url("list", process))

    assert page(response).count("Dissenting statement") == 10
    assert len(ten) == len(two)
