"""What joint statements add to other apps' pages: the process page, the feedback report, an
organisation's page and, for its facilitators only, a caucus's page. Each joint statement is shown
next to its dissenting and supplementary statements."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polyvox.caucuses.models import WorkingDraftRevision
from polyvox.joint_statements.models import JointStatement, Relation
from polyvox.joint_statements.services.drafting import (
    create_joint_statement,
    open_for_sign_on,
    publish_linked_statement,
)
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from polyvox.organisations.models import Organisation
from polyvox.participants.models import User
from polyvox.processes.models import Process
from tests.factories import (
    UserFactory,
    add_caucus_member,
    make_caucus,
    make_organisation,
    make_version,
)

pytestmark = pytest.mark.django_db


def page(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    """The page from `heading` on."""
    assert heading in html
    return html[html.index(heading) :]


@pytest.fixture
def rosa(db: None) -> User:
    return UserFactory(username="rosa", profile={"country": "BR"})


@pytest.fixture
def rhizomatica(rosa: User) -> Organisation:
    return make_organisation("Rhizomatica", admin=rosa)


@pytest.fixture
def opened(participant: User, process: Process) -> JointStatement:
    draft = create_joint_statement(
        actor=participant,
        process=process,
        title="Keep the internet open",
        body="We call for an open and interoperable internet, everywhere and for everyone.",
    )
    return open_for_sign_on(
        actor=participant, statement=draft, deadline=timezone.now() + timedelta(days=7)
    )


@pytest.fixture
def dissent(rosa: User, rhizomatica: Organisation, opened: JointStatement) -> JointStatement:
    return publish_linked_statement(
        actor=rosa,
        responds_to=opened,
        relation=Relation.DISSENT,
        title="Openness needs safeguards",
        body="We cannot sign without safeguards for users at risk.",
        organisation=rhizomatica,
    )


def test_the_process_page_counts_the_statements_and_shows_the_latest_with_their_dissents(
    client, process, opened, dissent, participant
):
    create_joint_statement(actor=participant, process=process, title="A second text", body="b")

    html = section(page(client.get(process.get_absolute_url())), "<h2>Joint statements</h2>")

    assert "2 joint statements" in html
    assert "Keep the internet open" in html
    assert "A second text" in html
    pair = html[html.index("Keep the internet open") :]
    assert "Openness needs safeguards" in pair
    assert reverse("joint_statements:list", kwargs={"slug": process.slug}) in html
    assert reverse("joint_statements:create", kwargs={"slug": process.slug}) not in html


def test_the_process_page_offers_drafting_to_those_taking_part(client, process, participant):
    client.force_login(participant)

    html = section(page(client.get(process.get_absolute_url())), "<h2>Joint statements</h2>")

    assert "0 joint statements" in html
    assert reverse("joint_statements:create", kwargs={"slug": process.slug}) in html


def test_the_feedback_report_shows_each_published_statement_beside_its_linked_ones(
    client, process, opened, dissent, participant, rosa, rhizomatica
):
    create_joint_statement(actor=participant, process=process, title="Still a draft", body="b")
    sign(actor=rosa, statement=opened, organisation=rhizomatica)
    version = make_version(process)
    report = reverse(
        "contributions:feedback_report",
        kwargs={"slug": process.slug, "draft": version.draft.slug, "number": version.number},
    )

    html = section(page(client.get(report)), "Joint statements and the statements linked to them")

    assert "Keep the internet open" in html
    assert "Still a draft" not in html
    pair = html[html.index("Keep the internet open") :]
    assert "Openness needs safeguards" in pair
    assert "Rhizomatica" in pair
    assert "We call for an open and interoperable internet" in pair  # an excerpt
    assert "Signatures of “Keep the internet open” by stakeholder group" in html
    assert "1 (1 organisations, 0 individuals)" in html


def test_an_organisations_page_lists_its_signatures_and_the_statements_it_published(
    client, opened, dissent, rosa, rhizomatica
):
    signature = sign(actor=rosa, statement=opened, organisation=rhizomatica)
    withdraw_signature(actor=rosa, signature=signature, reason="Board decision.")
    sign(actor=rosa, statement=opened, organisation=rhizomatica)

    html = page(client.get(rhizomatica.get_absolute_url()))

    signatures = section(html, "<h2>Signatures</h2>")
    assert "2 signatures of joint statements, withdrawn ones included." in signatures
    assert signatures.count("Keep the internet open") >= 2
    assert "Board decision." in signatures
    published = section(html, "<h2>Statements it published</h2>")
    assert "Openness needs safeguards" in published
    assert "in answer to “Keep the internet open”" in published


def test_a_merged_duplicates_signatures_show_on_the_surviving_organisations_page(
    client, opened, rosa, rhizomatica
):
    duplicate = make_organisation("Rhizomatica AC", admin=rosa)
    sign(actor=rosa, statement=opened, organisation=duplicate)
    Organisation.objects.filter(pk=duplicate.pk).update(
        merged_into=rhizomatica, merged_at=timezone.now()
    )

    html = section(page(client.get(rhizomatica.get_absolute_url())), "<h2>Signatures</h2>")

    assert "1 signature of a joint statement" in html


@pytest.fixture
def caucus(process, rosa):
    caucus = make_caucus(process, rosa)
    WorkingDraftRevision.objects.create(
        caucus=caucus, number=1, title="Our view", body="Our text.", author=rosa
    )
    return caucus


def test_a_facilitator_sees_the_form_to_publish_the_working_draft(client, caucus, rosa):
    client.force_login(rosa)

    html = page(client.get(caucus.get_absolute_url()))

    form = section(html, "Publish the working draft as a joint statement")
    target = reverse(
        "joint_statements:publish_from_caucus",
        kwargs={"slug": caucus.process.slug, "caucus": caucus.slug},
    )
    assert f'action="{target}"' in form
    assert 'type="datetime-local"' in form


def test_the_form_posted_from_the_caucus_page_publishes_the_draft(
    client, caucus, rosa, rhizomatica
):
    client.force_login(rosa)
    deadline = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    target = reverse(
        "joint_statements:publish_from_caucus",
        kwargs={"slug": caucus.process.slug, "caucus": caucus.slug},
    )

    client.post(target, {"deadline": deadline, "organisation": rhizomatica.pk})

    statement = JointStatement.objects.get(caucus=caucus)
    assert statement.title == "Our view"
    html = section(page(client.get(caucus.get_absolute_url())), "Already published")
    assert "Our view" in html


def test_a_member_who_is_not_a_facilitator_does_not_see_the_form(client, caucus, other_participant):
    add_caucus_member(caucus, other_participant)
    client.force_login(other_participant)

    html = page(client.get(caucus.get_absolute_url()))

    assert "Publish the working draft as a joint statement" not in html


def test_a_visitor_does_not_see_the_form(client, caucus):
    response = client.get(caucus.get_absolute_url())

    assert "Publish the working draft as a joint statement" not in response.content.decode()


def test_the_feedback_report_download_and_api_carry_each_statement_beside_its_dissent(
    client, process, opened, dissent, participant, rosa, rhizomatica
):
    create_joint_statement(actor=participant, process=process, title="Still a draft", body="b")
    sign(actor=rosa, statement=opened, organisation=rhizomatica)
    version = make_version(process)
    names = {"slug": process.slug, "draft": version.draft.slug, "number": version.number}
    download = client.get(reverse("contributions:feedback_report_json", kwargs=names))
    answer = client.get(
        f"/api/v1/processes/{process.slug}/drafts/{version.draft.slug}/versions/"
        f"{version.number}/feedback"
    )

    for data in (json.loads(b"".join(download.streaming_content)), answer.json()):
        [reported] = data["joint_statements"]
        assert reported["title"] == "Keep the internet open"
        assert reported["counts"]["total"] == 1
        assert reported["counts"]["by_stakeholder_group"][0]["count"] == 1
        [linked] = reported["linked_statements"]
        assert (linked["relation"], linked["title"]) == ("dissent", dissent.title)
        assert linked["organisation"] == {"name": "Rhizomatica", "slug": rhizomatica.slug}
