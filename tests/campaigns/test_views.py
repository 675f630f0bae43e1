"""Campaign pages: public list and detail, secretariat actions without JS, signals for the secretariat only."""

from polyvox.campaigns.models import Campaign
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Disposition
from tests.factories import send_submission

LETTER = "Stop the data retention law. It harms journalists and their sources everywhere."


def _campaign(process, secretariat):
    texts = [LETTER, LETTER, f"{LETTER} My own newspaper lost two sources last year."]
    for i, text in enumerate(texts):
        send_submission(
            process, text, f"member{i}", email_domain="mailer.example", network="198.51.100.7"
        )
    return detect_campaigns(actor=secretariat, process=process)[0]


def test_the_public_campaign_page_shows_additions_but_no_domains_or_names(
    client, process, open_phase, secretariat
):
    _campaign(process, secretariat)

    response = client.get(f"/p/{process.slug}/campaigns/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "My own newspaper lost two sources last year" in page
    assert "mailer.example" not in page
    assert "198.51.100" not in page
    assert "Member1" not in page


def test_the_signals_page_is_forbidden_to_participants(client, process, open_phase, participant):
    client.force_login(participant)

    response = client.get(f"/p/{process.slug}/signals/")

    assert response.status_code == 403


def test_the_signals_page_shows_shared_domains_and_texts_to_the_secretariat(
    client, process, open_phase, secretariat
):
    for i in range(5):
        send_submission(process, "Same words.", f"s{i}", email_domain="mailer.example")
    client.force_login(secretariat)

    response = client.get(f"/p/{process.slug}/signals/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "mailer.example: 5" in page
    assert "5 submissions under 5 names" in page


def test_the_secretariat_answers_a_campaign_with_a_plain_form(
    client, process, open_phase, secretariat
):
    campaign = _campaign(process, secretariat)
    client.force_login(secretariat)

    response = client.post(
        f"/p/{process.slug}/campaigns/{campaign.pk}/answer/",
        {"outcome": "noted", "reason": "Covered in section 2."},
    )

    assert response.status_code == 302
    assert Disposition.objects.filter(outcome="noted").count() == 3


def test_a_participant_cannot_confirm_a_campaign(
    client, process, open_phase, secretariat, participant
):
    campaign = _campaign(process, secretariat)
    client.force_login(participant)

    response = client.post(f"/p/{process.slug}/campaigns/{campaign.pk}/confirm/")

    assert response.status_code == 403
    assert Campaign.objects.get().status == "detected"


def test_the_campaign_detail_page_renders_the_secretariat_forms(
    client, process, open_phase, secretariat
):
    campaign = _campaign(process, secretariat)
    client.force_login(secretariat)

    response = client.get(f"/p/{process.slug}/campaigns/{campaign.pk}/")

    assert response.status_code == 200
    assert b"Publish the answer to every member" in response.content
