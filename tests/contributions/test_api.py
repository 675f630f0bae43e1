"""The contributions API: public lists and reports, posting as a signed-in participant, one error shape."""

from polyvox.contributions.models import Contribution, Outcome
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.participants.models import Profile
from tests.factories import close_phase, submit_comment


def test_anonymous_callers_list_contributions_with_their_dispositions(
    client, open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Thanks."
    )

    response = client.get(f"/api/v1/processes/{open_phase.process.slug}/contributions")

    item = response.json()[0]
    assert (item["tracking_number"], item["section"], item["author"]) == (
        contribution.tracking_number,
        "scope",
        "Amina",
    )
    assert (item["disposition"]["outcome"], item["disposition"]["reason"]) == ("noted", "Thanks.")


def test_the_api_never_shows_private_profile_data(client, open_phase, participant, section):
    Profile.objects.filter(user=participant).update(gender="SENTINEL-GENDER")
    submit_comment(participant, section)

    body = client.get(f"/api/v1/processes/{open_phase.process.slug}/contributions").content.decode()

    assert ("amina@example.org" in body, "SENTINEL-GENDER" in body, "amina" in body) == (
        False,
        False,
        False,
    )


def test_the_feedback_report_is_readable_by_anyone(client, open_phase, participant, section):
    contribution = submit_comment(participant, section)

    response = client.get(
        f"/api/v1/processes/{open_phase.process.slug}/drafts/principles/versions/1/feedback"
    )

    data = response.json()
    assert response.status_code == 200
    assert [i["tracking_number"] for i in data["inputs"]] == [contribution.tracking_number]
    assert data["figures"]["overall"] == {
        "key": "all",
        "label": "All inputs",
        "answered": 0,
        "total": 1,
    }


def test_the_feedback_report_of_an_unknown_version_is_a_404_in_the_error_shape(
    client, open_phase, version
):
    response = client.get(
        f"/api/v1/processes/{open_phase.process.slug}/drafts/principles/versions/7/feedback"
    )

    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_a_signed_in_participant_posts_a_comment_on_a_section_by_anchor(
    client, open_phase, participant, section
):
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {
            "kind": "comment",
            "text": "Via the API.",
            "draft": "principles",
            "version": 1,
            "section": "scope",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert (
        response.json()["tracking_number"]
        == Contribution.objects.get(section=section).tracking_number
    )


def test_anonymous_callers_cannot_post(client, open_phase, section):
    response = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {"kind": "general", "text": "Hi"},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert Contribution.objects.count() == 0


def test_invalid_input_comes_back_in_the_one_error_shape_and_saves_nothing(
    client, open_phase, participant
):
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {"kind": "comment", "text": "No section."},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid input.",
        "fields": {"section": ["Choose the section you are commenting on."]},
    }
    assert Contribution.objects.count() == 0


def test_posting_after_the_deadline_is_a_403_with_the_reason(
    client, open_phase, participant, section
):
    close_phase(open_phase, days_ago=2)
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{open_phase.process.slug}/contributions",
        {"kind": "general", "text": "Late."},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["error"].startswith("The deadline for this has passed")
    assert Contribution.objects.count() == 0


def test_every_contributions_operation_has_a_summary(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    operations = [
        op
        for path, item in schema["paths"].items()
        if "contributions" in path or "feedback" in path
        for op in item.values()
    ]

    assert len(operations) == 3
    assert all(op.get("summary") for op in operations)
