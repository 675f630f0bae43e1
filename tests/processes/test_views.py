"""Process pages render, show the timeline in the viewer's zone, and guard secretariat forms."""

from datetime import UTC, datetime

from polyvox.processes.models import Phase
from tests.factories import PhaseFactory


def test_the_process_page_shows_the_timeline_in_the_viewers_time_zone(client, process):
    PhaseFactory(
        process=process,
        title="Comment period",
        starts_at=datetime(2030, 3, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2030, 3, 15, 21, 30, tzinfo=UTC),
    )
    client.cookies["polyvox_tz"] = "Asia/Tokyo"

    html = client.get(process.get_absolute_url()).content.decode()

    assert "Comment period" in html
    assert "March 16, 2030, 6:30 a.m." in html  # 21:30 UTC is 06:30 next day in Tokyo
    assert "Asia/Tokyo" in html


def test_the_process_list_links_each_process(client, process):
    response = client.get("/")

    assert response.status_code == 200
    assert process.get_absolute_url() in response.content.decode()


def test_a_participant_cannot_open_the_phase_form(client, process, participant):
    client.force_login(participant)

    response = client.post(
        f"/p/{process.slug}/phases/new/",
        {
            "kind": "draft_comment",
            "title": "X",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-02T10:00",
        },
    )

    assert response.status_code == 403
    assert Phase.objects.count() == 0


def test_the_secretariat_schedules_a_phase_in_its_own_time_zone(client, process, secretariat):
    client.force_login(secretariat)
    client.cookies["polyvox_tz"] = "Africa/Nairobi"

    response = client.post(
        f"/p/{process.slug}/phases/new/",
        {
            "kind": "draft_comment",
            "title": "Comments",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-02T10:00",
        },
    )

    assert response.status_code == 302
    assert Phase.objects.get().starts_at == datetime(2030, 1, 1, 7, 0, tzinfo=UTC)


def test_an_invalid_phase_shows_the_error_on_the_form(client, process, secretariat):
    client.force_login(secretariat)

    response = client.post(
        f"/p/{process.slug}/phases/new/",
        {
            "kind": "draft_comment",
            "title": "Comments",
            "starts_at": "2030-01-02T10:00",
            "ends_at": "2030-01-01T10:00",
        },
    )

    assert response.status_code == 200
    assert "A phase must end after it starts." in response.content.decode()
    assert Phase.objects.count() == 0


def test_a_participant_cannot_use_the_member_form(client, process, participant, other_participant):
    client.force_login(participant)

    response = client.post(
        f"/p/{process.slug}/members/",
        {"add": "1", "add-username": other_participant.username, "add-role": "participant"},
    )

    assert response.status_code == 403
    assert not process.memberships.filter(user=other_participant).exists()
