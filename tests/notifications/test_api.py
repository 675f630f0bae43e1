"""The API for following and preferences: the signed-in participant's own data only."""

from polyvox.notifications.models import Follow


def test_a_participant_follows_reads_and_stops_following_through_the_api(
    client, process, participant
):
    client.force_login(participant)
    url = f"/api/v1/processes/{process.slug}/follow"

    assert client.get(url).json() == {"process": process.slug, "following": False}
    response = client.put(url)
    assert response.status_code == 200
    assert response.json() == {"process": process.slug, "following": True}
    assert Follow.objects.filter(process=process, user=participant).count() == 1

    assert client.delete(url).status_code == 204
    assert not Follow.objects.exists()


def test_preferences_through_the_api_refuse_an_unknown_mode_and_change_nothing(client, participant):
    client.force_login(participant)
    url = "/api/v1/notifications/preferences"

    bad = client.put(url, {"modes": {"reply": "hourly"}}, content_type="application/json")
    assert bad.status_code == 400
    assert "reply" in bad.json()["fields"]
    assert client.get(url).json()["modes"]["reply"] == "immediate"

    good = client.put(url, {"modes": {"reply": "daily"}}, content_type="application/json")
    assert good.json()["modes"]["reply"] == "daily"


def test_following_through_the_api_needs_a_signed_in_participant(client, process):
    response = client.put(f"/api/v1/processes/{process.slug}/follow")

    assert response.status_code in (401, 403)
    assert not Follow.objects.exists()


def test_the_language_of_the_e_mails_is_read_and_changed_through_the_api(client, participant):
    client.force_login(participant)
    url = "/api/v1/notifications/preferences"
    assert client.get(url).json()["language"] == "en"

    bad = client.put(url, {"modes": {}, "language": "xx"}, content_type="application/json")
    assert bad.status_code == 400
    assert "language" in bad.json()["fields"]
    assert client.get(url).json()["language"] == "en"

    good = client.put(url, {"modes": {}, "language": "zh-hans"}, content_type="application/json")
    assert good.json()["language"] == "zh-hans"
    assert client.get(url).json()["language"] == "zh-hans"
