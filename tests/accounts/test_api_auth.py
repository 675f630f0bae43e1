"""The API with a token: no CSRF, the user's view of data, its scope; cookies keep CSRF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from polyvox.accounts.models import ApiToken
from polyvox.accounts.services.tokens import revoke_token
from polyvox.contributions.models import Contribution
from polyvox.drafts.models import Draft, DraftVersion
from tests.accounts.conftest import bearer, make_token
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def _comment(slug: str) -> dict[str, object]:
    return {"kind": "general", "text": "Sent by our server."}


def _post(client: Client, slug: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/processes/{slug}/contributions",
        _comment(slug),
        content_type="application/json",
        **headers,
    )


def test_a_write_token_posts_without_any_csrf_token(open_phase, participant):
    client = Client(enforce_csrf_checks=True)
    key = make_token(participant, scope="write").key

    response = _post(client, open_phase.process.slug, **bearer(key))

    assert response.status_code == 201
    assert Contribution.objects.get().author == participant


def test_a_cookie_post_without_csrf_is_refused(open_phase, participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)

    response = _post(client, open_phase.process.slug)

    assert response.status_code == 403
    assert Contribution.objects.count() == 0


def test_a_token_wins_over_a_cookie_of_the_same_request(open_phase, participant, other_participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_participant)
    key = make_token(participant, scope="write").key

    response = _post(client, open_phase.process.slug, **bearer(key))

    assert response.status_code == 201
    assert Contribution.objects.get().author == participant


def test_a_read_token_may_not_write(client, open_phase, participant):
    key = make_token(participant, scope="read").key

    response = _post(client, open_phase.process.slug, **bearer(key))

    assert response.status_code == 403
    assert "read" in response.json()["error"]
    assert Contribution.objects.count() == 0


def test_an_unknown_key_is_a_401_in_the_error_shape(client, open_phase):
    response = client.get("/api/v1/processes", **bearer("pvx_not-a-real-key"))

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_a_401(client, open_phase, participant):
    made = make_token(participant, scope="write")
    revoke_token(actor=participant, token=made.token)

    response = _post(client, open_phase.process.slug, **bearer(made.key))

    assert response.status_code == 401
    assert Contribution.objects.count() == 0


def test_a_disabled_accounts_token_is_a_401(client, open_phase, participant):
    key = make_token(participant).key
    participant.is_active = False
    participant.save()

    assert client.get("/api/v1/processes", **bearer(key)).status_code == 401


def test_a_process_token_may_not_touch_another_process(client, open_phase, participant):
    other = ProcessFactory()
    key = make_token(participant, scope="write", process=other).key

    read = client.get(f"/api/v1/processes/{open_phase.process.slug}", **bearer(key))
    write = _post(client, open_phase.process.slug, **bearer(key))

    assert read.status_code == 403
    assert write.status_code == 403
    assert client.get(f"/api/v1/processes/{other.slug}", **bearer(key)).status_code == 200
    assert Contribution.objects.count() == 0


def test_a_process_token_may_not_write_outside_any_process(client, open_phase, participant):
    key = make_token(participant, scope="write", process=open_phase.process).key

    response = client.post(
        "/api/v1/organisations",
        {"name": "Elsewhere", "stakeholder_group": "civil_society"},
        content_type="application/json",
        **bearer(key),
    )

    assert response.status_code == 403
    assert "one process" in response.json()["error"]
    assert client.get("/api/v1/organisations", **bearer(key)).status_code == 200


def test_a_process_token_writes_in_its_process(client, open_phase, participant):
    key = make_token(participant, scope="write", process=open_phase.process).key

    assert _post(client, open_phase.process.slug, **bearer(key)).status_code == 201


def test_a_token_reads_what_its_user_may_see(client, process, secretariat, participant):
    draft = Draft.objects.create(process=process, slug="charter", title="Charter")
    DraftVersion.objects.create(
        draft=draft, number=1, source_markdown="", published_by=secretariat
    )  # not published: no published_at
    url = f"/api/v1/processes/{process.slug}/drafts"
    their_key = make_token(secretariat).key
    participant_key = make_token(participant).key

    assert "charter" not in client.get(url).content.decode()
    assert "charter" not in client.get(url, **bearer(participant_key)).content.decode()
    assert "charter" in client.get(url, **bearer(their_key)).content.decode()


def test_the_last_use_is_noted_at_most_once_a_minute(client, open_phase, participant):
    made = make_token(participant)
    client.get("/api/v1/processes", **bearer(made.key))
    first = ApiToken.objects.get().last_used_at
    assert first is not None

    client.get("/api/v1/processes", **bearer(made.key))
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/processes", **bearer(made.key))
    assert ApiToken.objects.get().last_used_at > first - timedelta(minutes=1)
    assert ApiToken.objects.get().last_used_at <= timezone.now()


def test_a_bearer_header_outside_the_api_is_ignored(client, participant):
    key = make_token(participant).key

    response = client.get("/accounts/profile/", **bearer(key))

    assert response.status_code == 302  # still a visitor there: sent to log in
