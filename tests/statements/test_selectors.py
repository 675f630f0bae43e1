"""Stakeholder-aware reads: small cells are suppressed, bridging and "who agrees" use aggregates."""

from django.utils import timezone

from polyvox.statements.agreement import (
    Cell,
    bridging_statements,
    stakeholder_crosstab,
    statement_agreement_by_stakeholder_group,
    who_agrees_with,
)
from polyvox.statements.models import OpinionMapSnapshot, StatementStatus
from polyvox.statements.selectors import latest_opinion_map, next_statement_for, vote_matrix
from tests.factories import vote_all


def snapshot_of(process, groups):
    """A stored map placing each list of users in one opinion group."""
    people = [
        {"id": u.pk, "x": float(g), "y": float(i), "group": g}
        for g, users in enumerate(groups)
        for i, u in enumerate(users)
    ]
    result = {
        "participants": people,
        "groups": [
            {"id": g, "size": len(users), "center": [g, 0], "representative": []}
            for g, users in enumerate(groups)
        ],
        "consensus": [],
        "divisive": [],
    }
    return OpinionMapSnapshot.objects.create(
        process=process, computed_at=timezone.now(), code_version="0.1.0", result=result
    )


def test_the_crosstab_replaces_cells_under_five_people(process, make_voters):
    kenyans = make_voters(6, "ke", stakeholder_group="civil_society", country="KE")
    japanese = make_voters(3, "jp", stakeholder_group="private_sector", country="JP")
    snapshot = snapshot_of(process, [kenyans + japanese])

    (row,) = stakeholder_crosstab(snapshot)

    assert row.size == 9
    assert row.by_stakeholder_group == [Cell("Private sector", None), Cell("Civil society", 6)]
    assert row.by_region == [Cell("Africa", 6), Cell("Asia", None)]
    assert row.by_region[1].display == "fewer than 5"


def test_agreement_within_stakeholder_groups_hides_groups_with_under_five_voters(
    process, make_statement, make_voters
):
    statement = make_statement("Claim.")
    vote_all(make_voters(5, "cs", stakeholder_group="civil_society"), [statement], [1])
    vote_all(make_voters(4, "ps", stakeholder_group="private_sector"), [statement], [-1])

    (row,) = statement_agreement_by_stakeholder_group(process)

    assert [(c.label, c.seen, c.agree_percent) for c in row.cells] == [
        ("Private sector", None, None),
        ("Civil society", 5, 100),
    ]


def test_bridging_statements_are_agreed_in_every_opinion_and_stakeholder_group(
    process, make_statement, make_voters
):
    shared, partisan = make_statement("Shared."), make_statement("Partisan.")
    left = make_voters(6, "left", stakeholder_group="civil_society")
    right = make_voters(6, "right", stakeholder_group="government")
    vote_all(left, [shared, partisan], [1, 1])
    vote_all(right, [shared, partisan], [1, -1])
    snapshot = snapshot_of(process, [left, right])

    found = bridging_statements(process, snapshot)

    assert [(b.statement, b.min_agree_percent) for b in found] == [(shared, 100)]


def test_who_agrees_with_you_names_groups_and_large_organisations_above_average_only(
    process, make_statement, make_voters, participant
):
    statements = [make_statement(f"Claim {i}.") for i in range(3)]
    vote_all(
        make_voters(5, "gov", stakeholder_group="government", organisation="Ministry"),
        statements,
        [1, 1, -1],
    )
    vote_all(make_voters(5, "biz", stakeholder_group="private_sector"), statements, [-1, -1, 1])
    vote_all(
        make_voters(4, "ngo", stakeholder_group="academia", organisation="Tiny NGO"),
        statements,
        [1, 1, -1],
    )
    vote_all([participant], statements, [1, 1, -1])

    found = who_agrees_with(participant=participant, process=process)

    # Everyone else matched 27 of 42 votes (64 %); the private sector, below that, is not listed.
    assert found.compared
    assert [(k.kind, k.label, k.match_percent, k.average_percent) for k in found.kindred] == [
        ("stakeholder_group", "Government", 100, 64),
        ("organisation", "Ministry", 100, 64),
    ]


def test_the_viewer_learns_their_own_group_only(process, make_voters, participant):
    others = make_voters(3, "x")
    snapshot_of(process, [others, [participant]])

    mine = latest_opinion_map(process=process, viewer=participant)
    anonymous = latest_opinion_map(process=process, viewer=None)

    assert (mine.viewer_group, anonymous.viewer_group) == (1, None)
    assert len(mine.points) == 4


def test_the_next_statement_is_one_the_participant_has_not_voted_on(
    process, make_statement, participant
):
    voted, _pending, open_ = (
        make_statement("Voted."),
        make_statement("Pending.", status=StatementStatus.PENDING),
        make_statement("Open."),
    )
    vote_all([participant], [voted], [0])

    assert next_statement_for(participant=participant, process=process) == open_


def test_rejected_statements_are_moderated_out_of_the_matrix_and_pending_ones_left_out(
    process, make_statement, participant
):
    kept = make_statement("Kept.")
    rejected = make_statement("Rejected.", status=StatementStatus.REJECTED)
    make_statement("Pending.", status=StatementStatus.PENDING)
    vote_all([participant], [kept, rejected], [1, -1])

    votes = vote_matrix(process)

    assert votes.statement_ids.tolist() == [kept.pk, rejected.pk]
    assert votes.moderated_out.tolist() == [False, True]
    assert votes.n_votes == 2
