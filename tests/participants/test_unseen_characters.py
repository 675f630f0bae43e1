"""Profiles and statements of interest refuse text nobody can see or store."""

import pytest
from django.core.exceptions import ValidationError

from polyvox.participants.services import declare_interests, update_profile

ZERO_WIDTH_ONLY = "\u200b\u200c\u2060\ufeff"


def test_a_display_name_of_only_zero_width_characters_is_refused_and_nothing_changes(participant):
    before = participant.profile.display_name

    with pytest.raises(ValidationError) as raised:
        update_profile(actor=participant, user=participant, display_name=ZERO_WIDTH_ONLY)

    assert "no visible characters" in raised.value.message_dict["display_name"][0]
    participant.profile.refresh_from_db()
    assert participant.profile.display_name == before


@pytest.mark.parametrize("bad", ["Amina\x00", "Amina\ud800", "Amina\ufffe"])
def test_a_display_name_with_an_unstorable_character_is_refused(participant, bad):
    with pytest.raises(ValidationError) as raised:
        update_profile(actor=participant, user=participant, display_name=bad)

    assert list(raised.value.message_dict) == ["display_name"]


def test_interests_of_only_invisible_characters_are_refused(participant):
    with pytest.raises(ValidationError) as raised:
        declare_interests(actor=participant, affiliations=ZERO_WIDTH_ONLY)

    assert "affiliations" in raised.value.message_dict
