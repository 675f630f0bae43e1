"""Submissions have one way in, the intake: the contributions API refuses them and says where to go."""

from polyvox.campaigns.models import SubmissionIntake
from polyvox.contributions.models import Contribution


def test_the_contributions_api_refuses_a_submission_with_422_naming_the_submissions_endpoint(
    client, open_phase, participant
):
    slug = open_phase.process.slug
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{slug}/contributions",
        {"kind": "submission", "text": "Our position paper."},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert f"/api/v1/processes/{slug}/submissions" in response.json()["fields"]["kind"][0]
    assert Contribution.objects.count() == 0


def test_the_submissions_endpoint_takes_the_same_text_through_the_intake(
    client, open_phase, participant
):
    slug = open_phase.process.slug
    client.force_login(participant)

    response = client.post(
        f"/api/v1/processes/{slug}/submissions",
        {"text": "Our position paper."},
        content_type="application/json",
        headers={"Idempotency-Key": "paper-1"},
    )

    assert response.status_code == 201
    intake = SubmissionIntake.objects.get()
    assert (intake.source, intake.idempotency_key) == ("api", "paper-1")
    assert intake.contribution.tracking_number == response.json()["tracking_number"]
