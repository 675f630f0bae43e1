"""Members and invitations: add, remove, invite by e-mail (through a real SMTP server), accept."""

import email
import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client

from polyvox.processes.models import Invitation, Membership, ParticipationPolicy, Role
from polyvox.processes.services.membership import (
    accept_invitation,
    add_member,
    invite_by_email,
    remove_member,
)
from polyvox.record.models import RecordEntry
from tests.factories import UserFactory


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted"


@pytest.fixture
def inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free local port; Django sends to it over SMTP."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "http://polyvox.test"
    yield handler
    controller.stop()


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def invitation_path(message: EmailMessage) -> str:
    match = re.search(r"http://polyvox\.test(/invitations/[\w-]+/)", body_of(message))
    assert match, body_of(message)
    return match.group(1)


# Through a real SMTP server -----------------------------------------------------------------------


def test_an_invitation_arrives_by_email_and_its_link_gives_the_role(
    inbox, process, secretariat, django_capture_on_commit_callbacks
):
    process.participation_policy = ParticipationPolicy.INVITED
    process.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite_by_email(
            actor=secretariat, process=process, email="lena@example.org", role=Role.PARTICIPANT
        )

    [message] = inbox.messages
    assert message["To"] == "lena@example.org"
    assert message["Subject"] == f"Invitation to {process.title}"
    assert "as Invited participant" in body_of(message)
    link = invitation_path(message)

    lena = UserFactory(username="lena", email="lena@example.org")
    client = Client()
    assert client.get(link).headers["Location"] == f"/accounts/login/?next={link}"
    client.force_login(lena)
    page = client.get(link)
    assert page.status_code == 200
    assert process.title in page.content.decode()
    accepted = client.post(link)

    assert accepted.status_code == 302
    assert accepted.headers["Location"] == process.get_absolute_url()
    assert list(Membership.objects.filter(user=lena).values_list("process", "role")) == [
        (process.pk, Role.PARTICIPANT)
    ]
    assert client.post(link).status_code == 404


def test_the_members_page_sends_an_invitation_by_email(
    inbox, client, process, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/p/{process.slug}/members/",
            {"invite": "1", "inv-email": "omar@example.org", "inv-role": Role.CHAIR},
        )

    assert response.status_code == 302
    [message] = inbox.messages
    assert message["To"] == "omar@example.org"
    assert "as Chair" in body_of(message)
    assert Invitation.objects.get().token in invitation_path(message)


# Services -----------------------------------------------------------------------------------------


def test_an_invitation_to_a_bad_address_is_refused_and_nothing_is_stored(process, secretariat):
    with pytest.raises(ValidationError) as refused:
        invite_by_email(actor=secretariat, process=process, email="not an address", role="chair")

    assert refused.value.message_dict == {"email": ["Enter a valid e-mail address."]}
    assert Invitation.objects.count() == 0


def test_an_invitation_with_an_unknown_role_is_refused(process, secretariat):
    with pytest.raises(ValidationError) as refused:
        invite_by_email(actor=secretariat, process=process, email="a@example.org", role="king")

    assert refused.value.message_dict == {"role": ["Unknown role."]}
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SECRETARIAT])
def test_only_the_secretariat_invites(process, role):
    member = UserFactory(username="member")
    Membership.objects.create(process=process, user=member, role=role)

    with pytest.raises(PermissionDenied):
        invite_by_email(actor=member, process=process, email="a@example.org", role="observer")
    assert Invitation.objects.count() == 0


def test_an_invitation_is_used_once(process, secretariat, participant):
    invitation = invite_by_email(
        actor=secretariat, process=process, email="a@example.org", role=Role.OBSERVER
    )
    accept_invitation(user=participant, token=invitation.token)

    with pytest.raises(Http404):
        accept_invitation(user=UserFactory(username="second"), token=invitation.token)
    assert Membership.objects.filter(process=process, role=Role.OBSERVER).count() == 1


def test_an_unknown_token_is_not_found(process, participant):
    with pytest.raises(Http404):
        accept_invitation(user=participant, token="no-such-token")


def test_an_invitation_expires_after_30_days_with_a_clear_message(
    process, secretariat, participant
):
    invitation = invite_by_email(
        actor=secretariat, process=process, email="a@example.org", role=Role.RAPPORTEUR
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - timedelta(days=30, minutes=1)
    )

    with pytest.raises(ValidationError) as refused:
        accept_invitation(user=participant, token=invitation.token)

    assert refused.value.message_dict == {
        "token": ["This invitation expired after 30 days. Ask the secretariat to invite you again."]
    }
    assert not Membership.objects.filter(user=participant).exists()


def test_an_expired_link_says_so_on_its_page(client, process, secretariat, participant):
    invitation = invite_by_email(
        actor=secretariat, process=process, email="a@example.org", role=Role.RAPPORTEUR
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - timedelta(days=31)
    )
    client.force_login(participant)

    response = client.post(f"/invitations/{invitation.token}/")

    assert response.status_code == 400
    assert "This invitation expired after 30 days." in response.content.decode()


def test_giving_a_staff_role_goes_on_the_record_and_an_invited_participant_does_not(
    process, secretariat, participant, other_participant
):
    add_member(actor=secretariat, process=process, user=participant, role=Role.CHAIR)
    add_member(actor=secretariat, process=process, user=other_participant, role=Role.PARTICIPANT)

    entries = RecordEntry.objects.filter(process=process, kind__startswith="member.")
    chair = Membership.objects.get(process=process, user=participant, role=Role.CHAIR)
    assert [(e.kind, e.payload) for e in entries] == [
        ("member.role_granted", {"membership_id": chair.pk, "role": "chair"})
    ]


def test_the_last_secretariat_member_cannot_be_removed(process, secretariat):
    membership = Membership.objects.get(user=secretariat, role=Role.SECRETARIAT)

    with pytest.raises(ValidationError) as refused:
        remove_member(actor=secretariat, membership=membership)

    assert refused.value.message_dict == {
        "role": ["A process needs at least one secretariat member."]
    }
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_secretariat_member_can_be_removed_while_another_remains(process, secretariat):
    second = UserFactory(username="second")
    add_member(actor=secretariat, process=process, user=second, role=Role.SECRETARIAT)
    membership = Membership.objects.get(user=secretariat, role=Role.SECRETARIAT)
    membership_id = membership.pk

    remove_member(actor=second, membership=membership)

    assert list(
        Membership.objects.filter(process=process, role=Role.SECRETARIAT).values_list(
            "user__username", flat=True
        )
    ) == ["second"]
    assert RecordEntry.objects.filter(kind="member.role_revoked").get().payload == {
        "membership_id": membership_id,
        "role": "secretariat",
    }


# Pages --------------------------------------------------------------------------------------------


def test_the_members_page_shows_roles_and_addresses_to_the_secretariat(
    client, process, secretariat, participant
):
    add_member(actor=secretariat, process=process, user=participant, role=Role.MODERATOR)
    client.force_login(secretariat)

    page = client.get(f"/p/{process.slug}/members/").content.decode()

    assert participant.email in page
    assert "Moderator" in page
    assert "Moderator — hides inputs that break the moderation policy, with a reason" in page


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SECRETARIAT])
def test_the_members_page_is_for_the_secretariat_only(client, process, secretariat, role):
    member = UserFactory(username="member")
    Membership.objects.create(process=process, user=member, role=role)
    client.force_login(member)

    response = client.get(f"/p/{process.slug}/members/")

    assert response.status_code == 403
    assert secretariat.email not in response.content.decode()


def test_the_process_page_lists_who_runs_it_without_addresses(
    client, process, secretariat, participant, other_participant
):
    add_member(actor=secretariat, process=process, user=participant, role=Role.RAPPORTEUR)
    add_member(actor=secretariat, process=process, user=other_participant, role=Role.PARTICIPANT)

    page = client.get(process.get_absolute_url()).content.decode()

    assert f"@{participant.username}" in page
    assert "Rapporteur" in page
    assert f"@{other_participant.username}" not in page
    assert participant.email not in page
    assert secretariat.email not in page


def test_a_role_is_given_and_removed_on_the_members_page(client, process, secretariat, participant):
    client.force_login(secretariat)
    client.post(
        f"/p/{process.slug}/members/",
        {"add": "1", "add-username": participant.username, "add-role": Role.OBSERVER},
    )
    membership = Membership.objects.get(user=participant)
    assert membership.role == Role.OBSERVER

    response = client.post(f"/p/{process.slug}/members/remove/", {"membership": membership.pk})

    assert response.status_code == 302
    assert not Membership.objects.filter(user=participant).exists()


def test_an_unknown_username_is_shown_on_the_form(client, process, secretariat):
    client.force_login(secretariat)

    response = client.post(
        f"/p/{process.slug}/members/",
        {"add": "1", "add-username": "nobody", "add-role": Role.OBSERVER},
    )

    assert response.status_code == 200
    assert "No participant with this username." in response.content.decode()
    assert Membership.objects.filter(process=process).count() == 1


def test_the_roles_page_prints_the_table(client):
    page = client.get("/roles/").content.decode()

    assert "Invited participant" in page
    assert '<th scope="row">Close the process</th>' in page
