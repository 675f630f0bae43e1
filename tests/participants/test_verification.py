"""E-mail verification: the link sent at sign-up, resending within limits, changing the address."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polyvox.participants.models import Consent, User
from polyvox.participants.services import (
    RESEND_PER_DAY,
    change_email,
    register_participant,
    send_verification,
    verification_token,
    verify_email,
)
from polyvox.processes.permissions import can_take_part
from tests.factories import PhaseFactory, UserFactory
from tests.smtp import inbox, link_in  # noqa: F401

PASSWORD = "a long and unusual passphrase 42"
SIGN_UP = {
    "username": "lucia", "email": "lucia@example.org", "password": PASSWORD,
    "password_again": PASSWORD, "display_name": "Lucía", "stakeholder_group": "academia",
    "accept_terms": "on", "accept_privacy": "on",
}  # fmt: skip


def unverified(username: str = "lucia") -> User:
    return register_participant(
        username=username, email=f"{username}@example.org", password=PASSWORD,
        display_name=username.title(), stakeholder_group="academia",
    )  # fmt: skip


# Sign-up sends the link; the link confirms ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_signing_up_mails_a_link_over_smtp_that_confirms_the_address(client, inbox):  # noqa: F811
    response = client.post(reverse("participants:register"), SIGN_UP)

    assert response.status_code == 302
    user = User.objects.get(username="lucia")
    assert user.email_verified_at is None
    [message] = inbox.wait_for(1)
    assert message["To"] == "lucia@example.org"
    path = link_in(message, r"/accounts/verify/[^/\s]+/")

    landed = client.get(path)

    assert landed.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_signing_up_records_consent_to_the_current_versions(client, db, settings):
    client.post(reverse("participants:register"), SIGN_UP)

    user = User.objects.get(username="lucia")
    assert set(Consent.objects.filter(user=user).values_list("document", "version")) == {
        ("terms", settings.POLYVOX_TERMS_VERSION),
        ("privacy", settings.POLYVOX_PRIVACY_VERSION),
    }


def test_until_confirmed_a_participant_cannot_take_part_and_is_told_why(client, db):
    phase = PhaseFactory()
    user = unverified()
    client.force_login(user)

    form = client.get(
        reverse("contributions:create", kwargs={"slug": phase.process.slug, "kind": "general"})
    )

    assert not can_take_part(user, phase.process)
    assert "Confirm your e-mail address to take part." in form.text
    assert reverse("participants:verify_email_resend") in form.text


def test_the_profile_of_an_unconfirmed_participant_says_so_and_offers_a_new_link(client, db):
    client.force_login(unverified())

    page = client.get(reverse("participants:profile"))

    assert "Confirm your e-mail address to take part." in page.text
    assert "Send me a new link" in page.text


def test_a_confirmed_participant_sees_no_notice(client, participant):
    client.force_login(participant)

    page = client.get(reverse("participants:profile"))

    assert "Confirm your e-mail address to take part." not in page.text


def test_opening_the_link_twice_confirms_once(db):
    user = unverified()
    token = verification_token(user)

    first = verify_email(token).email_verified_at
    second = verify_email(token).email_verified_at

    assert first is not None
    assert first == second


def test_an_expired_link_is_refused_with_a_clear_page_not_a_500(client, db):
    user = unverified()
    token = verification_token(user)
    later = timezone.now() + timedelta(days=4)

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.get(reverse("participants:verify_email", kwargs={"token": token}))

    assert response.status_code == 400
    assert "This link has expired." in response.text
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_forged_link_is_refused(client, db):
    user = unverified()
    forged = signing.TimestampSigner(salt="something else").sign_object(
        {"user": user.pk, "email": user.email}
    )

    response = client.get(reverse("participants:verify_email", kwargs={"token": forged}))

    assert response.status_code == 400
    assert "This link is not valid." in response.text
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_garbled_link_is_refused_not_a_500(client, db):
    response = client.get(reverse("participants:verify_email", kwargs={"token": "%00%ff:<>"}))

    assert response.status_code == 400


def test_a_link_sent_before_the_address_changed_confirms_nothing(db):
    user = unverified()
    old_token = verification_token(user)
    change_email(actor=user, user=user, email="lucia@new.example", password=PASSWORD)

    with pytest.raises(ValidationError) as refused:
        verify_email(old_token)

    assert "no longer on the account" in str(refused.value)
    user.refresh_from_db()
    assert user.email_verified_at is None


# Resending ---------------------------------------------------------------------------------------


def test_a_new_link_can_be_asked_for_but_not_twice_in_a_minute(
    client, db, django_capture_on_commit_callbacks
):
    client.force_login(unverified())

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("participants:verify_email_resend"))
        second = client.post(reverse("participants:verify_email_resend"))

    assert first.status_code == 302
    assert second.status_code == 429
    assert "less than a minute ago" in second.text
    assert len(mail.outbox) == 1


def test_at_most_five_links_a_day(db, django_capture_on_commit_callbacks):
    user = unverified()
    # No minute between mails here, to reach the day's limit at once.
    with (
        mock.patch("polyvox.participants.services.RESEND_INTERVAL", timedelta(0)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(RESEND_PER_DAY):
            send_verification(user)
        with pytest.raises(ValidationError, match="Try again tomorrow"):
            send_verification(user)

    assert len(mail.outbox) == RESEND_PER_DAY


def test_a_confirmed_address_gets_no_new_link(participant):
    with pytest.raises(ValidationError, match="already confirmed"):
        send_verification(participant)
    assert mail.outbox == []


# Changing the address ------------------------------------------------------------------------------


def test_changing_the_address_unconfirms_it_and_mails_the_new_one(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory(username="kofi")
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participants:email_change"),
            {"email": "kofi@new.example", "password": PASSWORD},
        )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email, user.email_verified_at) == ("kofi@new.example", None)
    [message] = mail.outbox
    assert message.to == ["kofi@new.example"]


def test_changing_the_address_needs_the_password(client, db):
    user = UserFactory(username="kofi")
    client.force_login(user)

    response = client.post(
        reverse("participants:email_change"), {"email": "kofi@new.example", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "This is not your current password." in response.text
    user.refresh_from_db()
    assert user.email == "kofi@example.org"
    assert user.email_verified_at is not None
    assert mail.outbox == []


def test_another_accounts_address_cannot_be_taken(db):
    UserFactory(username="amina")
    user = UserFactory(username="kofi")

    with pytest.raises(ValidationError, match="Another account uses this address"):
        change_email(
            actor=user,
            user=user,
            email="AMINA@example.org",
            password="correct horse battery staple",
        )
