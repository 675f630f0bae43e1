"""Closing an account: inputs stay, anonymised per process; the person's data goes; the record
is untouched."""

import json
from datetime import date

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polyvox.accounts.models import ApiToken
from polyvox.accounts.services.closing import FORMER_PARTICIPANT, close_account
from polyvox.commitments.models import Commitment
from polyvox.contributions.models import Contribution
from polyvox.joint_statements.models import JointStatement, Signature
from polyvox.notifications.models import (
    EmailLanguage,
    Follow,
    Notification,
    NotificationPreference,
)
from polyvox.participants.models import Profile, User
from polyvox.processes.models import ClosedAccountByline
from polyvox.record.models import RecordCheckpoint, RecordEntry
from polyvox.record.services import integrate_pending
from tests.accounts.conftest import bearer, make_token
from tests.factories import (
    PhaseFactory,
    ProcessFactory,
    UserFactory,
    make_organisation,
    make_version,
    submit_comment,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def amina(db: None) -> User:
    user = UserFactory(username="amina", email="amina@example.org")
    Profile.objects.filter(user=user).update(
        display_name="Amina Diallo",
        alias="Baobab",
        organisation="Rhizomatica",
        subgroup="Digital rights",
        gender="woman",
        interests="Spectrum policy",
        timezone="Africa/Dakar",
        languages=["fr", "en"],
        stakeholder_group="civil_society",
        country="SN",
    )
    user.refresh_from_db()
    return user


def _close(user: User) -> User:
    return close_account(actor=user, user=user, password=PASSWORD, confirm=True)


def _inputs_in(policy: str, author: User, body: str) -> Contribution:
    process = ProcessFactory(closed_account_byline=policy)
    PhaseFactory(process=process)
    section = make_version(process).sections.get(anchor="scope")
    return submit_comment(author, section, body)


def test_inputs_stay_with_the_byline_each_process_asks_for(amina):
    anonymous = _inputs_in(ClosedAccountByline.ANONYMOUS, amina, "Keep spectrum open.")
    organisation = _inputs_in(ClosedAccountByline.ORGANISATION, amina, "Fund community networks.")

    _close(amina)

    anonymous.refresh_from_db()
    organisation.refresh_from_db()
    assert anonymous.author_name == FORMER_PARTICIPANT
    assert anonymous.organisation == ""
    assert anonymous.body == "Keep spectrum open."
    assert anonymous.stakeholder_group == "civil_society"
    assert organisation.author_name == "Former participant, Rhizomatica"
    assert organisation.body == "Fund community networks."
    assert Contribution.objects.filter(author=amina).count() == 2


def test_an_input_for_an_organisation_keeps_the_organisation(amina):
    rhizomatica = make_organisation(admin=amina)
    process = ProcessFactory()
    PhaseFactory(process=process)
    section = make_version(process).sections.get(anchor="scope")
    spoken = submit_comment(amina, section, "For us.", on_behalf_of=rhizomatica)

    _close(amina)

    spoken.refresh_from_db()
    assert spoken.author_name == FORMER_PARTICIPANT
    assert spoken.on_behalf_of == rhizomatica
    assert spoken.organisation == "Rhizomatica"


def test_the_input_page_shows_former_participant_and_not_the_name(client, amina):
    contribution = _inputs_in(ClosedAccountByline.ANONYMOUS, amina, "Keep spectrum open.")

    _close(amina)

    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Former participant" in page
    assert "Amina Diallo" not in page
    assert "Keep spectrum open." in page


def test_other_public_name_snapshots_become_former_participant(amina, process):
    statement = JointStatement.objects.create(
        process=process, title="Open spectrum", body="We ask…", author=amina,
        author_name="Amina Diallo",
    )  # fmt: skip
    signature = Signature.objects.create(
        statement=statement, signer=amina, signer_name="Amina Diallo",
        stakeholder_group="civil_society", signed_at=timezone.now(),
    )  # fmt: skip
    commitment = Commitment.objects.create(
        process=process, title="Publish the data", owner=amina, owner_name="Amina Diallo",
        due_on=date(2027, 1, 1),
    )  # fmt: skip

    _close(amina)

    for row, field in ((statement, "author_name"), (signature, "signer_name"),
                       (commitment, "owner_name")):  # fmt: skip
        row.refresh_from_db()
        assert getattr(row, field) == FORMER_PARTICIPANT


def test_the_profile_keeps_only_what_statistics_count(amina):
    _close(amina)

    profile = Profile.objects.get(user=amina)
    assert profile.display_name == FORMER_PARTICIPANT
    assert (profile.alias, profile.gender, profile.organisation, profile.subgroup) == ("",) * 4
    assert (profile.interests, profile.timezone, profile.languages) == ("", "", [])
    assert (profile.stakeholder_group, profile.country) == ("civil_society", "SN")


def test_the_account_is_closed_and_holds_no_name_or_address(amina):
    Notification.objects.create(recipient=amina, subject="Your input was answered")

    closed = _close(amina)

    closed.refresh_from_db()
    assert closed.closed_at is not None
    assert closed.is_active is False
    assert closed.username == f"closed-{closed.pk}"
    assert closed.email == f"closed-{closed.pk}@closed.invalid"
    assert not closed.has_usable_password()
    assert Notification.objects.filter(recipient=closed).count() == 0


def test_the_tokens_are_revoked_and_stop_working(client, amina):
    key = make_token(amina).key

    _close(amina)

    assert ApiToken.objects.get().revoked_at is not None
    assert client.get("/api/v1/processes", **bearer(key)).status_code == 401


def test_nothing_more_is_sent_to_a_closed_account(amina, process):
    Follow.objects.create(process=process, user=amina)
    Follow.objects.create(process=process, email=amina.email.lower(), confirmed_at=timezone.now())
    NotificationPreference.objects.create(user=amina, kind="replies", mode="daily")
    EmailLanguage.objects.create(user=amina, language="fr")
    someone_else = Follow.objects.create(process=process, email="kenji@example.org")

    _close(amina)

    assert list(Follow.objects.all()) == [someone_else]
    assert not NotificationPreference.objects.exists()
    assert not EmailLanguage.objects.exists()


def test_every_session_ends(amina):
    elsewhere = Client()
    elsewhere.force_login(amina)
    assert elsewhere.get(reverse("participants:profile")).status_code == 200

    _close(amina)

    response = elsewhere.get(reverse("participants:profile"))
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_the_record_is_untouched_and_holds_no_name_or_address(amina):
    contribution = _inputs_in(ClosedAccountByline.ORGANISATION, amina, "Keep spectrum open.")
    integrate_pending()
    process = contribution.process
    entries = list(RecordEntry.objects.filter(process=process).order_by("pk").values())
    checkpoints = list(RecordCheckpoint.objects.filter(process=process).order_by("pk").values())
    assert entries
    assert checkpoints

    _close(amina)
    integrate_pending()

    assert list(RecordEntry.objects.filter(process=process).order_by("pk").values()) == entries
    assert (
        list(RecordCheckpoint.objects.filter(process=process).order_by("pk").values())
        == checkpoints
    )


def test_the_record_holds_no_name_of_the_author(amina):
    contribution = _inputs_in(ClosedAccountByline.ANONYMOUS, amina, "Keep spectrum open.")

    payloads = RecordEntry.objects.filter(process=contribution.process).values_list(
        "payload", flat=True
    )

    assert "Amina Diallo" not in json.dumps(list(payloads))


def test_the_record_holds_no_address_nor_private_profile_data(amina):
    contribution = _inputs_in(ClosedAccountByline.ANONYMOUS, amina, "Keep spectrum open.")

    payloads = RecordEntry.objects.filter(process=contribution.process).values_list(
        "payload", flat=True
    )

    text = json.dumps(list(payloads))
    for private in ("amina@example.org", "woman", "Spectrum policy", "Africa/Dakar"):
        assert private not in text


def test_a_wrong_password_or_no_confirmation_closes_nothing(amina):
    with pytest.raises(ValidationError) as error:
        close_account(actor=amina, user=amina, password="wrong", confirm=False)

    assert set(error.value.message_dict) == {"password", "confirm"}
    amina.refresh_from_db()
    assert amina.closed_at is None
    assert amina.is_active
    assert Profile.objects.get(user=amina).display_name == "Amina Diallo"


def test_nobody_closes_someone_elses_account(amina, other_participant):
    with pytest.raises(PermissionDenied):
        close_account(actor=other_participant, user=amina, password=PASSWORD, confirm=True)

    amina.refresh_from_db()
    assert amina.closed_at is None


def test_the_closing_page_asks_for_the_password_then_logs_out(client, amina):
    client.force_login(amina)
    contribution = _inputs_in(ClosedAccountByline.ANONYMOUS, amina, "Keep spectrum open.")

    refused = client.post(reverse("accounts:close"), {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["password"]

    response = client.post(reverse("accounts:close"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:closed")
    assert SESSION_KEY not in client.session
    contribution.refresh_from_db()
    assert contribution.author_name == FORMER_PARTICIPANT


def test_a_closed_accounts_public_page_is_gone(client, amina):
    username = amina.username
    _close(amina)

    assert client.get(reverse("participants:public_profile", args=[username])).status_code == 404
    closed = reverse("participants:public_profile", args=[f"closed-{amina.pk}"])
    assert client.get(closed).status_code == 404


def test_a_closed_account_cannot_log_in(client, amina):
    _close(amina)

    response = client.post(
        reverse("participants:login"), {"username": "amina", "password": PASSWORD}
    )

    assert SESSION_KEY not in client.session
    assert response.status_code in (200, 403)


def test_the_profile_page_links_to_tokens_data_and_closing(client, participant):
    client.force_login(participant)

    html = client.get("/accounts/profile/").content.decode()

    for path in ("/account/tokens/", "/account/data/", "/account/close/"):
        assert f'href="{path}"' in html
