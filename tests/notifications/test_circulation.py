"""Circulation to all: a new draft version and a phase opening reach every follower and every
registered participant of the process (not only those who took part), once each, never the
person who acted; e-mail links are built from the configured site URL."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from polyvox.drafts.models import Draft
from polyvox.drafts.services import publish_draft_version
from polyvox.notifications.circulation import circulate, deliver_circulation
from polyvox.notifications.models import Circulation, Follow, Notification
from polyvox.processes.services.scheduling import schedule_phase
from tests.factories import UserFactory, invite, make_version, submit_comment
from tests.notifications.conftest import headers_of

V1 = "# Scope\n\nText one.\n\n# Access\n\nText two.\n"


@pytest.fixture
def draft(process, secretariat):
    return Draft.objects.create(process=process, slug="principles", title="Draft principles")


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_new_version_reaches_followers_members_and_contributors_once_each_but_not_the_publisher(
    draft, secretariat, open_phase, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://consult.example.org"
    process = draft.process
    member = invite(process, UserFactory(username="member"))
    follower = UserFactory(username="follower")  # never took part
    Follow.objects.create(process=process, user=follower, confirmed_at=timezone.now())
    contributor = UserFactory(username="contributor")
    submit_comment(contributor, make_version(process, number=1).sections.get(anchor="scope"))
    Follow.objects.create(process=process, user=contributor, confirmed_at=timezone.now())
    Follow.objects.create(process=process, email="visitor@example.net", confirmed_at=timezone.now())
    # A visitor whose address is a participant's: one e-mail, through the account.
    Follow.objects.create(process=process, email="member@example.org", confirmed_at=timezone.now())
    Follow.objects.create(process=process, email="unconfirmed@example.net")
    UserFactory(username="bystander")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        version = publish_draft_version(actor=secretariat, draft=draft, markdown=V1)

    assert _recipients() == [
        "contributor@example.org",
        "follower@example.org",
        "member@example.org",
        "visitor@example.net",
    ]
    assert sorted(
        Notification.objects.filter(kind="version").values_list("recipient__username", flat=True)
    ) == ["contributor", "follower", "member"]
    for message in mail.outbox:
        assert f"https://consult.example.org{version.get_absolute_url()}" in message.body
        assert headers_of(message)["List-Unsubscribe"].startswith(
            "<https://consult.example.org/notifications/unsubscribe/"
        )
    assert member.is_active


def test_a_phase_opening_reaches_followers_and_participants(
    process, secretariat, settings, django_capture_on_commit_callbacks
):
    follower = UserFactory(username="follower")
    Follow.objects.create(process=process, user=follower, confirmed_at=timezone.now())
    Follow.objects.create(process=process, email="visitor@example.net", confirmed_at=timezone.now())
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        schedule_phase(
            actor=secretariat,
            process=process,
            kind="call_for_inputs",
            title="Call for inputs",
            starts_at=now - timedelta(minutes=1),
            ends_at=now + timedelta(days=30),
        )

    circulation = Circulation.objects.get(kind="phase")
    assert circulation.subject == f"{process.title}: “Call for inputs” is open"
    assert _recipients() == ["follower@example.org", "sofia@example.org", "visitor@example.net"]


def test_a_phase_already_over_when_its_opening_is_recorded_late_is_not_announced(
    process, secretariat, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_phase(
            actor=secretariat,
            process=process,
            kind="call_for_inputs",
            title="Long gone",
            starts_at=now - timedelta(days=10),
            ends_at=now - timedelta(days=3),
        )

    assert not Circulation.objects.filter(kind="phase").exists()


def test_a_repeated_delivery_sends_nothing_twice(process, django_capture_on_commit_callbacks):
    Follow.objects.create(process=process, user=UserFactory(), confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        circulation = circulate(
            process=process, kind="version", compose=lambda _lang: ("News", "B"), url=""
        )
    assert len(mail.outbox) == 1

    assert deliver_circulation(circulation_id=circulation.pk) == 0
    assert len(mail.outbox) == 1


def test_a_visitor_who_chose_the_daily_digest_gets_no_immediate_e_mail(
    process, django_capture_on_commit_callbacks
):
    Follow.objects.create(
        process=process, email="daily@example.net", mode="daily", confirmed_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        circulate(process=process, kind="version", compose=lambda _lang: ("News", "B"), url="")

    assert mail.outbox == []


def test_circulation_is_delivered_in_batches_after_commit_not_in_the_request(
    process, django_capture_on_commit_callbacks, monkeypatch
):
    from polyvox.notifications import circulation as module

    monkeypatch.setattr(module, "BATCH", 2)
    for i in range(5):
        Follow.objects.create(
            process=process, user=UserFactory(username=f"f{i}"), confirmed_at=timezone.now()
        )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        circulate(process=process, kind="version", compose=lambda _lang: ("News", "B"), url="")
    assert Notification.objects.count() == 0  # nothing fanned out inside the writer's transaction

    for callback in callbacks:
        with django_capture_on_commit_callbacks(execute=True):
            callback()

    assert Notification.objects.count() == 5
    assert len(mail.outbox) == 5
