"""Who may see a participant's private data: viewer kind by rule."""

import pytest
from django.contrib.auth.models import AnonymousUser

from polyvox.participants.models import User
from polyvox.participants.permissions import (
    can_edit_profile,
    can_see_private_profile,
    can_see_statement_of_interest,
)
from polyvox.processes.permissions import can_see_participant_interests


@pytest.fixture
def viewers(participant, other_participant, secretariat):
    return {
        "anonymous": AnonymousUser(),
        "self": participant,
        "other participant": other_participant,
        "secretariat": secretariat,
        "superuser": User.objects.create_superuser("root", "root@example.org", "x-long-pass-1"),
    }


@pytest.mark.parametrize(
    ("viewer", "private", "edit", "interests_in_process", "interests_without_process"),
    [
        ("anonymous", False, False, False, False),
        ("self", True, True, True, True),
        ("other participant", False, False, False, False),
        ("secretariat", False, False, True, False),
        ("superuser", True, False, True, False),
    ],
)
def test_permission_matrix(
    viewers,
    participant,
    process,
    viewer,
    private,
    edit,
    interests_in_process,
    interests_without_process,
):
    who = viewers[viewer]

    assert can_see_private_profile(who, participant) is private
    assert can_edit_profile(who, participant) is edit
    assert can_see_participant_interests(who, participant, process) is interests_in_process
    assert can_see_statement_of_interest(who, participant) is interests_without_process
