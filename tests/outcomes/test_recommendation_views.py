"""Recommendation pages: the list, adding and editing (secretariat), one recommendation's page as
a visitor, a participant, the secretariat and the chair see it, and the process page's section.

A form with errors answers 200 with its message; who may not act gets the 403 page with the
reason; a recommendation that is not there is a 404.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polyvox.drafts.models import DraftVersion
from polyvox.outcomes.models import Designation, Recommendation, RecommendationRevision
from polyvox.outcomes.services.designations import propose_designation
from polyvox.participants.models import User
from polyvox.processes.models import ParticipationPolicy, Process
from polyvox.statements.models import StatementStatus
from tests.factories import UserFactory, make_recommendation, make_statement, make_version

pytestmark = pytest.mark.django_db


def url(name: str, process: Process, **kwargs: object) -> str:
    return reverse(f"outcomes:{name}", kwargs={"slug": process.slug, **kwargs})


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The list ------------------------------------------------------------------------------------


def test_the_list_numbers_recommendations_with_their_designation_and_decision_state(
    client: Client, process: Process, recommendation: Recommendation, proposal: Designation
) -> None:
    second = make_recommendation(process, "Fund remote participation hubs")
    response = client.get(url("list", process))
    assert response.status_code == 200
    html = page(response)
    assert html.index(recommendation.title) < html.index(second.title)
    assert "Proposed: Consensus" in html
    assert "objections open until" in html
    assert "Not designated yet" in html
    assert "Not declared" in html
    assert url("document", process) in html
    assert "Add a recommendation" not in html


def test_the_secretariat_is_offered_to_add_one(process: Process, secretariat: User) -> None:
    html = page(signed_in(secretariat).get(url("list", process)))
    assert "Add a recommendation" in html
    assert url("create", process) in html


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    client: Client, process: Process, chair: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("list", process)).status_code == 200
        return len(captured)

    make_recommendation(process, "One")
    few = queries()
    for n in range(6):
        made = make_recommendation(process, f"More {n}")
        propose_designation(actor=chair, recommendation=made, level="consensus", rationale="Why.")
    assert queries() == few


def test_an_invitation_only_process_is_read_as_access_process_decides(
    client: Client, process: Process, recommendation: Recommendation
) -> None:
    """Every process is public to read (`processes.selectors.access_process`); taking part is
    what an invitation decides (see the objection tests)."""
    Process.objects.filter(pk=process.pk).update(participation_policy=ParticipationPolicy.INVITED)
    response = client.get(url("list", process))
    assert response.status_code == 200
    assert recommendation.title in page(response)


# Adding and editing --------------------------------------------------------------------------


def test_the_secretariat_adds_a_recommendation_linked_to_sections_and_statements(
    process: Process, secretariat: User, version: DraftVersion
) -> None:
    scope = version.sections.get(anchor="scope")
    statement = make_statement(process, "Drafts should be translated.")
    statement.status = StatementStatus.ACCEPTED
    statement.save()
    client = signed_in(secretariat)
    form = page(client.get(url("create", process)))
    assert "Draft principles v1 § scope" in form  # offered by anchor, from the latest version
    response = client.post(
        url("create", process),
        {
            "title": "Translate every draft",
            "text": "Into the six UN languages.",
            "sections": [scope.pk],
            "statements": f"{statement.pk}",
        },
    )
    recommendation = Recommendation.objects.get(process=process)
    assert response.status_code == 302
    assert response["Location"] == recommendation.get_absolute_url()
    assert list(recommendation.sections.all()) == [scope]
    assert list(recommendation.statements.all()) == [statement]
    detail = page(signed_in(secretariat).get(recommendation.get_absolute_url()))
    assert "Translate every draft" in detail
    assert scope.get_absolute_url() in detail


def test_only_sections_of_the_latest_version_are_offered(
    process: Process, secretariat: User, version: DraftVersion
) -> None:
    make_version(process, number=2, anchors=("scope", "languages"))
    html = page(signed_in(secretariat).get(url("create", process)))
    assert "Draft principles v2 § languages" in html
    assert "Draft principles v1 § scope" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "text": "Text."}, "This field is required."),
        ({"title": "A title", "text": "Text.", "statements": "12x"}, "is not a statement number"),
        ({"title": "A title", "text": "Text.", "statements": "999999"}, "There is no statement"),
        ({"title": "A title", "text": "Text.", "sections": ["999999"]}, "That section is not in"),
    ],
)
def test_a_form_with_errors_answers_200_with_the_message(
    process: Process, secretariat: User, data: dict[str, object], message: str
) -> None:
    response = signed_in(secretariat).post(url("create", process), data)
    assert response.status_code == 200
    assert message in page(response)
    assert not Recommendation.objects.filter(process=process).exists()


def test_a_nul_character_is_refused_with_a_message_not_a_500(
    process: Process, secretariat: User
) -> None:
    response = signed_in(secretariat).post(
        url("create", process), {"title": "A title", "text": "Bad\x00text"}
    )
    assert response.status_code == 200
    assert not Recommendation.objects.filter(process=process).exists()


def test_a_statement_of_another_process_is_refused_on_the_form(
    process: Process, secretariat: User
) -> None:
    other = make_statement(
        Process.objects.create(slug="elsewhere", title="Elsewhere", created_by=secretariat),
        "Elsewhere.",
    )
    response = signed_in(secretariat).post(
        url("create", process), {"title": "A title", "text": "Text.", "statements": str(other.pk)}
    )
    assert response.status_code == 200
    assert not Recommendation.objects.filter(process=process).exists()


def test_a_participant_cannot_add_or_edit(
    process: Process, participant: User, recommendation: Recommendation
) -> None:
    client = signed_in(participant)
    assert client.get(url("create", process)).status_code == 403
    response = client.post(url("create", process), {"title": "Mine", "text": "Mine."})
    assert response.status_code == 403
    assert "Only the secretariat" in page(response)
    edit = url("edit", process, number=recommendation.number)
    assert client.post(edit, {"title": "Changed", "text": "Changed."}).status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.title != "Changed"


def test_a_visitor_is_sent_to_log_in(client: Client, process: Process) -> None:
    response = client.get(url("create", process))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_secretariat_edits_and_the_earlier_text_is_kept(
    process: Process, secretariat: User, recommendation: Recommendation
) -> None:
    before = recommendation.title
    client = signed_in(secretariat)
    edit = url("edit", process, number=recommendation.number)
    assert before in page(client.get(edit))
    response = client.post(edit, {"title": "Publish drafts in all languages", "text": "Soon."})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.title == "Publish drafts in all languages"
    assert RecommendationRevision.objects.get(recommendation=recommendation).title == before


def test_editing_while_a_designation_is_proposed_is_refused_with_a_message(
    process: Process, secretariat: User, recommendation: Recommendation, proposal: Designation
) -> None:
    response = signed_in(secretariat).post(
        url("edit", process, number=recommendation.number), {"title": "Changed", "text": "X."}
    )
    assert response.status_code == 200
    assert 'role="alert"' in page(response)
    recommendation.refresh_from_db()
    assert recommendation.title != "Changed"


# One recommendation's page -------------------------------------------------------------------


def test_a_visitor_reads_the_text_sections_designation_evidence_and_decision_panel(
    client: Client, process: Process, recommendation: Recommendation, proposal: Designation
) -> None:
    response = client.get(recommendation.get_absolute_url())
    assert response.status_code == 200
    html = page(response)
    assert recommendation.title in html
    assert "Draft principles v1 § scope" in html
    assert "Consensus designation" in html
    assert proposal.rationale in html
    assert "Objections open until" in html
    assert "Log in to object" in html
    assert "<caption>" in html  # the evidence panel's tables
    assert "Edit the recommendation" not in html
    assert "Propose a designation" not in html


def test_the_evidence_panel_counts_positions_by_group_and_region(
    client: Client, process: Process, recommendation: Recommendation, chair: User
) -> None:
    from polyvox.outcomes.models import Position

    amina = UserFactory(
        username="amina2", profile={"stakeholder_group": "civil_society", "country": "KE"}
    )
    Position.objects.create(
        recommendation=recommendation,
        author=amina,
        position="support",
        updated_at=recommendation.created_at,
    )
    html = page(client.get(recommendation.get_absolute_url()))
    assert "Positions by stakeholder group" in html
    assert "Civil society" in html
    assert "Positions by region" in html
    assert "Africa" in html
    assert "amina2" not in html.lower()  # the evidence has no names


def test_a_missing_recommendation_is_a_404(client: Client, process: Process) -> None:
    assert client.get(url("recommendation", process, number=99)).status_code == 404


def test_the_secretariat_sees_the_edit_link(
    process: Process, secretariat: User, recommendation: Recommendation
) -> None:
    html = page(signed_in(secretariat).get(recommendation.get_absolute_url()))
    assert url("edit", process, number=recommendation.number) in html


def test_the_chair_is_offered_to_propose_then_waits_for_objections_to_close(
    process: Process, chair: User, recommendation: Recommendation
) -> None:
    client = signed_in(chair)
    html = page(client.get(recommendation.get_absolute_url()))
    assert url("propose", process, number=recommendation.number) in html
    propose_designation(
        actor=chair, recommendation=recommendation, level="consensus", rationale="Most agree."
    )
    html = page(client.get(recommendation.get_absolute_url()))
    assert url("propose", process, number=recommendation.number) not in html
    assert url("finalise", process, number=recommendation.number) not in html
    assert "once objections close" in html


def test_a_participant_sees_the_objection_form(
    process: Process, participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    html = page(signed_in(participant).get(recommendation.get_absolute_url()))
    assert url("object", process, number=recommendation.number) in html
    assert "Your objection and its reasons" in html
    assert url("propose", process, number=recommendation.number) not in html


# The process page ----------------------------------------------------------------------------


def test_the_process_page_counts_recommendations_and_links_to_them(
    client: Client, process: Process, recommendation: Recommendation, proposal: Designation
) -> None:
    html = page(client.get(process.get_absolute_url()))
    assert "Outcomes" in html
    assert "1 recommendation" in html
    assert "1 with a designation proposed" in html
    assert url("list", process) in html
    assert url("document", process) in html


def test_the_process_page_says_nothing_of_outcomes_before_there_are_any(
    client: Client, process: Process
) -> None:
    html = page(client.get(process.get_absolute_url()))
    assert url("list", process) not in html
