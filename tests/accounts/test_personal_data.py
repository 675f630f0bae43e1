"""The download of everything Polyvox holds about a person: every section, theirs only, streamed."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polyvox.accounts.models import ApiToken
from polyvox.accounts.personal_data import registered_sections
from polyvox.caucuses.models import CaucusPost, CaucusThread
from polyvox.commitments.models import Commitment
from polyvox.contributions.models import ContributionRevision
from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.moderation.models import Appeal, Flag, ModerationAction
from polyvox.notifications.models import (
    EmailLanguage,
    Follow,
    Notification,
    NotificationPreference,
)
from polyvox.participants.models import Consent, Profile, User
from polyvox.processes.models import Membership, ProcessTranslation, Role
from polyvox.statements.models import Vote
from tests.accounts.conftest import make_token
from tests.factories import (
    add_caucus_member,
    declare_interests,
    make_caucus,
    make_organisation,
    make_statement,
    submit_comment,
)

pytestmark = pytest.mark.django_db


def _download(client, user: User) -> dict:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("accounts:data"))
    assert response.status_code == 200
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


def _fill(user: User, process, section, tag: str) -> None:  # type: ignore[no-untyped-def]
    """One row of `user` in every app, each carrying `tag`."""
    Profile.objects.filter(user=user).update(gender=f"gender-{tag}", interests=f"interests-{tag}")
    Consent.objects.create(user=user, document="terms", version=f"v-{tag}")
    declare_interests(user)
    contribution = submit_comment(user, section, f"input-{tag}")
    Membership.objects.create(process=process, user=user, role=Role.OBSERVER)
    ContributionRevision.objects.create(
        contribution=contribution, number=2, body=f"revision-{tag}", created_at=timezone.now()
    )
    statement = make_statement(process, f"statement-{tag}", author=user)
    Vote.objects.create(statement=statement, participant=user, value=1)
    make_organisation(f"organisation-{tag}", admin=user)
    joint = JointStatement.objects.create(
        process=process, title=f"joint-{tag}", body="…", author=user, author_name=tag
    )
    Signature.objects.create(
        statement=joint, signer=user, signer_name=f"signer-{tag}",
        stakeholder_group="civil_society", signed_at=timezone.now(),
    )  # fmt: skip
    caucus = make_caucus(process, user, name=f"caucus-{tag}")
    thread = CaucusThread.objects.create(caucus=caucus, title=f"thread-{tag}", author=user)
    CaucusPost.objects.create(thread=thread, author=user, body=f"post-{tag}")
    Commitment.objects.create(
        process=process, title=f"commitment-{tag}", owner=user, owner_name=tag,
        due_on=date(2027, 1, 1),
    )  # fmt: skip
    Notification.objects.create(recipient=user, subject=f"notification-{tag}")
    Follow.objects.create(process=process, user=user)
    NotificationPreference.objects.create(user=user, kind="replies", mode="daily")
    ProcessTranslation.objects.create(
        process=process, language=f"x-{tag.lower()}", title=f"translation-{tag}", translated_by=user
    )
    make_token(user, name=f"token-{tag}")


@pytest.fixture
def filled(open_phase, section, participant, other_participant):  # type: ignore[no-untyped-def]
    _fill(participant, open_phase.process, section, "AMINA")
    _fill(other_participant, open_phase.process, section, "KENJI")
    return participant


def test_every_app_that_holds_something_about_the_person_has_a_section(client, filled):
    document = _download(client, filled)
    sections = document["sections"]

    assert document["format"] == "polyvox-personal-data/1"
    assert list(sections) == registered_sections()
    expected = {
        "account": "amina@example.org",
        "profile": "gender-AMINA",
        "consents": "v-AMINA",
        "statements_of_interest": "affiliations",
        "memberships": "observer",
        "contributions": "input-AMINA",
        "contribution_revisions": "revision-AMINA",
        "votes": "statement-AMINA",
        "statements": "statement-AMINA",
        "organisation_memberships": "organisation-AMINA",
        "joint_statements": "joint-AMINA",
        "signatures": "signer-AMINA",
        "caucus_memberships": "caucus-AMINA",
        "caucus_threads": "thread-AMINA",
        "caucus_posts": "post-AMINA",
        "commitments": "commitment-AMINA",
        "notifications": "notification-AMINA",
        "follows": "immediate",
        "notification_preferences": "daily",
        "process_translations": "translation-AMINA",
        "api_tokens": "token-AMINA",
    }
    for name, needle in expected.items():
        assert sections[name], name
        assert needle in json.dumps(sections[name]).lower() or needle in json.dumps(
            sections[name]
        ), name


def test_the_download_holds_the_language_of_the_persons_e_mails_and_of_their_e_mail_follows(
    client, process, participant, other_participant
):
    EmailLanguage.objects.create(user=participant, language="ar")
    EmailLanguage.objects.create(user=other_participant, language="ru")
    Follow.objects.create(process=process, email="amina@example.org", language="fr")

    sections = _download(client, participant)["sections"]

    assert [row["language"] for row in sections["email_language"]] == ["ar"]
    assert [(row["email"], row["language"]) for row in sections["follows"]] == [
        ("amina@example.org", "fr")
    ]


def test_another_persons_data_never_appears(client, filled):
    text = json.dumps(_download(client, filled))

    assert "KENJI" not in text
    assert "kenji" not in text


def test_the_download_holds_no_secret_of_a_token(client, filled):
    text = json.dumps(_download(client, filled))

    token = ApiToken.objects.get(user=filled)
    assert token.prefix in text
    assert "key_hash" not in text
    assert token.key_hash not in text


def test_the_download_needs_a_login(client):
    response = client.get(reverse("accounts:data"))

    assert response.status_code == 302


def test_the_download_is_an_attachment_never_cached(client, participant):
    client.force_login(participant)

    response = client.get(reverse("accounts:data"))

    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("application/json")


def _queries_for_download(client, user: User) -> int:  # type: ignore[no-untyped-def]
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:data"))
        body = b"".join(response.streaming_content)
    json.loads(body)
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_rows(client, open_phase, section, participant):
    process = open_phase.process
    submit_comment(participant, section, "one")
    Notification.objects.create(recipient=participant, subject="one")
    few = _queries_for_download(client, participant)

    for number in range(30):
        submit_comment(participant, section, f"more {number}")
    Notification.objects.bulk_create(
        Notification(recipient=participant, subject=f"n{number}") for number in range(600)
    )
    statements = [make_statement(process, f"s{number}") for number in range(40)]
    Vote.objects.bulk_create(
        Vote(statement=s, participant=participant, value=1) for s in statements
    )

    assert _queries_for_download(client, participant) == few


def test_a_large_download_comes_in_several_pieces(client, participant):
    Notification.objects.bulk_create(
        Notification(recipient=participant, subject="x" * 190, body="y" * 400)
        for _number in range(400)
    )
    client.force_login(participant)

    response = client.get(reverse("accounts:data"))
    pieces = list(response.streaming_content)

    assert len(pieces) > 1
    assert len(json.loads(b"".join(pieces))["sections"]["notifications"]) == 400


def test_a_caucus_members_download_does_not_hold_the_other_members_posts(
    client, process, participant, other_participant
):
    caucus = make_caucus(process, other_participant, name="Private caucus")
    add_caucus_member(caucus, participant)
    thread = CaucusThread.objects.create(caucus=caucus, title="Plans", author=other_participant)
    CaucusPost.objects.create(thread=thread, author=other_participant, body="SECRET-OF-KENJI")

    text = json.dumps(_download(client, participant))

    assert "Private caucus" in text
    assert "SECRET-OF-KENJI" not in text


def test_flags_actions_and_appeals_are_in_the_download_without_who_flagged_or_moderated(
    client, open_phase, section, participant, other_participant, secretariat
):
    mine = submit_comment(participant, section, "My input.")
    theirs = submit_comment(other_participant, section, "Their input.")
    Flag.objects.create(
        process=open_phase.process, contribution=theirs, flagger=participant,
        reason_code="spam", text="FLAG-BY-AMINA",
    )  # fmt: skip
    Flag.objects.create(
        process=open_phase.process, contribution=mine, flagger=other_participant,
        reason_code="off_topic", text="FLAG-BY-KENJI",
    )  # fmt: skip
    action = ModerationAction.objects.create(
        process=open_phase.process, contribution=mine, author=participant, moderator=secretariat,
        action="hide", reason_code="off_topic", text="Hidden: off topic.",
    )  # fmt: skip
    Appeal.objects.create(action=action, appellant=participant, text="APPEAL-BY-AMINA")

    document = _download(client, participant)
    sections = document["sections"]
    text = json.dumps(document)

    assert [flag["text"] for flag in sections["moderation_flags"]] == ["FLAG-BY-AMINA"]
    assert sections["moderation_actions"][0]["tracking_number"] == mine.tracking_number
    assert sections["moderation_actions"][0]["text"] == "Hidden: off topic."
    assert sections["moderation_appeals"][0]["text"] == "APPEAL-BY-AMINA"
    assert "FLAG-BY-KENJI" not in text
    assert "kenji" not in text
    assert "sofia" not in text.lower()
