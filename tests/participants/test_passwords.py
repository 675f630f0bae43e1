"""Password reset by e-mail (never telling whether an address has an account) and change."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from polyvox.participants.models import User
from tests.factories import UserFactory

NEW_PASSWORD = "another long and unusual passphrase 7"


def reset_path(message: mail.EmailMessage, site: str) -> str:
    match = re.search(re.escape(site) + r"(/accounts/password/reset/[\w-]+/[\w-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_reset_link_is_mailed_from_the_site_address_not_the_request_host(client, settings, db):
    settings.SITE_URL = "https://consult.example"
    UserFactory(username="amina")

    response = client.post(
        reverse("participants:password_reset"),
        {"email": "AMINA@example.org"},
        headers={"host": "testserver"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("participants:password_reset_done")
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert reset_path(message, "https://consult.example")
    assert "testserver" not in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    UserFactory(username="amina")

    known = client.post(reverse("participants:password_reset"), {"email": "amina@example.org"})
    unknown = client.post(reverse("participants:password_reset"), {"email": "nobody@example.org"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    done = client.get(known["Location"])
    assert "If an account has this address" in done.text


def test_the_link_sets_a_new_password_once_and_confirms_the_address(client, settings, db):
    settings.SITE_URL = "http://polyvox.test"
    user = UserFactory(username="amina", email_verified_at=None)
    client.post(reverse("participants:password_reset"), {"email": "amina@example.org"})
    path = reset_path(mail.outbox[0], "http://polyvox.test")

    form = client.get(path, follow=True)
    set_url = form.redirect_chain[-1][0]
    saved = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert saved.status_code == 302
    assert saved["Location"] == reverse("participants:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified_at is not None
    again = client.get(path, follow=True)
    assert "This link does not work" in again.text


def test_a_signed_in_participant_changes_their_password(client, db):
    user = UserFactory(username="amina")
    client.force_login(user)

    wrong = client.post(
        reverse("participants:password_change"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    right = client.post(
        reverse("participants:password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.text
    assert right.status_code == 302
    assert right["Location"] == reverse("participants:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("participants:profile")).status_code == 200  # still signed in


def test_changing_the_password_needs_to_be_signed_in(client, db):
    response = client.get(reverse("participants:password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("participants:login"))


@pytest.mark.parametrize(
    "name",
    ["password_reset", "password_reset_done", "password_reset_complete", "terms", "privacy"],
)
def test_the_account_pages_render_translatable_and_with_one_h1(client, db, name):
    response = client.get(reverse(f"participants:{name}"))

    assert response.status_code == 200
    assert response.text.count("<h1") == 1


def test_a_closed_account_gets_no_reset_mail(client, db):
    User.objects.filter(pk=UserFactory(username="amina").pk).update(is_active=False)

    client.post(reverse("participants:password_reset"), {"email": "amina@example.org"})

    assert mail.outbox == []
