"""The submission page (the intake's web form): without JavaScript, with attachments and signals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polyvox.campaigns.models import SubmissionIntake
from polyvox.contributions.models import Contribution
from tests.factories import MINIMAL_PDF, make_version


def submit_url(process):
    return reverse("campaigns:submit", kwargs={"slug": process.slug})


@pytest.fixture
def version(process):
    return make_version(process)


def test_a_submission_with_a_pdf_is_accepted_through_the_form(
    client, open_phase, participant, version
):
    client.force_login(participant)

    client.post(
        submit_url(open_phase.process),
        {"body": "Our paper.", "draft_version": version.pk,
         "attachment": SimpleUploadedFile("paper.pdf", MINIMAL_PDF)},
    )  # fmt: skip

    assert Contribution.objects.get().attachment_type == "application/pdf"


def test_a_submission_with_a_renamed_image_shows_the_error_on_the_attachment_field(
    client, open_phase, participant, version
):
    client.force_login(participant)

    response = client.post(
        submit_url(open_phase.process),
        {"body": "Our paper.", "attachment": SimpleUploadedFile("paper.pdf", b"\x89PNG\r\n\x1a\n")},
    )

    assert (
        "This file is not one of the accepted types (PDF, ODT, DOCX, TXT)."
        in response.content.decode()
    )
    assert Contribution.objects.count() == 0


def test_a_web_form_submission_goes_through_intake_with_its_domain_and_network_block(
    client, open_phase, participant, version
):
    client.force_login(participant)

    response = client.post(
        submit_url(open_phase.process),
        {"title": "Open internet", "body": "Keep it open.", "draft_version": version.pk},
        REMOTE_ADDR="203.0.113.77",
    )

    intake = SubmissionIntake.objects.select_related("contribution").get()
    assert response.status_code == 302
    assert (intake.source, intake.email_domain, intake.network) == (
        "web",
        "example.org",
        "203.0.113.0/24",
    )
    assert (intake.contribution.title, intake.contribution.draft_version) == (
        "Open internet",
        version,
    )


def test_an_empty_web_form_submission_is_rejected_and_no_intake_is_written(
    client, open_phase, participant
):
    client.force_login(participant)

    response = client.post(submit_url(open_phase.process), {"body": " "})

    assert response.status_code == 200
    assert (Contribution.objects.count(), SubmissionIntake.objects.count()) == (0, 0)


def test_the_old_contribution_form_no_longer_takes_submissions(client, open_phase, participant):
    client.force_login(participant)
    old = reverse(
        "contributions:create", kwargs={"slug": open_phase.process.slug, "kind": "submission"}
    )

    assert client.post(old, {"body": "Our paper."}).status_code == 404
    assert Contribution.objects.count() == 0


def test_the_process_page_links_to_the_submission_page_while_submissions_are_open(
    client, open_phase, participant
):
    client.force_login(participant)

    response = client.get(open_phase.process.get_absolute_url())

    assert submit_url(open_phase.process) in response.content.decode()
