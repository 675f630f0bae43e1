"""Following a process: a participant in one click, a visitor by e-mail with double opt-in (a
real SMTP server receives the mail), and one-click unsubscribe (RFC 8058)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from polyvox.drafts.models import Draft
from polyvox.drafts.services import publish_draft_version
from polyvox.notifications.following import (
    confirm_email_follow,
    follow_process,
    request_email_follow,
)
from polyvox.notifications.models import Follow
from polyvox.record.models import RecordEntry
from tests.notifications.conftest import headers_of, token_of
from tests.smtp import body_of

V1 = "# Scope\n\nText one.\n\n# Access\n\nText two.\n"
V2 = "# Scope\n\nText one, revised.\n\n# Access\n\nText two.\n"


@pytest.fixture
def draft(process, secretariat):
    return Draft.objects.create(process=process, slug="principles", title="Draft principles")


def test_a_participant_follows_in_one_click_and_the_process_page_says_so(
    client, process, participant
):
    client.force_login(participant)

    response = client.post(reverse("notifications:follow", kwargs={"slug": process.slug}))

    assert response.status_code == 302
    assert Follow.objects.filter(process=process, user=participant).count() == 1
    page = client.get(process.get_absolute_url()).content.decode()
    assert "You follow this process." in page
    assert "Stop following" in page


def test_following_twice_keeps_one_follow_and_stopping_removes_it(client, process, participant):
    client.force_login(participant)
    follow_url = reverse("notifications:follow", kwargs={"slug": process.slug})
    client.post(follow_url)
    client.post(follow_url)
    assert Follow.objects.filter(process=process).count() == 1

    client.post(reverse("notifications:unfollow", kwargs={"slug": process.slug}))

    assert Follow.objects.filter(process=process).count() == 0
    assert "Follow this process</button>" in client.get(process.get_absolute_url()).content.decode()


def test_a_visitor_sees_the_e_mail_form_and_a_one_click_follow_sends_them_to_it(client, process):
    page = client.get(process.get_absolute_url()).content.decode()
    assert 'name="follow-email"' in page

    response = client.post(reverse("notifications:follow", kwargs={"slug": process.slug}))

    assert response["Location"] == reverse(
        "notifications:follow_by_email", kwargs={"slug": process.slug}
    )
    assert Follow.objects.count() == 0


def test_following_an_unknown_process_is_404(client, participant):
    client.force_login(participant)
    assert client.post(reverse("notifications:follow", kwargs={"slug": "nope"})).status_code == 404


def test_a_visitor_follows_by_e_mail_confirms_and_receives_the_new_version_over_smtp(
    client, inbox, draft, secretariat, django_capture_on_commit_callbacks
):
    process = draft.process
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notifications:follow_by_email", kwargs={"slug": process.slug}),
            {"follow-email": "  Reader@Example.NET ", "follow-mode": "immediate"},
        )
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    [confirmation] = inbox.wait_for(1)
    assert confirmation["To"] == "reader@example.net"
    assert "Confirm that you want to follow" in str(confirmation["Subject"])
    assert "List-Unsubscribe" not in confirmation  # not a list yet: nothing was asked for

    # Nothing but the confirmation reaches the address until it is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        publish_draft_version(actor=secretariat, draft=draft, markdown=V1)
    assert len(inbox.messages) == 1

    token = token_of(body_of(confirmation), "confirm")
    assert body_of(confirmation).count(f"http://polyvox.test/notifications/confirm/{token}/") == 1
    confirm_url = reverse("notifications:confirm_follow", kwargs={"token": token})
    page = client.get(confirm_url)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200
    assert Follow.objects.get().confirmed_at is None
    client.post(confirm_url)
    assert Follow.objects.get().confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        version = publish_draft_version(actor=secretariat, draft=draft, markdown=V2)

    news = inbox.wait_for(2)[1]
    assert news["To"] == "reader@example.net"
    assert str(news["Subject"]).strip() == "New version of “Draft principles”: version 2"
    assert f"http://polyvox.test{version.get_absolute_url()}" in body_of(news)
    unsubscribe = token_of(news["List-Unsubscribe"], "unsubscribe")
    assert (
        str(news["List-Unsubscribe"]).strip()
        == f"<http://polyvox.test/notifications/unsubscribe/{unsubscribe}/>"
    )
    assert str(news["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"


def test_one_click_unsubscribe_is_a_post_without_cookie_or_csrf_token_and_deletes_the_address(
    process, client, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        request_email_follow(process=process, email="reader@example.net")
    follow = Follow.objects.get()
    token = token_of(mail.outbox[0].body, "confirm")
    confirm_email_follow(token=token)
    from polyvox.notifications.circulation import circulate

    with django_capture_on_commit_callbacks(execute=True):
        circulate(
            process=process, kind="version", compose=lambda _lang: ("News", "Version 2."), url="/x/"
        )
    news = mail.outbox[-1]
    assert news.to == ["reader@example.net"]
    link = headers_of(news)["List-Unsubscribe"].strip("<>")
    assert link in news.body  # the same link, for people who read the footer
    path = link.removeprefix("http://127.0.0.1:8000").removeprefix("http://polyvox.test")

    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Follow.objects.filter(pk=follow.pk).exists()
    assert mail_client.post(path).status_code == 200  # twice is not an error


def test_the_unsubscribe_page_asks_first_and_a_forged_token_is_refused(client, process):
    follow = Follow.objects.create(
        process=process, email="x@example.net", confirmed_at=timezone.now()
    )
    from polyvox.notifications.emails import unsubscribe_url
    from polyvox.notifications.tokens import Unsubscription

    link = unsubscribe_url(Unsubscription(follow_id=follow.pk))
    path = link.split("polyvox.test", 1)[-1].split("8000", 1)[-1]

    page = client.get(path)
    assert page.status_code == 200
    assert process.title in page.content.decode()
    assert Follow.objects.filter(pk=follow.pk).exists()
    forged = client.post(reverse("notifications:unsubscribe", kwargs={"token": "f:1:forged"}))
    assert forged.status_code == 400
    assert "not valid" in forged.content.decode()
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_an_invalid_address_is_shown_on_the_form_and_nothing_is_stored_or_sent(client, process):
    response = client.post(
        reverse("notifications:follow_by_email", kwargs={"slug": process.slug}),
        {"follow-email": "not an address", "follow-mode": "immediate"},
    )

    assert response.status_code == 200
    assert "Enter a valid e-mail address." in response.content.decode()
    assert Follow.objects.count() == 0
    assert mail.outbox == []


def test_asking_again_soon_sends_no_second_confirmation_and_a_confirmed_address_gets_nothing(
    process, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        request_email_follow(process=process, email="reader@example.net", now=now)
        request_email_follow(
            process=process, email="READER@example.net", now=now + timedelta(minutes=5)
        )
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        request_email_follow(
            process=process, email="reader@example.net", now=now + timedelta(minutes=11)
        )
    assert len(mail.outbox) == 2  # the first link may have been lost: a new one after 10 minutes

    confirm_email_follow(token=token_of(mail.outbox[1].body, "confirm"))
    with django_capture_on_commit_callbacks(execute=True):
        request_email_follow(
            process=process, email="reader@example.net", now=now + timedelta(hours=1)
        )
    assert len(mail.outbox) == 2
    assert Follow.objects.count() == 1


def test_an_expired_or_forged_confirmation_link_confirms_nothing(client, process, settings):
    follow = Follow.objects.create(process=process, email="reader@example.net")
    from polyvox.notifications.tokens import confirmation_token

    other_address = confirmation_token(follow.pk, "someone@else.example")
    for token in ("garbage", other_address):
        response = client.post(reverse("notifications:confirm_follow", kwargs={"token": token}))
        assert response.status_code == 400
        assert "not valid or has expired" in response.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed_at is None


def test_following_leaves_no_trace_in_the_public_record(client, process, participant):
    client.force_login(participant)
    client.post(reverse("notifications:follow", kwargs={"slug": process.slug}))
    request_email_follow(process=process, email="reader@example.net")

    assert not RecordEntry.objects.filter(process=process).exists()


def test_a_signed_out_person_cannot_follow_through_the_service(process):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        follow_process(actor=AnonymousUser(), process=process)  # type: ignore[arg-type]
    assert Follow.objects.count() == 0


def test_who_follows_is_shown_to_nobody_else(client, process, participant, other_participant):
    Follow.objects.create(process=process, user=participant, confirmed_at=timezone.now())
    Follow.objects.create(
        process=process, email="secret.reader@example.net", confirmed_at=timezone.now()
    )

    anonymous = client.get(process.get_absolute_url()).content.decode()
    client.force_login(other_participant)
    other = client.get(process.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/processes/{process.slug}").content.decode()

    for text in (anonymous, other, api):
        assert "secret.reader" not in text
        assert "amina" not in text.lower()
    assert "Follow this process</button>" in other  # she does not follow it
