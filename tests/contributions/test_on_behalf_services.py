"""Inputs on behalf of an organisation: only its approved representatives post so; the byline
keeps its name; the record says which organisation; refusals leave nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polyvox.campaigns.services.intake import receive_submission
from polyvox.contributions.models import Contribution
from polyvox.contributions.services.submitting import edit_contribution, submit_contribution
from polyvox.notifications.models import Notification
from polyvox.organisations.models import Representative, RepresentativeStatus
from polyvox.participants.models import Profile
from polyvox.record.models import RecordEntry
from tests.factories import (
    approve_representative,
    make_organisation,
    submit_comment,
    submit_reply,
)


def _nothing_written() -> None:
    assert Contribution.objects.count() == 0
    assert RecordEntry.objects.filter(kind="contribution.submitted").count() == 0
    assert Notification.objects.count() == 0


def test_an_approved_representative_posts_on_the_organisations_behalf(
    open_phase, participant, section, rhizomatica
):
    Profile.objects.filter(user=participant).update(organisation="Some university")

    contribution = submit_comment(participant, section, on_behalf_of=rhizomatica)

    assert (
        contribution.on_behalf_of,
        contribution.on_behalf_of_organisation,
        contribution.organisation,
    ) == (rhizomatica, True, "Rhizomatica")


def test_a_representative_who_is_not_an_administrator_may_post_too(
    open_phase, participant, other_participant, section, rhizomatica
):
    approve_representative(rhizomatica, other_participant)

    contribution = submit_comment(other_participant, section, on_behalf_of=rhizomatica)

    assert contribution.on_behalf_of == rhizomatica


def test_the_record_names_the_organisation_and_its_slug(
    open_phase, participant, section, rhizomatica
):
    submit_comment(participant, section, on_behalf_of=rhizomatica)

    payload = RecordEntry.objects.get(kind="contribution.submitted").payload
    assert (payload["organisation"], payload["organisation_slug"]) == (
        "Rhizomatica",
        "rhizomatica",
    )


def test_without_an_organisation_the_affiliation_is_kept_but_not_shown_as_speaking_for_it(
    open_phase, participant, section, rhizomatica
):
    Profile.objects.filter(user=participant).update(organisation="Rhizomatica")

    contribution = submit_comment(participant, section)

    assert (
        contribution.on_behalf_of,
        contribution.on_behalf_of_organisation,
        contribution.organisation,
    ) == (None, False, "Rhizomatica")
    payload = RecordEntry.objects.get(kind="contribution.submitted").payload
    assert payload["organisation"] == ""
    assert "organisation_slug" not in payload


def test_someone_who_does_not_represent_it_is_refused_and_nothing_is_written(
    open_phase, other_participant, section, rhizomatica
):
    with pytest.raises(ValidationError) as error:
        submit_comment(other_participant, section, on_behalf_of=rhizomatica)

    assert error.value.message_dict == {
        "on_behalf_of": ["You are not an approved representative of Rhizomatica."]
    }
    _nothing_written()


@pytest.mark.parametrize(
    "status",
    [RepresentativeStatus.REQUESTED, RepresentativeStatus.REFUSED, RepresentativeStatus.REVOKED],
)
def test_a_request_not_yet_approved_refused_or_revoked_does_not_let_one_speak_for_it(
    open_phase, other_participant, section, rhizomatica, status
):
    Representative.objects.create(organisation=rhizomatica, user=other_participant, status=status)

    with pytest.raises(ValidationError) as error:
        submit_comment(other_participant, section, on_behalf_of=rhizomatica)

    assert error.value.message_dict == {
        "on_behalf_of": ["You are not an approved representative of Rhizomatica."]
    }
    _nothing_written()


def test_a_revoked_representative_is_refused_from_then_on(
    open_phase, other_participant, section, rhizomatica
):
    standing = approve_representative(rhizomatica, other_participant)
    earlier = submit_comment(other_participant, section, on_behalf_of=rhizomatica)
    Representative.objects.filter(pk=standing.pk).update(status=RepresentativeStatus.REVOKED)

    with pytest.raises(ValidationError, match="not an approved representative"):
        submit_comment(other_participant, section, on_behalf_of=rhizomatica)

    # What was said while they represented it keeps its byline.
    earlier.refresh_from_db()
    assert (earlier.on_behalf_of, earlier.organisation) == (rhizomatica, "Rhizomatica")
    assert Contribution.objects.count() == 1


def test_a_merged_organisation_is_refused_even_to_its_representatives(
    open_phase, participant, section, rhizomatica
):
    survivor = make_organisation("Rhizomatica A.C.", slug="rhizomatica-ac")
    rhizomatica.merged_into, rhizomatica.merged_at = survivor, timezone.now()
    rhizomatica.save()

    with pytest.raises(ValidationError) as error:
        submit_comment(participant, section, on_behalf_of=rhizomatica)

    assert list(error.value.message_dict) == ["on_behalf_of"]
    assert "merged" in error.value.message_dict["on_behalf_of"][0]
    _nothing_written()


def test_the_byline_keeps_the_name_it_had_when_the_input_was_made(
    open_phase, participant, section, rhizomatica
):
    contribution = submit_comment(participant, section, on_behalf_of=rhizomatica)
    rhizomatica.name = "Rhizomatica International"
    rhizomatica.save()

    contribution.refresh_from_db()
    assert contribution.organisation == "Rhizomatica"


def test_editing_an_input_never_changes_whom_it_speaks_for(
    open_phase, participant, section, rhizomatica
):
    on_behalf = submit_comment(participant, section, on_behalf_of=rhizomatica)
    as_myself = submit_comment(participant, section, body="My own view.")

    edit_contribution(author=participant, contribution=on_behalf, body="A better point.")
    edit_contribution(author=participant, contribution=as_myself, body="My better view.")

    on_behalf.refresh_from_db()
    as_myself.refresh_from_db()
    assert (on_behalf.on_behalf_of, on_behalf.organisation) == (rhizomatica, "Rhizomatica")
    assert (as_myself.on_behalf_of, as_myself.on_behalf_of_organisation) == (None, False)
    edited = RecordEntry.objects.filter(kind="contribution.edited").order_by("id")
    assert [e.payload.get("organisation_slug") for e in edited] == ["rhizomatica", None]


def test_a_reply_can_speak_for_an_organisation(
    open_phase, participant, other_participant, section, rhizomatica
):
    parent = submit_comment(other_participant, section)

    reply = submit_contribution(
        author=participant,
        process=parent.process,
        kind="reply",
        body="We agree.",
        parent=parent,
        on_behalf_of=rhizomatica,
    )

    assert (reply.on_behalf_of, reply.organisation) == (rhizomatica, "Rhizomatica")
    assert submit_reply(other_participant, reply).on_behalf_of is None


def test_a_submission_through_the_intake_speaks_for_the_organisation(
    process, open_phase, participant, rhizomatica
):
    received = receive_submission(
        author=participant, process=process, text="Our position.", on_behalf_of=rhizomatica
    )

    assert (received.contribution.on_behalf_of, received.contribution.organisation) == (
        rhizomatica,
        "Rhizomatica",
    )


def test_the_intake_refuses_an_organisation_one_does_not_represent(
    process, open_phase, other_participant, rhizomatica
):
    with pytest.raises(ValidationError, match="not an approved representative of Rhizomatica"):
        receive_submission(
            author=other_participant, process=process, text="x", on_behalf_of=rhizomatica
        )

    _nothing_written()
