"""API tokens: made with a name and a scope, the key shown once and stored hashed, revoked."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from polyvox.accounts.models import ApiToken
from polyvox.accounts.services.tokens import revoke_token
from polyvox.processes.models import Process
from tests.accounts.conftest import make_token
from tests.factories import ProcessFactory, UserFactory, invite

pytestmark = pytest.mark.django_db


def test_a_key_is_pvx_and_random_and_only_its_sha256_is_stored(participant):
    made = make_token(participant)

    assert made.key.startswith("pvx_")
    assert len(made.key) == 4 + 43
    stored = ApiToken.objects.get(pk=made.token.pk)
    assert stored.key_hash == hashlib.sha256(made.key.encode()).hexdigest()
    assert stored.prefix == made.key[:8]
    assert made.key not in {stored.name, stored.prefix, stored.key_hash}


def test_two_tokens_never_share_a_key(participant):
    assert make_token(participant).key != make_token(participant).key


def test_a_token_needs_a_name_and_a_known_scope_and_nothing_is_saved_otherwise(participant):
    with pytest.raises(ValidationError) as error:
        make_token(participant, name="  ", scope="admin")

    assert set(error.value.message_dict) == {"name", "scope"}
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["a\x00b", "lone \ud800", "\u200b\u200c\u2060", "x" * 101], ids=repr
)
def test_a_name_that_cannot_be_stored_or_seen_or_is_too_long_is_refused(participant, name):
    with pytest.raises(ValidationError) as error:
        make_token(participant, name=name)

    assert "name" in error.value.message_dict
    assert ApiToken.objects.count() == 0


def test_a_write_token_needs_a_confirmed_address(db):
    unconfirmed = UserFactory(email_verified_at=None)

    with pytest.raises(PermissionDenied):
        make_token(unconfirmed, scope="write")
    assert make_token(unconfirmed, scope="read").token.scope == "read"


def test_a_process_write_token_needs_the_right_to_take_part_there(participant):
    invitation_only: Process = ProcessFactory(participation_policy="invited")

    with pytest.raises(PermissionDenied):
        make_token(participant, scope="write", process=invitation_only)
    assert make_token(participant, scope="read", process=invitation_only).token.process_id

    invite(invitation_only, participant)
    assert make_token(participant, scope="write", process=invitation_only).token.scope == "write"


def test_only_the_owner_revokes_a_token(participant, other_participant):
    token = make_token(participant).token

    with pytest.raises(PermissionDenied):
        revoke_token(actor=other_participant, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None

    revoke_token(actor=participant, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_tokens_page_shows_a_new_key_once_and_then_only_its_prefix(client, participant):
    client.force_login(participant)

    made = client.post(reverse("accounts:tokens"), {"name": "Our mirror", "scope": "read"})

    token = ApiToken.objects.get()
    key = made.context["made"].key
    assert made.status_code == 200
    assert key in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "Our mirror" in listing
    assert token.prefix in listing
    assert key not in listing


def test_the_tokens_page_shows_the_form_errors_with_a_200(client, participant):
    client.force_login(participant)

    response = client.post(reverse("accounts:tokens"), {"name": "", "scope": "read"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0


def test_the_tokens_page_lists_no_one_elses_tokens(client, participant, other_participant):
    make_token(other_participant, name="Kenji's robot")
    client.force_login(participant)

    assert "Kenji&#x27;s robot" not in client.get(reverse("accounts:tokens")).content.decode()


def test_revoking_from_the_page_and_someone_elses_token_is_a_404(
    client, participant, other_participant
):
    mine = make_token(participant).token
    theirs = make_token(other_participant).token
    client.force_login(participant)

    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("accounts:token_revoke", args=[mine.pk]))

    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_the_token_pages_need_a_login(client):
    response = client.get(reverse("accounts:tokens"))

    assert response.status_code == 302
    assert reverse("participants:login") in response["Location"]
