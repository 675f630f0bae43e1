"""Contribution pages work without JavaScript: POST, redirect, GET; 403 and 404 where they should."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from polyvox.campaigns.models import SubmissionIntake
from polyvox.campaigns.services import answer_campaign, detect_campaigns
from polyvox.contributions.models import Contribution, Disposition, Outcome
from polyvox.contributions.services import record_disposition, submit_contribution
from tests.contributions.factories import make_version
from tests.contributions.test_attachments import MINIMAL_PDF


def url(name, process, **kwargs):
    return reverse(f"contributions:{name}", kwargs={"slug": process.slug, **kwargs})


def posted(author, section, body="Spectrum for community networks."):
    return submit_contribution(
        author=author,
        process=section.version.draft.process,
        kind="comment",
        body=body,
        section=section,
    )


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
    open_phase.starts_at = timezone.now() - timedelta(days=9)
    open_phase.ends_at = timezone.now() - timedelta(days=2)
    open_phase.save()
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


def test_a_submission_with_a_pdf_is_accepted_through_the_form(
    client, open_phase, participant, version
):
    client.force_login(participant)

    client.post(
        url("create", open_phase.process, kind="submission"),
        {"body": "Our paper.", "draft_version": version.pk,
         "attachment": SimpleUploadedFile("paper.pdf", MINIMAL_PDF)},
    )  # fmt: skip

    assert Contribution.objects.get().attachment_type == "application/pdf"


def test_a_submission_with_a_renamed_image_shows_the_error_on_the_attachment_field(
    client, open_phase, participant, version
):
    client.force_login(participant)

    response = client.post(
        url("create", open_phase.process, kind="submission"),
        {"body": "Our paper.", "attachment": SimpleUploadedFile("paper.pdf", b"\x89PNG\r\n\x1a\n")},
    )

    assert (
        "This file is not one of the accepted types (PDF, ODT, DOCX, TXT)."
        in response.content.decode()
    )
    assert Contribution.objects.count() == 0


def test_an_unknown_kind_of_contribution_is_not_found(client, open_phase, participant):
    client.force_login(participant)

    assert client.get(url("create", open_phase.process, kind="petition")).status_code == 404


def test_a_reply_is_threaded_under_its_parent_on_the_detail_page(
    client, open_phase, participant, other_participant, section
):
    parent = posted(participant, section)
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


def test_editing_shows_the_revision_history_on_the_detail_page(
    client, open_phase, participant, section
):
    contribution = posted(participant, section, body="First text.")
    client.force_login(participant)

    response = client.post(
        url("edit", open_phase.process, tracking_number=contribution.tracking_number),
        {"body": "Second text.", "title": ""},
        follow=True,
    )

    content = response.content.decode()
    assert ("Revision history" in content, "First text." in content, "Second text." in content) == (
        True,
        True,
        True,
    )


def test_someone_else_cannot_edit_through_the_page(
    client, open_phase, participant, other_participant, section
):
    contribution = posted(participant, section, body="First text.")
    client.force_login(other_participant)

    response = client.post(
        url("edit", open_phase.process, tracking_number=contribution.tracking_number),
        {"body": "Mine now."},
    )

    assert response.status_code == 403
    assert Contribution.objects.get().body == "First text."


def test_the_workbench_is_for_the_secretariat_only(client, open_phase, participant):
    client.force_login(participant)

    assert client.get(url("workbench", open_phase.process)).status_code == 403


def test_the_workbench_filters_unanswered_inputs_by_stakeholder_group(
    client, open_phase, participant, other_participant, secretariat, section
):
    answered = posted(participant, section)
    record_disposition(
        actor=secretariat, contribution=answered, outcome=Outcome.NOTED, reason="Thanks."
    )
    waiting = posted(participant, section)
    business = posted(other_participant, section)
    client.force_login(secretariat)

    response = client.get(
        url("workbench", open_phase.process),
        {"answered": "no", "stakeholder_group": "civil_society"},
    )

    assert [c.tracking_number for c in response.context["contributions"]] == [
        waiting.tracking_number
    ]
    assert business.tracking_number not in response.content.decode()


def test_the_secretariat_answers_from_a_page_showing_the_thread_and_the_section(
    client, open_phase, participant, secretariat, section
):
    contribution = posted(participant, section)
    v2 = make_version(open_phase.process, number=2, draft=section.version.draft)
    changed = v2.sections.get(anchor="scope")
    client.force_login(secretariat)
    answer_url = url("answer", open_phase.process, tracking_number=contribution.tracking_number)

    page = client.get(answer_url)
    response = client.post(
        answer_url, {"outcome": "incorporated", "reason": "", "changed_sections": [changed.pk]}
    )

    assert section.text in page.content.decode()
    assert response["Location"] == url("workbench", open_phase.process)
    disposition = Disposition.objects.get()
    assert (disposition.outcome, list(disposition.changed_sections.all())) == (
        "incorporated",
        [changed],
    )


def test_an_answer_without_a_reason_shows_the_error_and_records_nothing(
    client, open_phase, participant, secretariat, section
):
    contribution = posted(participant, section)
    client.force_login(secretariat)

    response = client.post(
        url("answer", open_phase.process, tracking_number=contribution.tracking_number),
        {"outcome": "not_incorporated", "reason": ""},
    )

    assert (
        "Give a reason: only fully incorporated inputs may go without one."
        in response.content.decode()
    )
    assert Disposition.objects.count() == 0


def test_participants_cannot_open_the_answer_page(client, open_phase, participant, section):
    contribution = posted(participant, section)
    client.force_login(participant)

    response = client.get(
        url("answer", open_phase.process, tracking_number=contribution.tracking_number)
    )

    assert response.status_code == 403


def test_a_hidden_contribution_is_gone_for_the_public_and_kept_for_the_secretariat(
    client, open_phase, participant, secretariat, section
):
    contribution = posted(participant, section)
    client.force_login(secretariat)
    client.post(
        url("hide", open_phase.process, tracking_number=contribution.tracking_number),
        {"reason": "Abuse."},
    )
    detail = url("detail", open_phase.process, tracking_number=contribution.tracking_number)

    as_secretariat = client.get(detail)
    client.logout()
    as_public = client.get(detail)

    assert (as_secretariat.status_code, as_public.status_code) == (200, 404)
    assert "Hidden by the secretariat: Abuse." in as_secretariat.content.decode()


def test_an_unknown_tracking_number_is_not_found(client, open_phase):
    assert (
        client.get(url("detail", open_phase.process, tracking_number="PVX-0-00000")).status_code
        == 404
    )


def test_the_public_list_shows_inputs_and_answers_without_private_data(
    client, open_phase, participant, secretariat, section
):
    contribution = posted(participant, section)
    record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Thank you."
    )

    content = client.get(url("list", open_phase.process)).content.decode()

    assert (contribution.tracking_number in content, "Thank you." in content) == (True, True)
    assert "amina@example.org" not in content


def test_the_feedback_report_page_and_downloads_are_public(
    client, open_phase, participant, secretariat, section
):
    contribution = posted(participant, section)
    record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Thank you."
    )
    kwargs = {"draft": "principles", "number": 1}

    page = client.get(url("feedback_report", open_phase.process, **kwargs))
    as_csv = client.get(url("feedback_report_csv", open_phase.process, **kwargs))
    as_json = client.get(url("feedback_report_json", open_phase.process, **kwargs))

    assert "1 of 1 inputs answered (100%), each campaign counted once." in page.content.decode()
    assert "1 of 1 submissions answered (100%), every campaign member counted." in (
        page.content.decode()
    )
    assert (
        '<th scope="row">Civil society</th><td>1</td><td>1</td><td>100%</td>'
        in page.content.decode()
    )
    assert '<th scope="row">Africa</th><td>1</td><td>1</td><td>100%</td>' in page.content.decode()
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_json.json()["inputs"][0]["tracking_number"] == contribution.tracking_number


def test_the_feedback_report_of_an_unknown_version_is_not_found(client, open_phase, version):
    response = client.get(url("feedback_report", open_phase.process, draft="principles", number=9))

    assert response.status_code == 404


def test_the_section_partial_shows_threads_and_a_comment_form_to_participants(
    client, open_phase, participant, section
):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    contribution = posted(participant, section)
    request = RequestFactory().get("/")
    request.user = participant

    html = render_to_string(
        "contributions/_section_contributions.html",
        {
            "section": section,
            "process": open_phase.process,
            "version": section.version,
            "request": request,
            "user": participant,
        },
    )

    assert contribution.tracking_number in html
    assert url("comment", open_phase.process, section_id=section.pk) in html


def test_the_process_page_links_to_the_forms_the_phase_allows_and_to_the_reports(
    client, open_phase, secretariat, version
):
    client.force_login(secretariat)

    content = client.get(open_phase.process.get_absolute_url()).content.decode()

    assert url("create", open_phase.process, kind="omission") in content
    assert url("workbench", open_phase.process) in content
    assert url("feedback_report", open_phase.process, draft="principles", number=1) in content


def test_the_draft_version_page_shows_each_sections_comments_and_form(
    client, open_phase, participant, section
):
    contribution = posted(participant, section)
    client.force_login(participant)

    content = client.get(section.version.get_absolute_url()).content.decode()

    assert contribution.tracking_number in content
    assert url("comment", open_phase.process, section_id=section.pk) in content


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


def test_public_contribution_pages_never_show_e_mail_or_gender(
    client, open_phase, participant, section
):
    from polyvox.participants.models import Profile

    Profile.objects.filter(user=participant).update(gender="SENTINEL-GENDER")
    contribution = posted(participant, section)
    pages = [
        contribution.get_absolute_url(),
        url("list", open_phase.process),
        url("feedback_report", open_phase.process, draft="principles", number=1),
        url("feedback_report_csv", open_phase.process, draft="principles", number=1),
        url("feedback_report_json", open_phase.process, draft="principles", number=1),
    ]

    content = "".join(client.get(page).content.decode() for page in pages)

    assert ("amina@example.org" in content, "SENTINEL-GENDER" in content) == (False, False)


def test_the_feedback_report_shows_a_campaign_once_and_members_show_the_campaigns_answer(
    client, open_phase, participant, other_participant, secretariat, section
):
    version = section.version
    letters = [
        submit_contribution(
            author=author,
            process=open_phase.process,
            kind="submission",
            body="Keep the internet open and neutral.",
            draft_version=version,
        )
        for author in (participant, other_participant)
    ]
    campaign = detect_campaigns(actor=secretariat, process=open_phase.process)[0]
    answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="See §3.")
    member = letters[1] if campaign.template_id == letters[0].pk else letters[0]

    report = client.get(
        url("feedback_report", open_phase.process, draft="principles", number=1)
    ).content.decode()
    detail = client.get(
        url("detail", open_phase.process, tracking_number=member.tracking_number)
    ).content.decode()

    campaign_url = reverse(
        "campaigns:detail", kwargs={"slug": open_phase.process.slug, "campaign_id": campaign.pk}
    )
    assert "1 of 1 inputs answered (100%), each campaign counted once." in report
    assert "2 of 2 submissions answered (100%), every campaign member counted." in report
    assert ("2 supporters" in report, campaign_url in report) == (True, True)
    assert report.count("Keep the internet open and neutral.") == 1
    assert "campaign of 2 near-identical submissions" in detail
    assert (campaign_url in detail, "The campaign's answer:" in detail) == (True, True)


def test_a_web_form_submission_goes_through_intake_with_its_domain_and_network_block(
    client, open_phase, participant, version
):
    client.force_login(participant)

    response = client.post(
        url("create", open_phase.process, kind="submission"),
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


def test_a_general_comment_from_the_web_form_has_no_intake(client, open_phase, participant):
    client.force_login(participant)

    client.post(url("create", open_phase.process, kind="general"), {"body": "A general point."})

    assert (Contribution.objects.count(), SubmissionIntake.objects.count()) == (1, 0)


def test_an_empty_web_form_submission_is_rejected_and_no_intake_is_written(
    client, open_phase, participant
):
    client.force_login(participant)

    response = client.post(url("create", open_phase.process, kind="submission"), {"body": " "})

    assert response.status_code == 200
    assert (Contribution.objects.count(), SubmissionIntake.objects.count()) == (0, 0)


def test_the_contribution_list_is_paginated(client, process, open_phase, participant, version):
    from polyvox.contributions.services import submit_contribution
    from polyvox.contributions.views import PAGE_SIZE

    for n in range(PAGE_SIZE + 1):
        submit_contribution(
            author=participant,
            process=process,
            kind="general",
            body=f"Input {n}",
            draft_version=version,
        )

    first = client.get(f"/p/{process.slug}/contributions/").content.decode()
    second = client.get(f"/p/{process.slug}/contributions/?page=2").content.decode()

    assert f"{PAGE_SIZE + 1} inputs" in first
    assert "Page 1 of 2" in first
    assert "Input 50" in second
    assert "Input 50" not in first


def test_the_feedback_report_page_is_paginated_and_the_downloads_are_whole(
    client, process, open_phase, participant, version, monkeypatch
):
    from polyvox.contributions import views
    from polyvox.contributions.services import submit_contribution

    monkeypatch.setattr(views, "REPORT_PAGE_SIZE", 2)
    for n in range(3):
        submit_contribution(
            author=participant,
            process=process,
            kind="general",
            body=f"Point {n}",
            draft_version=version,
        )
    base = f"/p/{process.slug}/drafts/principles/v1/feedback"

    first = client.get(f"{base}/").content.decode()
    second = client.get(f"{base}/?page=2").content.decode()
    csv = client.get(f"{base}.csv").content.decode()

    assert "Point 0" in first
    assert "Point 2" not in first
    assert "Point 2" in second
    assert "Page 1 of 2" in first
    assert all(f"Point {n}" in csv for n in range(3))
