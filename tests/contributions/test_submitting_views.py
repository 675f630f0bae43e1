"""Submitting through the pages, without JavaScript: POST, redirect, receipt; errors on the form."""

from django.urls import reverse

from polyvox.campaigns.models import SubmissionIntake
from polyvox.contributions.models import Contribution
from tests.factories import close_phase, submit_comment
from tests.factories import contribution_url as url


def test_commenting_on_a_section_redirects_to_a_receipt_showing_the_tracking_number(
    client, open_phase, participant, section
):
    client.force_login(participant)

    response = client.post(
        url("comment", open_phase.process, section_id=section.pk),
        {"body": "Spectrum please."},
        follow=True,
    )

    contribution = Contribution.objects.get()
    assert response.redirect_chain == [
        (url("receipt", open_phase.process, tracking_number=contribution.tracking_number), 302)
    ]
    assert contribution.tracking_number in response.content.decode()
    assert (contribution.section, contribution.body) == (section, "Spectrum please.")


def test_an_empty_comment_shows_the_error_on_the_form_and_saves_nothing(
    client, open_phase, participant, section
):
    client.force_login(participant)

    response = client.post(
        url("comment", open_phase.process, section_id=section.pk), {"body": "   "}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_comment_after_the_deadline_is_forbidden_with_the_reason(
    client, open_phase, participant, section
):
    close_phase(open_phase, days_ago=2)
    client.force_login(participant)

    page = client.get(url("comment", open_phase.process, section_id=section.pk))
    response = client.post(
        url("comment", open_phase.process, section_id=section.pk), {"body": "Late."}
    )

    assert "The deadline for this has passed" in page.content.decode()
    assert response.status_code == 403
    assert Contribution.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in_before_commenting(client, open_phase, section):
    response = client.post(
        url("comment", open_phase.process, section_id=section.pk), {"body": "Hi"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("participants:login"))
    assert Contribution.objects.count() == 0


def test_an_omission_form_anchors_to_the_section_given_in_the_link(
    client, open_phase, participant, version, section
):
    client.force_login(participant)
    create = (
        url("create", open_phase.process, kind="omission")
        + f"?version={version.pk}&section={section.pk}"
    )

    page = client.get(create)
    client.post(
        create, {"body": "Energy is missing.", "draft_version": version.pk, "section": section.pk}
    )

    assert page.status_code == 200
    assert (Contribution.objects.get().kind, Contribution.objects.get().section) == (
        "omission",
        section,
    )


def test_an_unknown_kind_of_contribution_is_not_found(client, open_phase, participant):
    client.force_login(participant)

    assert client.get(url("create", open_phase.process, kind="petition")).status_code == 404


def test_a_reply_is_threaded_under_its_parent_on_the_detail_page(
    client, open_phase, participant, other_participant, section
):
    parent = submit_comment(participant, section)
    client.force_login(other_participant)

    response = client.post(
        url("reply", open_phase.process, tracking_number=parent.tracking_number),
        {"body": "Operators agree, with conditions."},
        follow=True,
    )

    reply = Contribution.objects.get(parent=parent)
    assert response.redirect_chain[-1][0] == parent.get_absolute_url()
    assert '<div class="thread">' in response.content.decode()
    assert reply.tracking_number in response.content.decode()


def test_an_omission_without_a_draft_shows_a_readable_error(
    client, open_phase, participant, version
):
    client.force_login(participant)

    response = client.post(url("create", open_phase.process, kind="omission"), {"body": "Energy."})

    assert (
        "Say which draft (or which section of it) something is missing from."
        in response.content.decode()
    )
    assert Contribution.objects.count() == 0


def test_a_general_comment_from_the_web_form_has_no_intake(client, open_phase, participant):
    client.force_login(participant)

    client.post(url("create", open_phase.process, kind="general"), {"body": "A general point."})

    assert (Contribution.objects.count(), SubmissionIntake.objects.count()) == (1, 0)
