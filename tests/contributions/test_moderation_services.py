"""Moderation: hiding keeps the contribution and records why; only the secretariat hides."""

import pytest
from django.core.exceptions import PermissionDenied

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.record.models import RecordEntry
from tests.factories import submit_comment


def test_hiding_keeps_the_contribution_and_records_the_reason_code_only(
    open_phase, participant, secretariat, section
):
    contribution = submit_comment(participant, section)

    hide_contribution(
        actor=secretariat,
        contribution=contribution,
        reason_code="personal_attack",
        reason="Personal attack.",
    )

    contribution.refresh_from_db()
    assert (contribution.hidden_reason, Contribution.objects.public().count()) == (
        "Personal attack.",
        0,
    )
    assert RecordEntry.objects.get(kind="contribution.hidden").payload == {
        "tracking_number": contribution.tracking_number,
        "reason_code": "personal_attack",
    }


def test_participants_cannot_hide_contributions(
    open_phase, participant, other_participant, section
):
    contribution = submit_comment(participant, section)

    with pytest.raises(PermissionDenied):
        hide_contribution(
            actor=other_participant,
            contribution=contribution,
            reason_code="spam",
            reason="I disagree.",
        )

    assert Contribution.objects.public().count() == 1
