"""Pseudonymous but verified: the byline an author chooses per input, where the process's identity
policy allows it; the public sees that byline, the secretariat the verified account."""

import pytest
from django.core.exceptions import ValidationError

from polyvox.contributions.bylines import (
    ANONYMOUS_BYLINE,
    public_byline,
    secretariat_identity,
)
from polyvox.contributions.models import Contribution, Publication
from polyvox.contributions.selectors.feedback_figures import feedback_figures
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.drafts.models import DraftVersion, Section
from polyvox.notifications.models import Notification
from polyvox.participants.models import User
from polyvox.processes.models import IdentityPolicy, Process
from polyvox.record.models import RecordEntry
from tests.factories import UserFactory, make_organisation, submit_comment


@pytest.fixture
def pseudonymous(process: Process) -> Process:
    process.identity_policy = IdentityPolicy.PSEUDONYMS_ALLOWED
    process.save()
    return process


@pytest.fixture
def amina(participant: User) -> User:
    """Amina Real, civil society in Kenya, affiliated with the Ushahidi Trust, alias Nightjar."""
    participant.profile.display_name = "Amina Real"
    participant.profile.alias = "Nightjar"
    participant.profile.organisation = "Ushahidi Trust"
    participant.profile.save()
    return participant


def _comment(author: User, section: Section, publication: str, **kwargs: object) -> Contribution:
    return submit_comment(author, section, "Keep spectrum open.", publication=publication, **kwargs)


def test_by_default_an_input_is_published_under_the_authors_name(
    pseudonymous, open_phase, amina, section
):
    contribution = submit_comment(amina, section)

    assert (contribution.author_name, contribution.publication) == ("Amina Real", "named")


def test_an_input_published_under_the_alias_shows_the_alias(
    pseudonymous, open_phase, amina, section
):
    contribution = _comment(amina, section, "alias")

    assert (contribution.author_name, contribution.publication) == ("Nightjar", "alias")
    assert public_byline(contribution) == "Nightjar"


def test_an_anonymous_input_shows_anonymous_participant_and_keeps_group_and_country(
    pseudonymous, open_phase, amina, section
):
    contribution = _comment(amina, section, "anonymous")

    assert contribution.author_name == ANONYMOUS_BYLINE == "Anonymous participant"
    assert contribution.publication == Publication.ANONYMOUS
    assert (contribution.stakeholder_group, contribution.country) == ("civil_society", "KE")
    assert contribution.author == amina  # the secretariat's view and the receipt still know
    assert public_byline(contribution) == "Anonymous participant"


@pytest.mark.parametrize("publication", ["alias", "anonymous"])
def test_a_real_names_process_refuses_any_byline_but_the_name_and_stores_nothing(
    process, open_phase, amina, section, publication
):
    assert process.identity_policy == IdentityPolicy.REAL_NAMES

    with pytest.raises(ValidationError) as refused:
        _comment(amina, section, publication)

    assert refused.value.message_dict == {
        "publication": [
            "This process publishes every input under its author's name: it does not allow "
            "aliases or anonymous inputs."
        ]
    }
    assert Contribution.objects.count() == 0
    assert RecordEntry.objects.count() == 0


def test_an_alias_byline_needs_an_alias_on_the_profile(pseudonymous, open_phase, section):
    author = UserFactory(username="kofi")

    with pytest.raises(ValidationError) as refused:
        _comment(author, section, "alias")

    assert refused.value.message_dict == {
        "publication": ["Set an alias on your profile first, or choose another byline."]
    }
    assert Contribution.objects.count() == 0


def test_an_unknown_byline_is_refused(pseudonymous, open_phase, amina, section):
    with pytest.raises(ValidationError) as refused:
        _comment(amina, section, "someone-else")

    assert list(refused.value.message_dict) == ["publication"]
    assert Contribution.objects.count() == 0


def test_an_input_on_behalf_of_an_organisation_cannot_be_anonymous(
    pseudonymous, open_phase, amina, section
):
    organisation = make_organisation("Rhizomatica", admin=amina)

    with pytest.raises(ValidationError) as refused:
        _comment(amina, section, "anonymous", on_behalf_of=organisation)

    assert list(refused.value.message_dict) == ["publication"]
    assert Contribution.objects.count() == 0


def test_an_alias_may_speak_for_an_organisation_which_stays_public(
    pseudonymous, open_phase, amina, section
):
    organisation = make_organisation("Rhizomatica", admin=amina)

    contribution = _comment(amina, section, "alias", on_behalf_of=organisation)

    assert public_byline(contribution) == "Nightjar, on behalf of Rhizomatica"


def test_the_record_names_no_one_only_the_tracking_number(pseudonymous, open_phase, amina, section):
    anonymous = _comment(amina, section, "anonymous")
    aliased = _comment(amina, section, "alias")

    payloads = [anonymous.record_entry.payload, aliased.record_entry.payload]

    # The record is append-only: a byline there could never follow the author's later choices.
    assert [p["tracking_number"] for p in payloads] == [
        anonymous.tracking_number,
        aliased.tracking_number,
    ]
    for payload in payloads:
        assert "author" not in payload
        assert "Nightjar" not in str(payload)
        assert "Amina" not in str(payload)
        assert "amina" not in str(payload).lower()


def test_the_receipt_still_reaches_the_anonymous_author(pseudonymous, open_phase, amina, section):
    contribution = _comment(amina, section, "anonymous")

    [receipt] = Notification.objects.all()
    assert receipt.recipient == amina
    assert contribution.tracking_number in receipt.subject


def test_the_secretariat_identity_is_the_verified_account_behind_the_byline(
    pseudonymous, open_phase, amina, section
):
    contribution = _comment(amina, section, "anonymous")

    assert secretariat_identity(contribution) == {
        "display_name": "Amina Real",
        "username": "amina",
        "email_domain": "example.org",
        "email_verified": True,
        "affiliation": "Ushahidi Trust",
        "alias": "Nightjar",
        "closed": False,
        "publication": "anonymous",
        "byline": "Anonymous participant",
    }


def test_a_reply_can_be_anonymous_too(pseudonymous, open_phase, amina, other_participant, section):
    parent = submit_comment(other_participant, section)

    reply = submit_contribution(
        author=amina,
        process=pseudonymous,
        kind="reply",
        body="Agreed.",
        parent=parent,
        publication="anonymous",
    )

    assert reply.author_name == "Anonymous participant"


def test_the_feedback_figures_count_the_declared_group_and_region_of_anonymous_inputs(
    pseudonymous, open_phase, amina, other_participant, version: DraftVersion
):
    section = version.sections.get(anchor="scope")
    _comment(amina, section, "anonymous")
    _comment(amina, section, "alias")
    submit_comment(other_participant, section)

    figures = feedback_figures(version)

    groups = {share.key: share.total for share in figures.by_stakeholder_group}
    regions = {share.key: share.total for share in figures.by_region}
    assert groups == {"civil_society": 2, "private_sector": 1}
    assert sum(regions.values()) == 3
    assert figures.overall.total == 3
