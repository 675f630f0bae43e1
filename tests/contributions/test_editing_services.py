"""Editing a contribution: every revision kept, only by its author, only while the phase is open."""

import pytest
from django.core.exceptions import PermissionDenied

from polyvox.contributions.models import ContributionRevision
from polyvox.contributions.services.submitting import edit_contribution
from polyvox.record.models import RecordEntry
from tests.factories import close_phase, submit_comment


def test_an_edit_keeps_every_revision_and_is_recorded(open_phase, participant, section):
    contribution = submit_comment(participant, section, body="First text.")

    edit_contribution(author=participant, contribution=contribution, body="Second text.")
    edit_contribution(author=participant, contribution=contribution, body="Third text.")

    contribution.refresh_from_db()
    assert contribution.body == "Third text."
    assert list(contribution.revisions.values_list("number", "body")) == [
        (1, "First text."),
        (2, "Second text."),
        (3, "Third text."),
    ]
    assert RecordEntry.objects.filter(kind="contribution.edited").count() == 2


def test_someone_else_cannot_edit_a_contribution(
    open_phase, participant, other_participant, section
):
    contribution = submit_comment(participant, section, body="First text.")

    with pytest.raises(PermissionDenied):
        edit_contribution(author=other_participant, contribution=contribution, body="Hijacked.")

    contribution.refresh_from_db()
    assert (contribution.body, ContributionRevision.objects.count()) == ("First text.", 1)


def test_a_contribution_cannot_be_edited_after_the_phase_closed(open_phase, participant, section):
    contribution = submit_comment(participant, section, body="First text.")
    close_phase(open_phase)

    with pytest.raises(PermissionDenied, match="while the phase is open"):
        edit_contribution(author=participant, contribution=contribution, body="Later.")

    assert ContributionRevision.objects.count() == 1
