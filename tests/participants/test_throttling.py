"""Login throttling (django-axes): five wrong passwords for one account from one address lock
log-ins out there for fifteen minutes, with a page that says when to retry and how to reset."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from polyvox.participants.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def amina(db) -> User:
    return UserFactory(username="amina")


def log_in(client, password: str, username: str = "amina", ip: str = "203.0.113.7"):
    return client.post(
        reverse("participants:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_five_wrong_passwords_then_the_right_one_is_refused_with_the_reason(client, amina):
    for _ in range(5):
        wrong = log_in(client, "guess")
        assert wrong.status_code in (200, 429)

    refused = log_in(client, PASSWORD)

    assert refused.status_code == 429
    assert "Too many failed log-ins" in refused.text
    assert "Try again in 15 minutes" in refused.text
    assert reverse("participants:password_reset") in refused.text
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock(client, amina):
    for _ in range(4):
        assert log_in(client, "guess").status_code == 200

    assert log_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(amina.pk)


def test_the_right_password_before_the_limit_resets_the_count(client, amina):
    for _ in range(4):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 302
    client.post(reverse("participants:logout"))

    for _ in range(4):
        assert log_in(client, "guess").status_code == 200

    assert log_in(client, PASSWORD).status_code == 302


def test_after_the_lock_is_lifted_the_right_password_works(client, amina):
    for _ in range(5):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 429

    reset(username="amina")

    assert log_in(client, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, amina, settings):
    for _ in range(5):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 429
    # Fifteen minutes and a second later: the last attempt is older than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=15, seconds=1)
    )

    assert log_in(client, PASSWORD).status_code == 302


def test_the_lock_is_per_account_and_address(client, amina):
    UserFactory(username="kofi")
    for _ in range(5):
        log_in(client, "guess")

    assert log_in(client, PASSWORD, username="kofi").status_code == 302
    client.post(reverse("participants:logout"))
    assert log_in(client, PASSWORD, ip="198.51.100.9").status_code == 302


def test_a_password_reset_lifts_the_lock(client, amina, settings):
    from django.core import mail

    from tests.participants.test_passwords import NEW_PASSWORD, reset_path

    settings.SITE_URL = "http://polyvox.test"
    for _ in range(5):
        log_in(client, "guess")
    client.post(reverse("participants:password_reset"), {"email": "amina@example.org"})
    form = client.get(reset_path(mail.outbox[0], "http://polyvox.test"), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert log_in(client, NEW_PASSWORD).status_code == 302
