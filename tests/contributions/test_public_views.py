"""Public contribution pages: lists, details and section threads, 404s, and no private data."""

from polyvox.contributions.models import Outcome
from polyvox.contributions.services.dispositions import record_disposition
from tests.factories import contribution_url as url
from tests.factories import submit_comment, submit_to_version


def test_an_unknown_tracking_number_is_not_found(client, open_phase):
    assert (
        client.get(url("detail", open_phase.process, tracking_number="PVX-0-00000")).status_code
        == 404
    )


def test_the_public_list_shows_inputs_and_answers_without_private_data(
    client, open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    record_disposition(
        actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Thank you."
    )

    content = client.get(url("list", open_phase.process)).content.decode()

    assert (contribution.tracking_number in content, "Thank you." in content) == (True, True)
    assert "amina@example.org" not in content


def test_each_section_of_a_version_shows_its_threads_and_a_comment_form_to_participants(
    client, open_phase, participant, section
):
    contribution = submit_comment(participant, section)
    client.force_login(participant)

    html = client.get(section.version.get_absolute_url()).content.decode()

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
    contribution = submit_comment(participant, section)
    client.force_login(participant)

    content = client.get(section.version.get_absolute_url()).content.decode()

    assert contribution.tracking_number in content
    assert url("comment", open_phase.process, section_id=section.pk) in content


def test_public_contribution_pages_never_show_e_mail_or_gender(
    client, open_phase, participant, section
):
    from polyvox.participants.models import Profile

    Profile.objects.filter(user=participant).update(gender="SENTINEL-GENDER")
    contribution = submit_comment(participant, section)
    pages = [
        contribution.get_absolute_url(),
        url("list", open_phase.process),
        url("feedback_report", open_phase.process, draft="principles", number=1),
        url("feedback_report_csv", open_phase.process, draft="principles", number=1),
        url("feedback_report_json", open_phase.process, draft="principles", number=1),
    ]

    responses = [client.get(page) for page in pages]
    content = "".join(
        (b"".join(r.streaming_content) if r.streaming else r.content).decode() for r in responses
    )

    assert ("amina@example.org" in content, "SENTINEL-GENDER" in content) == (False, False)


def test_the_contribution_list_is_paginated(client, process, open_phase, participant, version):
    from polyvox.contributions.views.public import PAGE_SIZE

    for n in range(PAGE_SIZE + 1):
        submit_to_version(participant, version, f"Input {n}", kind="general")

    first = client.get(f"/p/{process.slug}/contributions/").content.decode()
    second = client.get(f"/p/{process.slug}/contributions/?page=2").content.decode()

    assert f"{PAGE_SIZE + 1} inputs" in first
    assert "Page 1 of 2" in first
    assert "Input 50" in second
    assert "Input 50" not in first
