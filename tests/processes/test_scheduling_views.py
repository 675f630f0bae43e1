"""Edit-process and reschedule pages: the secretariat's forms, refusals, and the public history."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from polyvox.notifications.models import Notification
from polyvox.processes.models import Phase, PhaseChange
from polyvox.record.models import RecordEntry
from tests.factories import PhaseFactory, invite


def phase_url(phase: Phase, action: str = "edit") -> str:
    return f"/p/{phase.process.slug}/phases/{phase.pk}/{action}/"


def upcoming(process, **kwargs) -> Phase:
    return PhaseFactory(
        process=process,
        starts_at=datetime(2031, 3, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2031, 3, 15, 9, 0, tzinfo=UTC),
        **kwargs,
    )


def test_the_secretariat_edits_the_mandate_and_the_change_is_recorded(client, process, secretariat):
    client.force_login(secretariat)
    form = client.get(f"/p/{process.slug}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["mandate"] = "Advise the ministry on community networks."

    response = client.post(f"/p/{process.slug}/edit/", data)

    assert response.status_code == 302
    process.refresh_from_db()
    assert process.mandate == "Advise the ministry on community networks."
    changes = RecordEntry.objects.get(process=process, kind="process.edited").payload["changes"]
    assert list(changes) == ["mandate"]


def test_a_participant_gets_403_on_the_edit_pages_and_nothing_changes(client, process, participant):
    phase = upcoming(process)
    client.force_login(participant)

    responses = [
        client.post(f"/p/{process.slug}/edit/", {"title": "Hijacked", "mandate": "x"}),
        client.get(phase_url(phase)),
        client.post(phase_url(phase, "remove"), {"remove-reason": "x"}),
        client.post(phase_url(phase, "close"), {"close-reason": "x"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert Phase.objects.filter(pk=phase.pk).exists()
    assert PhaseChange.objects.count() == 0


def test_a_phase_of_another_process_is_not_found(client, process, secretariat):
    elsewhere = PhaseFactory()
    client.force_login(secretariat)

    response = client.get(f"/p/{process.slug}/phases/{elsewhere.pk}/edit/")

    assert response.status_code == 404


def test_the_reschedule_form_shows_and_takes_dates_in_the_viewers_time_zone(
    client, process, secretariat
):
    phase = upcoming(process)
    client.force_login(secretariat)
    client.cookies["polyvox_tz"] = "Africa/Nairobi"

    page = client.get(phase_url(phase)).content.decode()
    response = client.post(
        phase_url(phase),
        {
            "starts_at": "2031-03-01T12:00",
            "ends_at": "2031-03-22T12:00",
            "reason": "The regional meetings asked for a week more.",
        },
    )

    assert 'value="2031-03-01T12:00"' in page  # 09:00 UTC is noon in Nairobi
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.ends_at == datetime(2031, 3, 22, 9, 0, tzinfo=UTC)


def test_a_reschedule_without_a_reason_shows_the_error_and_changes_nothing(
    client, process, secretariat
):
    phase = upcoming(process)
    client.force_login(secretariat)

    response = client.post(
        phase_url(phase),
        {"starts_at": "2031-03-01T09:00", "ends_at": "2031-03-22T09:00", "reason": ""},
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    phase.refresh_from_db()
    assert phase.ends_at == datetime(2031, 3, 15, 9, 0, tzinfo=UTC)


def test_moving_a_started_phases_start_shows_the_reason_on_the_form(
    client, process, secretariat, open_phase
):
    client.force_login(secretariat)
    local = timezone.localtime(open_phase.starts_at + timedelta(days=1), UTC)

    response = client.post(
        phase_url(open_phase),
        {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(open_phase.ends_at, UTC).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Later.",
        },
    )

    assert response.status_code == 200
    assert "This phase has started: its start cannot move." in response.content.decode()


def test_closing_early_from_the_page_notifies_and_the_process_page_shows_why(
    client, process, secretariat, open_phase, participant
):
    invite(process, participant)
    client.force_login(secretariat)

    response = client.post(
        phase_url(open_phase, "close"), {"close-reason": "The mandate was withdrawn."}
    )

    assert response.status_code == 302
    assert Notification.objects.get().recipient == participant
    client.logout()
    page = client.get(process.get_absolute_url()).content.decode()
    assert "Schedule changes" in page
    assert "The mandate was withdrawn." in page


def test_removing_a_started_phase_is_refused_with_a_message(
    client, process, secretariat, open_phase
):
    client.force_login(secretariat)

    response = client.post(phase_url(open_phase, "remove"), {"remove-reason": "Never mind."})

    assert response.status_code == 200
    assert "it cannot be removed" in response.content.decode()
    assert Phase.objects.filter(pk=open_phase.pk).exists()


def test_removing_an_upcoming_phase_from_the_page(client, process, secretariat):
    phase = upcoming(process, title="Second round")
    client.force_login(secretariat)

    response = client.post(phase_url(phase, "remove"), {"remove-reason": "One round is enough."})

    assert response.status_code == 302
    assert not Phase.objects.filter(pk=phase.pk).exists()
    page = client.get(process.get_absolute_url()).content.decode()
    assert "Second round" in page
    assert "One round is enough." in page


def test_the_phase_page_offers_close_for_open_and_remove_for_upcoming_phases(
    client, process, secretariat, open_phase
):
    later = upcoming(process)
    client.force_login(secretariat)

    open_page = client.get(phase_url(open_phase)).content.decode()
    later_page = client.get(phase_url(later)).content.decode()

    assert ("Close this phase now" in open_page, "Remove this phase" in open_page) == (True, False)
    assert ("Close this phase now" in later_page, "Remove this phase" in later_page) == (
        False,
        True,
    )


def test_the_process_page_links_the_edit_pages_for_the_secretariat_only(
    client, process, secretariat, open_phase, participant
):
    client.force_login(participant)
    public = client.get(process.get_absolute_url()).content.decode()
    client.force_login(secretariat)
    managed = client.get(process.get_absolute_url()).content.decode()

    assert phase_url(open_phase) not in public
    assert f"/p/{process.slug}/edit/" not in public
    assert phase_url(open_phase) in managed
    assert f"/p/{process.slug}/edit/" in managed


# The same services through the API ---------------------------------------------------------------


def test_the_api_edits_a_process_for_the_secretariat_only(
    client, process, secretariat, participant
):
    client.force_login(participant)
    refused = client.patch(
        f"/api/v1/processes/{process.slug}", {"title": "Hijacked"}, content_type="application/json"
    )
    client.force_login(secretariat)
    accepted = client.patch(
        f"/api/v1/processes/{process.slug}",
        {"languages": ["en", "ar"]},
        content_type="application/json",
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert accepted.json()["languages"] == ["en", "ar"]
    process.refresh_from_db()
    assert (process.title != "Hijacked", process.languages) == (True, ["en", "ar"])


def test_the_api_reschedules_a_phase_and_refuses_one_without_a_reason(client, process, secretariat):
    phase = upcoming(process)
    client.force_login(secretariat)
    url = f"/api/v1/processes/{process.slug}/phases/{phase.pk}"
    dates = {"starts_at": "2031-03-01T09:00:00Z", "ends_at": "2031-03-29T09:00:00Z"}

    refused = client.patch(url, {**dates, "reason": " "}, content_type="application/json")
    accepted = client.patch(
        url, {**dates, "reason": "Two more weeks."}, content_type="application/json"
    )

    assert refused.status_code == 400
    assert "reason" in refused.json()["fields"]
    assert accepted.status_code == 200
    assert accepted.json()["ends_at"] == "2031-03-29T09:00:00Z"
    assert PhaseChange.objects.get(kind="rescheduled").reason == "Two more weeks."


def test_the_api_answers_404_for_a_phase_of_another_process(client, process, secretariat):
    elsewhere = PhaseFactory()
    client.force_login(secretariat)

    response = client.patch(
        f"/api/v1/processes/{process.slug}/phases/{elsewhere.pk}",
        {"starts_at": "2031-03-01T09:00:00Z", "ends_at": "2031-03-29T09:00:00Z", "reason": "x"},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_the_form_sent_back_with_the_start_unchanged_extends_a_started_phase(
    client, process, secretariat, open_phase
):
    # The factory's phase started at a time with seconds; the form shows minutes only.
    client.force_login(secretariat)
    form = client.get(phase_url(open_phase)).context["form"]
    shown_start = form["starts_at"].value()
    new_end = (open_phase.ends_at + timedelta(days=3)).astimezone(UTC)

    response = client.post(
        phase_url(open_phase),
        {
            "starts_at": shown_start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": new_end.strftime("%Y-%m-%dT%H:%M"),
            "reason": "Three more days.",
        },
    )

    assert response.status_code == 302
    old_start = open_phase.starts_at
    open_phase.refresh_from_db()
    assert open_phase.starts_at == old_start
    assert open_phase.ends_at == new_end.replace(second=0, microsecond=0)
