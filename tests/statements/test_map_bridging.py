"""The matrix-factorisation bridging score beside group-informed consensus, on the map page and in
the API, overall and per stakeholder group (groups under five voters suppressed)."""

import numpy as np
import pytest
from django.urls import reverse

from polyvox.statements.agreement import bridging_score_table
from polyvox.statements.services import refresh_opinion_map
from tests.experience.html import page, select, select_one, text
from tests.factories import make_statement, make_voters, vote_all

N_BRIDGING, N_DIVISIVE = 4, 8


@pytest.fixture
def planted(process):
    """Two camps of 10 (civil society, government) and 4 from the private sector. Bridging
    statements: everyone agrees (one vote in ten flipped, seeded). Divisive ones: each camp agrees
    with half and disagrees with the other half."""
    rng = np.random.default_rng(14)
    bridging = [make_statement(process, f"Bridge {j}.") for j in range(N_BRIDGING)]
    divisive = [make_statement(process, f"Divide {j}.") for j in range(N_DIVISIVE)]
    camps = {
        "civil_society": (make_voters(10, "cs", stakeholder_group="civil_society"), 1),
        "government": (make_voters(10, "gov", stakeholder_group="government"), -1),
        "private_sector": (make_voters(4, "ps", stakeholder_group="private_sector"), 1),
    }
    for users, side in camps.values():
        for user in users:
            values = [1] * N_BRIDGING + [side * (1 if j % 2 else -1) for j in range(N_DIVISIVE)]
            flip = rng.random(len(values)) < 0.1
            values = [-v if f else v for v, f in zip(values, flip, strict=True)]
            vote_all([user], bridging + divisive, values)
    return bridging, divisive, refresh_opinion_map(process=process)


def test_planted_bridging_statements_score_above_divisive_ones(process, planted):
    bridging, divisive, snapshot = planted

    table = bridging_score_table(process, snapshot, limit=None)

    ranked = [row.statement for row in table.rows]
    assert set(ranked[:N_BRIDGING]) == set(bridging)
    assert set(ranked) == set(bridging + divisive)
    scores = {row.statement: row.bridging_score for row in table.rows}
    assert min(scores[s] for s in bridging) > max(scores[s] for s in divisive)


def test_each_stakeholder_group_is_fitted_on_its_own_voters_and_small_groups_are_suppressed(
    process, planted
):
    *_statements, snapshot = planted

    table = bridging_score_table(process, snapshot, limit=None)

    assert table.stakeholder_groups == ["Government", "Private sector", "Civil society"]
    for row in table.rows:
        government, private, civil = row.by_stakeholder_group
        assert private is None  # 4 voters: suppressed
        assert government is not None
        assert civil is not None
    assert all(row.group_informed_consensus is not None for row in table.rows)


def test_the_map_page_shows_the_scores_in_an_accessible_table(client, process, planted):
    bridging, _divisive, _snapshot = planted

    html = page(client.get(reverse("statements:opinion_map", kwargs={"slug": process.slug})))

    found = select_one(html, "table.bridging-scores")
    assert text(select_one(found, "caption")) == "Statements by bridging score, highest first"
    headers = [text(th) for th in select(found, "thead th")]
    assert headers == [
        "Statement",
        "Group-informed consensus",
        "Bridging score (everyone)",
        "Bridging score: Government",
        "Bridging score: Private sector",
        "Bridging score: Civil society",
    ]
    assert all(dict(th.attributes)["scope"] == "col" for th in select(found, "thead th"))
    rows = select(found, "tbody tr")
    assert {text(select_one(r, "th")) for r in rows[:N_BRIDGING]} == {s.text for s in bridging}
    assert all(dict(select_one(r, "th").attributes)["scope"] == "row" for r in rows)
    assert text(select(rows[0], "td")[3]) == "fewer than 5 ratings"


def test_the_api_lists_the_scores_best_first_with_stakeholder_groups(client, process, planted):
    bridging, _divisive, _snapshot = planted

    body = client.get(f"/api/v1/processes/{process.slug}/opinion-map").json()

    scores = body["bridging_scores"]
    assert {s["statement_id"] for s in scores[:N_BRIDGING]} == {s.pk for s in bridging}
    assert [s["bridging_score"] for s in scores] == sorted(
        (s["bridging_score"] for s in scores), reverse=True
    )
    first = scores[0]["by_stakeholder_group"]
    assert [c["stakeholder_group"] for c in first] == [
        "government",
        "private_sector",
        "civil_society",
    ]
    assert first[1]["bridging_score"] is None
