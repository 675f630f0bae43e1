"""The secretariat's workbench and answer page: filters, errors on the form, 403 for others."""

from polyvox.contributions.models import Disposition, Outcome
from polyvox.contributions.services.dispositions import record_disposition
from tests.factories import contribution_url as url
from tests.factories import make_version, submit_comment


def test_the_workbench_is_for_the_secretariat_only(client, open_phase, participant):
    client.force_login(participant)

    assert client.get(url("workbench", open_phase.process)).status_code == 403


def test_the_workbench_filters_unanswered_inputs_by_stakeholder_group(
    client, open_phase, participant, other_participant, secretariat, section
):
    answered = submit_comment(participant, section)
    record_disposition(
        actor=secretariat, contribution=answered, outcome=Outcome.NOTED, reason="Thanks."
    )
    waiting = submit_comment(participant, section)
    business = submit_comment(other_participant, section)
    client.force_login(secretariat)

    response = client.get(
        url("workbench", open_phase.process),
        {"answered": "no", "stakeholder_group": "civil_society"},
    )

    assert [r.contribution.tracking_number for r in response.context["rows"]] == [
        waiting.tracking_number
    ]
    assert business.tracking_number not in response.content.decode()


def test_the_secretariat_answers_from_a_page_showing_the_thread_and_the_section(
    client, open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)
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
    contribution = submit_comment(participant, section)
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
    contribution = submit_comment(participant, section)
    client.force_login(participant)

    response = client.get(
        url("answer", open_phase.process, tracking_number=contribution.tracking_number)
    )

    assert response.status_code == 403
