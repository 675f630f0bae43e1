"""Pseudonymous but verified, as people meet it: the "Publish under" choice on the forms and the API,
public pages, downloads and search that show the byline only, the secretariat's pages that show
the verified account, and the alias on the profile."""

import csv
import io
import json

import pytest
from django.test import Client

from polyvox.contributions.models import Contribution
from polyvox.contributions.search import search_contributions
from polyvox.drafts.models import Section
from polyvox.participants.models import User
from polyvox.processes.models import IdentityPolicy, Process
from tests.factories import UserFactory, submit_comment
from tests.factories import contribution_url as url

REAL_NAME = "Amina Realname"


@pytest.fixture
def pseudonymous(process: Process) -> Process:
    process.identity_policy = IdentityPolicy.PSEUDONYMS_ALLOWED
    process.save()
    return process


@pytest.fixture
def amina(participant: User) -> User:
    participant.profile.display_name = REAL_NAME
    participant.profile.alias = "Nightjar"
    participant.profile.organisation = "Ushahidi Trust"
    participant.profile.save()
    return participant


@pytest.fixture
def anonymous_input(pseudonymous, open_phase, amina, section: Section) -> Contribution:
    return submit_comment(amina, section, "Keep spectrum licence-exempt.", publication="anonymous")


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _assert_no_identity(text: str) -> None:
    assert REAL_NAME not in text
    assert "Ushahidi" not in text
    assert "amina" not in text.lower()


# The forms ---------------------------------------------------------------------------------------


def test_a_pseudonymous_process_offers_name_alias_or_anonymous(
    client, pseudonymous, open_phase, amina
):
    client.force_login(amina)

    page = client.get(url("create", pseudonymous, kind="general")).content.decode()

    assert "Publish under" in page
    assert f"My name ({REAL_NAME})" in page
    assert "My alias (Nightjar)" in page
    assert "Anonymously" in page


def test_the_alias_is_offered_only_once_one_is_set(client, pseudonymous, open_phase):
    author = UserFactory(username="kofi")
    client.force_login(author)

    page = client.get(url("create", pseudonymous, kind="general")).content.decode()

    assert "Publish under" in page
    assert "My alias" not in page


def test_a_real_names_process_does_not_offer_the_choice(client, process, open_phase, amina):
    client.force_login(amina)

    page = client.get(url("create", process, kind="general")).content.decode()

    assert "Publish under" not in page


def test_an_anonymous_general_comment_goes_through_the_form(
    client, pseudonymous, open_phase, amina, version
):
    client.force_login(amina)

    response = client.post(
        url("create", pseudonymous, kind="general"),
        {"body": "Fund community networks.", "publication": "anonymous"},
    )

    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert (contribution.author_name, contribution.publication) == (
        "Anonymous participant",
        "anonymous",
    )


def test_the_section_comment_form_on_the_draft_page_can_be_anonymous(
    client, pseudonymous, open_phase, amina, section
):
    client.force_login(amina)

    response = client.post(
        url("comment", pseudonymous, section_id=section.pk),
        {"body": "Spectrum please.", "publication": "alias"},
    )

    assert response.status_code == 302
    assert Contribution.objects.get().author_name == "Nightjar"


def test_a_reply_through_the_form_can_be_anonymous(
    client, pseudonymous, open_phase, amina, other_participant, section
):
    parent = submit_comment(other_participant, section)
    client.force_login(amina)

    client.post(
        url("reply", pseudonymous, tracking_number=parent.tracking_number),
        {"body": "Agreed.", "publication": "anonymous"},
    )

    assert parent.replies.get().author_name == "Anonymous participant"


def test_a_forged_choice_is_refused_on_the_form_and_nothing_is_stored(
    client, pseudonymous, open_phase, section
):
    author = UserFactory(username="kofi")  # no alias
    client.force_login(author)

    response = client.post(
        url("comment", pseudonymous, section_id=section.pk),
        {"body": "Spectrum please.", "publication": "alias"},
    )

    assert response.status_code == 200
    assert "Publish under your name, your alias or anonymously." in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_filled_honeypot_refuses_the_input(client, pseudonymous, open_phase, amina, section):
    client.force_login(amina)

    response = client.post(
        url("comment", pseudonymous, section_id=section.pk),
        {"body": "Buy now.", "contact_url": "http://spam.example"},
    )

    assert response.status_code == 200
    assert "was filled in" in response.content.decode()
    assert Contribution.objects.count() == 0


# The API -----------------------------------------------------------------------------------------


def test_the_api_posts_an_anonymous_comment(client, pseudonymous, open_phase, amina, section):
    client.force_login(amina)

    response = client.post(
        f"/api/v1/processes/{pseudonymous.slug}/contributions",
        {
            "kind": "comment",
            "text": "Spectrum.",
            "draft": "principles",
            "section": "scope",
            "publication": "anonymous",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["author"] == "Anonymous participant"
    _assert_no_identity(response.content.decode())


def test_the_api_refuses_a_pseudonym_on_a_real_names_process(
    client, process, open_phase, amina, section
):
    client.force_login(amina)

    response = client.post(
        f"/api/v1/processes/{process.slug}/contributions",
        {
            "kind": "comment",
            "text": "Spectrum.",
            "draft": "principles",
            "section": "scope",
            "publication": "alias",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["publication"]
    assert Contribution.objects.count() == 0


# Public pages, downloads and search ----------------------------------------------------------------


def test_public_pages_and_downloads_show_the_byline_and_never_the_account(
    anonymous_input, pseudonymous, version
):
    client = Client()
    slug = pseudonymous.slug
    addresses = [
        anonymous_input.get_absolute_url(),
        url("list", pseudonymous),
        url("list_csv", pseudonymous),
        url("list_json", pseudonymous),
        f"/p/{slug}/drafts/principles/v1/",
        url("feedback_report", pseudonymous, draft="principles", number=1),
        f"/p/{slug}/drafts/principles/v1/feedback.csv",
        f"/p/{slug}/drafts/principles/v1/feedback.json",
        f"/api/v1/processes/{slug}/contributions",
        f"/api/v1/processes/{slug}/drafts/principles/versions/1/feedback",
    ]

    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        text = _text(response)
        _assert_no_identity(text)
    detail = _text(client.get(anonymous_input.get_absolute_url()))
    assert "Anonymous participant" in detail
    rows = list(csv.DictReader(io.StringIO(_text(client.get(url("list_csv", pseudonymous))))))
    assert [row["author"] for row in rows] == ["Anonymous participant"]
    data = json.loads(_text(client.get(f"/api/v1/processes/{slug}/contributions")))
    assert [item["author"] for item in data] == ["Anonymous participant"]


def test_the_authors_public_page_neither_lists_nor_links_the_input(anonymous_input, amina):
    client = Client()

    profile = client.get(f"/accounts/people/{amina.username}/").content.decode()
    detail = client.get(anonymous_input.get_absolute_url()).content.decode()

    assert anonymous_input.tracking_number not in profile
    assert "Nightjar" not in profile
    assert "/accounts/people/" not in detail


def test_searching_for_the_real_name_does_not_find_the_anonymous_input(
    anonymous_input, pseudonymous, section, amina
):
    aliased = submit_comment(amina, section, "Another point.", publication="alias")
    public = Contribution.objects.public().filter(process=pseudonymous)

    assert list(search_contributions(public, "Realname")) == []
    assert list(search_contributions(public, "Ushahidi")) == []
    assert list(search_contributions(public, "Nightjar")) == [aliased]


# The secretariat ---------------------------------------------------------------------------------


def test_the_answer_page_shows_the_secretariat_the_verified_account(
    client, anonymous_input, secretariat
):
    client.force_login(secretariat)

    page = client.get(
        url("answer", anonymous_input.process, tracking_number=anonymous_input.tracking_number)
    ).content.decode()

    assert "Who sent it" in page
    assert REAL_NAME in page
    assert "@amina" in page
    assert "Ushahidi Trust" in page
    assert "example.org" in page


def test_the_workbench_names_the_account_behind_each_byline(client, anonymous_input, secretariat):
    client.force_login(secretariat)

    page = client.get(url("workbench", anonymous_input.process)).content.decode()

    assert "Anonymous participant" in page
    assert f"{REAL_NAME} (@amina)" in page


def test_another_participant_never_sees_the_account_on_the_input_page(
    client, anonymous_input, other_participant
):
    client.force_login(other_participant)

    page = client.get(anonymous_input.get_absolute_url()).content.decode()

    assert "Who sent it" not in page
    _assert_no_identity(page)


# The alias on the profile ------------------------------------------------------------------------


def _profile_post(client: Client, user: User, alias: str):
    return client.post(
        "/accounts/profile/edit/",
        {
            "display_name": user.profile.display_name,
            "alias": alias,
            "stakeholder_group": user.profile.stakeholder_group,
            "country": user.profile.country,
        },
    )


def test_a_participant_sets_an_alias_on_the_profile(client, participant):
    client.force_login(participant)

    response = _profile_post(client, participant, "  Night   Jar ")

    participant.profile.refresh_from_db()
    assert response.status_code == 302
    assert participant.profile.alias == "Night Jar"


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("Kenji", "Another participant already uses this name. Please choose another."),
        ("kenji", "Another participant already uses this name. Please choose another."),
        ("someone@example.org", "An alias cannot be an e-mail address."),
        ("Amina", "An alias must differ from your display name and your username."),
        ("Anonymous participant", "This alias is reserved. Please choose another."),
        ("ab", "An alias needs at least 3 characters."),
        ("\u200b\u200b\u200b", None),
        ("Night\x00jar", None),
    ],
)
def test_an_alias_that_identifies_or_impersonates_is_refused(
    client, participant, other_participant, alias, message
):
    client.force_login(participant)

    response = _profile_post(client, participant, alias)

    participant.profile.refresh_from_db()
    assert response.status_code == 200
    if message:
        assert message in response.content.decode()
    assert participant.profile.alias == ""


def test_another_participants_alias_cannot_be_taken(client, participant, other_participant):
    other_participant.profile.alias = "Nightjar"
    other_participant.profile.save()
    client.force_login(participant)

    response = _profile_post(client, participant, "NIGHTJAR")

    participant.profile.refresh_from_db()
    assert response.status_code == 200
    assert participant.profile.alias == ""


def test_the_alias_is_not_on_the_public_profile(client, amina):
    page = Client().get(f"/accounts/people/{amina.username}/").content.decode()

    assert "Nightjar" not in page


# Submissions (position papers, through the intake) ----------------------------------------------


def test_a_submission_through_the_web_form_can_be_anonymous(
    client, pseudonymous, open_phase, amina, version
):
    client.force_login(amina)

    page = client.get(f"/p/{pseudonymous.slug}/submit/").content.decode()
    response = client.post(
        f"/p/{pseudonymous.slug}/submit/",
        {"body": "Our position paper.", "publication": "anonymous"},
    )

    assert "Publish under" in page
    assert response.status_code == 302
    assert Contribution.objects.get().author_name == "Anonymous participant"


def test_a_submission_through_the_api_can_use_the_alias(
    client, pseudonymous, open_phase, amina, version
):
    client.force_login(amina)

    response = client.post(
        f"/api/v1/processes/{pseudonymous.slug}/submissions",
        {"text": "Our position paper.", "publication": "alias"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["author_name"] == "Nightjar"
    _assert_no_identity(response.content.decode())
