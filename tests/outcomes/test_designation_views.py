"""Designation pages: the chair proposes and finalises beside the evidence; participants object
and withdraw; the final designation shows the minority views verbatim.

Times: the views read the real clock, so a window "closes" by moving the proposal's
`objections_close_at` into the past (never a sleep).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polyvox.outcomes.models import Designation, MinorityView, Objection, Recommendation, Stage
from polyvox.outcomes.services.designations import object_to
from polyvox.participants.models import User
from polyvox.processes.models import ParticipationPolicy, Process
from tests.factories import UserFactory, make_organisation

pytestmark = pytest.mark.django_db

ARABIC = "نعترض: التوافق لم يتحقق، والقطاع الخاص لم يُستشر."


def url(name: str, recommendation: Recommendation, **kwargs: object) -> str:
    kwargs = kwargs or {"number": recommendation.number}
    return reverse(f"outcomes:{name}", kwargs={"slug": recommendation.process.slug, **kwargs})


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def close_objections(designation: Designation) -> None:
    Designation.objects.filter(pk=designation.pk).update(
        objections_close_at=timezone.now() - timedelta(minutes=1)
    )
    designation.refresh_from_db()


# Proposing -----------------------------------------------------------------------------------


def test_the_chair_proposes_beside_the_evidence(
    chair: User, recommendation: Recommendation
) -> None:
    client = signed_in(chair)
    form = page(client.get(url("propose", recommendation)))
    assert "Evidence" in form
    assert "Full consensus" in form
    assert "for 7 days" in form
    response = client.post(
        url("propose", recommendation), {"level": "strong_support", "rationale": "Two groups."}
    )
    assert response.status_code == 302
    proposal = Designation.objects.get(recommendation=recommendation)
    assert (proposal.stage, proposal.level) == (Stage.PROPOSED, "strong_support")
    html = page(client.get(recommendation.get_absolute_url()))
    assert "Strong support but significant opposition" in html
    assert "Designation proposed. Participants may object until" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "consensus", "rationale": ""}, "This field is required."),
        ({"level": "unanimous", "rationale": "Why."}, "Select a valid choice"),
        ({"level": "consensus", "rationale": "Nul\x00here"}, "Null characters are not allowed."),
    ],
)
def test_a_proposal_with_errors_answers_200_with_the_message(
    chair: User, recommendation: Recommendation, data: dict[str, str], message: str
) -> None:
    response = signed_in(chair).post(url("propose", recommendation), data)
    assert response.status_code == 200
    assert message in page(response)
    assert not Designation.objects.exists()


def test_a_second_proposal_while_one_is_open_is_refused_with_a_message(
    chair: User, recommendation: Recommendation, proposal: Designation
) -> None:
    response = signed_in(chair).post(
        url("propose", recommendation), {"level": "divergence", "rationale": "Changed my mind."}
    )
    assert response.status_code == 200
    assert "already proposed" in page(response)
    assert Designation.objects.count() == 1


@pytest.mark.parametrize("who", ["participant", "secretariat"])
def test_only_the_chair_may_propose_or_finalise(
    request: pytest.FixtureRequest, who: str, recommendation: Recommendation, proposal: Designation
) -> None:
    user = request.getfixturevalue(who)
    client = signed_in(user)
    close_objections(proposal)
    for name in ("propose", "finalise"):
        assert client.get(url(name, recommendation)).status_code == 403
        response = client.post(url(name, recommendation), {"level": "consensus", "rationale": "X"})
        assert response.status_code == 403
        assert "Only the chair" in page(response)
    assert Designation.objects.count() == 1


def test_a_visitor_is_sent_to_log_in(client: Client, recommendation: Recommendation) -> None:
    response = client.get(url("propose", recommendation))
    assert response.status_code == 302
    assert "/login" in response["Location"]


# Objecting -----------------------------------------------------------------------------------


def test_a_participant_objects_and_the_objection_is_public(
    client: Client, participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    response = signed_in(participant).post(url("object", recommendation), {"reason": ARABIC})
    assert response.status_code == 302
    objection = Objection.objects.get(designation=proposal)
    assert (objection.author, objection.reason) == (participant, ARABIC)
    html = page(client.get(recommendation.get_absolute_url()))
    assert ARABIC in html
    assert "1 objection stands." in html


def test_an_objection_on_behalf_of_an_organisation(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    rhizomatica = make_organisation("Rhizomatica", admin=participant)
    client = signed_in(participant)
    assert "Rhizomatica" in page(client.get(recommendation.get_absolute_url()))
    client.post(url("object", recommendation), {"reason": "No.", "organisation": rhizomatica.pk})
    assert Objection.objects.get().organisation == rhizomatica
    assert "Amina, on behalf of Rhizomatica" in page(client.get(recommendation.get_absolute_url()))


def test_speaking_for_an_organisation_one_does_not_represent_is_refused(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    other = make_organisation("Other body")
    response = signed_in(participant).post(
        url("object", recommendation), {"reason": "No.", "organisation": other.pk}
    )
    assert response.status_code == 403
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "This field is required."),
        ("x" * 5001, "at most 5000"),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_an_objection_with_errors_answers_200_with_the_message(
    participant: User,
    recommendation: Recommendation,
    proposal: Designation,
    reason: str,
    message: str,
) -> None:
    response = signed_in(participant).post(url("object", recommendation), {"reason": reason})
    assert response.status_code == 200
    assert message in page(response)
    assert not Objection.objects.exists()


def test_a_second_objection_is_refused_with_a_message(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    client = signed_in(participant)
    client.post(url("object", recommendation), {"reason": "First."})
    response = client.post(url("object", recommendation), {"reason": "Second."})
    assert response.status_code == 200
    assert "already objected" in page(response)
    assert Objection.objects.count() == 1


def test_an_objection_after_the_window_gets_a_message_and_nothing_is_saved(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    close_objections(proposal)
    client = signed_in(participant)
    assert "Your objection and its reasons" not in page(
        client.get(recommendation.get_absolute_url())
    )
    response = client.post(url("object", recommendation), {"reason": "Too late?"})
    assert response.status_code == 200
    html = page(response)
    assert "Objections closed on" in html
    assert "Nothing was saved." in html
    assert not Objection.objects.exists()


def test_someone_not_invited_cannot_object_to_an_invitation_only_process(
    process: Process, participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    Process.objects.filter(pk=process.pk).update(participation_policy=ParticipationPolicy.INVITED)
    client = signed_in(participant)
    html = page(client.get(recommendation.get_absolute_url()))
    assert "Only those taking part in this process may object." in html
    response = client.post(url("object", recommendation), {"reason": "Let me in."})
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_objecting_answers_only_post_and_needs_a_proposal(
    participant: User, recommendation: Recommendation
) -> None:
    client = signed_in(participant)
    assert client.get(url("object", recommendation)).status_code == 405
    assert client.post(url("object", recommendation), {"reason": "No."}).status_code == 404


# Withdrawing ---------------------------------------------------------------------------------


def test_the_author_withdraws_an_objection_while_they_are_open(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    objection = object_to(actor=participant, designation=proposal, reason="On reflection, no.")
    client = signed_in(participant)
    withdraw = url("withdraw_objection", recommendation, objection_id=objection.pk)
    assert withdraw in page(client.get(recommendation.get_absolute_url()))
    response = client.post(withdraw)
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.withdrawn_at is not None
    html = page(client.get(recommendation.get_absolute_url()))
    assert "You withdrew your objection." in html
    assert "0 objections stand." in html


def test_someone_else_cannot_withdraw_it(
    participant: User,
    other_participant: User,
    recommendation: Recommendation,
    proposal: Designation,
) -> None:
    objection = object_to(actor=participant, designation=proposal, reason="Mine.")
    response = signed_in(other_participant).post(
        url("withdraw_objection", recommendation, objection_id=objection.pk)
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.withdrawn_at is None


def test_withdrawing_after_the_window_gets_a_message(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    objection = object_to(actor=participant, designation=proposal, reason="Mine.")
    close_objections(proposal)
    response = signed_in(participant).post(
        url("withdraw_objection", recommendation, objection_id=objection.pk)
    )
    assert response.status_code == 200
    assert "Objections are closed" in page(response)
    objection.refresh_from_db()
    assert objection.withdrawn_at is None


def test_an_objection_of_another_process_is_a_404(
    participant: User, recommendation: Recommendation, proposal: Designation
) -> None:
    objection = object_to(actor=participant, designation=proposal, reason="Mine.")
    other = Process.objects.create(slug="other", title="Other", created_by=participant)
    response = signed_in(participant).post(
        reverse(
            "outcomes:withdraw_objection", kwargs={"slug": other.slug, "objection_id": objection.pk}
        )
    )
    assert response.status_code == 404


# Finalising ----------------------------------------------------------------------------------


def test_the_chair_cannot_finalise_while_objections_are_open(
    chair: User, recommendation: Recommendation, proposal: Designation
) -> None:
    client = signed_in(chair)
    assert "Objections are open until" in page(client.get(url("finalise", recommendation)))
    response = client.post(url("finalise", recommendation), {"level": "consensus"})
    assert response.status_code == 200
    assert "can be made final after that" in page(response)
    assert not Designation.objects.filter(stage=Stage.FINAL).exists()


def test_finalising_without_a_proposal_is_a_404(
    chair: User, recommendation: Recommendation
) -> None:
    assert signed_in(chair).get(url("finalise", recommendation)).status_code == 404


def test_a_revision_without_a_rationale_answers_200_with_the_message(
    chair: User, recommendation: Recommendation, proposal: Designation
) -> None:
    close_objections(proposal)
    response = signed_in(chair).post(
        url("finalise", recommendation), {"level": "divergence", "rationale": ""}
    )
    assert response.status_code == 200
    assert 'role="alert"' in page(response)
    assert not Designation.objects.filter(stage=Stage.FINAL).exists()


def test_the_minority_view_is_published_verbatim_with_the_final_designation(
    client: Client,
    chair: User,
    participant: User,
    other_participant: User,
    recommendation: Recommendation,
    proposal: Designation,
) -> None:
    """A participant objects; the chair revises; the page shows the objection verbatim as a
    minority view, next to "revised from"."""
    signed_in(participant).post(url("object", recommendation), {"reason": ARABIC})
    withdrawn = object_to(actor=other_participant, designation=proposal, reason="Withdrawn one.")
    signed_in(other_participant).post(
        url("withdraw_objection", recommendation, objection_id=withdrawn.pk)
    )
    close_objections(proposal)
    chair_client = signed_in(chair)
    form = page(chair_client.get(url("finalise", recommendation)))
    assert ARABIC in form
    assert "Withdrawn one." not in form
    response = chair_client.post(
        url("finalise", recommendation),
        {"level": "strong_support", "rationale": "The objection shows significant opposition."},
    )
    assert response.status_code == 302
    final = Designation.objects.get(stage=Stage.FINAL)
    assert [view.text for view in MinorityView.objects.filter(designation=final)] == [ARABIC]
    html = page(client.get(recommendation.get_absolute_url()))
    assert "Strong support but significant opposition" in html
    assert "revised from “Consensus”" in html
    assert "Minority views" in html
    assert ARABIC in html
    assert "Withdrawn one." not in html
    assert "Your objection and its reasons" not in html
    assert chair_client.get(url("finalise", recommendation)).status_code == 302  # final already


def test_a_confirmed_designation_says_so(
    client: Client, chair: User, recommendation: Recommendation, proposal: Designation
) -> None:
    close_objections(proposal)
    signed_in(chair).post(url("finalise", recommendation), {"level": "consensus"})
    html = page(client.get(recommendation.get_absolute_url()))
    assert "confirmed as proposed" in html
    assert "No objection stood when the designation was made final." in html


def test_many_objections_are_paginated(
    client: Client, recommendation: Recommendation, proposal: Designation
) -> None:
    for n in range(55):
        object_to(
            actor=UserFactory(username=f"objector{n}"), designation=proposal, reason=f"Reason {n}."
        )
    first = page(client.get(recommendation.get_absolute_url()))
    assert "Reason 0." in first
    assert "Reason 54." not in first
    assert "Page 1 of 2" in first
    second = page(client.get(recommendation.get_absolute_url() + "?page=2"))
    assert "Reason 54." in second
