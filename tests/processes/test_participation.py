"""A process's participants: its members, plus the contributors and voters the apps above register."""

from polyvox.processes.selectors import process_participants
from tests.factories import (
    ProcessFactory,
    UserFactory,
    invite,
    make_statement,
    send_submission,
    vote_all,
)


def test_members_contributors_and_voters_take_part_and_bystanders_do_not(process, open_phase):
    member = invite(process, UserFactory(username="member"))
    contributor = send_submission(process, "Our position.", "contributor").author
    voter = UserFactory(username="voter")
    vote_all([voter], [make_statement(process, "Spectrum for all.")], [1])
    elsewhere = ProcessFactory()
    vote_all([UserFactory(username="bystander")], [make_statement(elsewhere, "Other.")], [1])

    names = set(process_participants(process).values_list("username", flat=True))

    assert {member.username, contributor.username, voter.username} <= names
    assert "bystander" not in names
