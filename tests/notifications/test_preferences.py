"""Preferences per kind (an e-mail each time, a daily digest, no e-mail), the daily digest, the
one-click unsubscribe of a participant, and reply notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from polyvox.notifications.circulation import circulate
from polyvox.notifications.digests import MAX_ITEMS, send_daily_digests
from polyvox.notifications.following import unsubscribe
from polyvox.notifications.models import Follow, Notification, NotificationPreference
from polyvox.notifications.services import notify, preferences_of, set_preferences
from polyvox.notifications.tokens import Unsubscription, unsubscribe_token
from polyvox.processes.models import ModerationMode
from tests.factories import UserFactory, make_version, submit_comment, submit_reply
from tests.notifications.conftest import headers_of


def test_the_preferences_page_saves_a_choice_per_kind(client, participant):
    client.force_login(participant)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Replies to your inputs" in page
    choices = dict.fromkeys(preferences_of(participant), "immediate")

    response = client.post(
        reverse("notifications:preferences"), choices | {"reply": "daily", "version": "none"}
    )

    assert response.status_code == 302
    assert preferences_of(participant) == choices | {"reply": "daily", "version": "none"}


def test_an_unknown_choice_is_refused_and_nothing_changes(client, participant):
    client.force_login(participant)
    choices = dict.fromkeys(preferences_of(participant), "immediate")

    response = client.post(reverse("notifications:preferences"), choices | {"reply": "hourly"})

    assert response.status_code == 200
    assert NotificationPreference.objects.count() == 0
    with pytest.raises(Exception, match="Unknown kind"):
        set_preferences(actor=participant, modes={"gossip": "daily"})


def test_no_e_mail_keeps_the_notification_in_the_app(
    participant, django_capture_on_commit_callbacks
):
    set_preferences(actor=participant, modes={"version": "none"})

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[participant], subject="V2", body="B", kind="version")

    assert mail.outbox == []
    assert Notification.objects.get(recipient=participant).subject == "V2"


def test_the_daily_digest_gathers_what_waited_and_a_second_run_sends_nothing(
    participant, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://consult.example.org"
    set_preferences(actor=participant, modes={"version": "daily", "reply": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[participant],
            subject="Version 2 of X",
            body="B",
            url="/p/x/",
            kind="version",
        )
        notify(
            recipients=[participant], subject="Kenji replied", body="B", url="/p/y/", kind="reply"
        )
        notify(recipients=[participant], subject="Receipt", body="B", kind="general")
    assert [m.subject for m in mail.outbox] == ["Receipt"]  # only the kind left immediate

    with django_capture_on_commit_callbacks(execute=True):
        sent = send_daily_digests(now=timezone.now())

    assert sent == 1
    digest = mail.outbox[-1]
    assert digest.subject == "Your daily digest: 2 new items"
    assert "- Version 2 of X\n  https://consult.example.org/p/x/" in digest.body
    assert "- Kenji replied\n  https://consult.example.org/p/y/" in digest.body
    assert "Receipt" not in digest.body
    assert headers_of(digest)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests(now=timezone.now()) == 0
    assert len(mail.outbox) == 2


def test_a_long_digest_lists_the_first_items_and_counts_the_rest(
    participant, django_capture_on_commit_callbacks
):
    set_preferences(actor=participant, modes={"version": "daily"})
    for i in range(MAX_ITEMS + 3):
        notify(recipients=[participant], subject=f"Item {i}", body="", kind="version")

    with django_capture_on_commit_callbacks(execute=True):
        send_daily_digests(now=timezone.now())

    [digest] = mail.outbox
    assert digest.subject == f"Your daily digest: {MAX_ITEMS + 3} new items"
    assert "…and 3 more:" in digest.body
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_a_visitors_digest_lists_what_their_process_circulated_since_the_last_one(
    process, django_capture_on_commit_callbacks
):
    confirmed = timezone.now() - timedelta(days=2)
    Follow.objects.create(
        process=process,
        email="daily@example.net",
        mode="daily",
        confirmed_at=confirmed,
        last_digest_at=confirmed,
    )
    with django_capture_on_commit_callbacks(execute=True):
        circulate(
            process=process, kind="version", compose=lambda _lang: ("Version 2", "B"), url="/v2/"
        )
        circulate(
            process=process, kind="phase", compose=lambda _lang: ("Comments open", "B"), url="/p/"
        )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests(now=timezone.now()) == 1
        assert send_daily_digests(now=timezone.now()) == 0

    [digest] = mail.outbox
    assert digest.to == ["daily@example.net"]
    assert "- Version 2" in digest.body
    assert "- Comments open" in digest.body
    assert "List-Unsubscribe" in headers_of(digest)


def test_a_participants_one_click_unsubscribe_stops_that_kind_of_e_mail_only(
    client, participant, django_capture_on_commit_callbacks
):
    token = unsubscribe_token(Unsubscription(user_id=participant.pk, kind="version"))

    response = client.post(
        reverse("notifications:unsubscribe", kwargs={"token": token}),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "New versions of drafts" in response.content.decode()
    assert preferences_of(participant)["version"] == "none"
    assert preferences_of(participant)["reply"] == "immediate"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[participant], subject="V3", body="B", kind="version")
        notify(recipients=[participant], subject="Reply", body="B", kind="reply")
    assert [m.subject for m in mail.outbox] == ["Reply"]


def test_an_unsubscribe_token_for_an_unknown_kind_is_refused(participant):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        unsubscribe(token=unsubscribe_token(Unsubscription(user_id=participant.pk, kind="x")))
    assert NotificationPreference.objects.count() == 0


# Replies -----------------------------------------------------------------------------------------


@pytest.fixture
def section(process):
    return make_version(process).sections.get(anchor="scope")


def test_a_reply_notifies_the_author_of_the_input_with_the_public_byline(
    open_phase,
    participant,
    other_participant,
    section,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://consult.example.org"
    parent = submit_comment(participant, section, body="Access must be universal.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reply = submit_reply(other_participant, parent, body="Agreed, and affordable.")

    notification = Notification.objects.get(recipient=participant, kind="reply")
    assert notification.subject == f"Kenji replied to your input {parent.tracking_number}"
    assert "Agreed, and affordable." in notification.body
    [to_author] = [m for m in mail.outbox if m.to == [participant.email]]
    assert f"https://consult.example.org{reply.get_absolute_url()}" in to_author.body


def test_replying_to_ones_own_input_notifies_nobody_of_a_reply(open_phase, participant, section):
    parent = submit_comment(participant, section)

    submit_reply(participant, parent)

    assert not Notification.objects.filter(kind="reply").exists()


def test_a_pre_moderated_reply_notifies_nobody_before_a_moderator_lets_it_through(
    open_phase, participant, other_participant, section
):
    parent = submit_comment(participant, section)
    section.version.draft.process.moderation_mode = ModerationMode.PRE
    section.version.draft.process.save()
    parent.process.refresh_from_db()

    submit_reply(other_participant, parent, body="Held for review.")

    assert not Notification.objects.filter(kind="reply").exists()


def test_a_reply_under_an_alias_names_the_alias_not_the_person(
    open_phase, participant, section, django_capture_on_commit_callbacks
):
    replier = UserFactory(username="hidden")
    parent = submit_comment(participant, section)
    from polyvox.contributions.services.submitting import submit_contribution
    from polyvox.processes.models import IdentityPolicy

    process = parent.process
    process.identity_policy = IdentityPolicy.PSEUDONYMS_ALLOWED
    process.save()
    replier.profile.alias = "Night Owl"
    replier.profile.save()

    submit_contribution(
        author=replier, process=process, kind="reply", body="B", parent=parent, publication="alias"
    )

    notification = Notification.objects.get(kind="reply")
    assert notification.subject.startswith("Night Owl replied")
    assert "Hidden" not in notification.subject + notification.body
