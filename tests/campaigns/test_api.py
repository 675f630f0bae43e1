"""Campaigns API: idempotent submissions, public campaign counts without names or domains."""

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Contribution
from tests.factories import send_submission


def _url(process, what):
    return f"/api/v1/processes/{process.slug}/{what}"


def test_a_retried_submission_with_the_same_key_returns_it_with_200(
    client, process, open_phase, participant
):
    client.force_login(participant)
    payload = {"text": "Please add a review clause."}

    first = client.post(
        _url(process, "submissions"), payload, content_type="application/json",
        headers={"Idempotency-Key": "retry-1"},
    )  # fmt: skip
    again = client.post(
        _url(process, "submissions"), payload, content_type="application/json",
        headers={"Idempotency-Key": "retry-1"},
    )  # fmt: skip

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert Contribution.objects.filter(process=process).count() == 1
    intake = Contribution.objects.get().intake
    assert (intake.source, intake.network, intake.email_domain) == (
        "api",
        "127.0.0.0/24",
        "example.org",
    )


def test_anonymous_callers_cannot_send_submissions(client, process, open_phase):
    response = client.post(
        _url(process, "submissions"), {"text": "Hi"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert Contribution.objects.count() == 0


def test_campaigns_are_public_counts_without_names_or_domains(
    client, process, open_phase, secretariat
):
    for name in ("olga", "pedro", "quinn"):
        send_submission(
            process, "Stop the data retention law.", name, email_domain="campaign-mailer.example"
        )
    detect_campaigns(actor=secretariat, process=process)

    response = client.get(_url(process, "campaigns"))

    assert response.status_code == 200
    [campaign] = response.json()
    assert (campaign["size"], campaign["template_text"]) == (3, "Stop the data retention law.")
    assert campaign["stakeholder_groups"] == [
        {"key": "civil_society", "label": "Civil society", "count": 3}
    ]
    assert campaign["regions"] == [{"key": "Africa", "label": "Africa", "count": 3}]
    assert "Olga" not in response.content.decode()
    assert "campaign-mailer" not in response.content.decode()
