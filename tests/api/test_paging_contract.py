"""The paging contract of the API lists (docs/api.md, "Lists"): a stable order, every row once
when a client follows Link rel=next, even while inputs arrive or are hidden, and bounds refused."""

from datetime import timedelta

import pytest

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.core.api_paging import COUNT_LIMIT, MAX_API_PAGE_SIZE
from polyvox.organisations.models import Organisation
from tests.api.conftest import next_url, walk
from tests.factories import make_organisation, submit_to_version

pytestmark = pytest.mark.django_db


def _api(process):
    return f"/api/v1/processes/{process.slug}/contributions"


def _inputs(participant, version, n):
    return [
        submit_to_version(participant, version, f"Point {i}.", kind="general") for i in range(n)
    ]


def test_walking_the_contributions_by_link_gives_every_input_once_in_order(
    client, process, open_phase, participant, version
):
    made = _inputs(participant, version, 7)
    # Equal submission times (an import gives many the same second): the order stays total.
    Contribution.objects.filter(pk__in=[c.pk for c in made[2:5]]).update(
        created_at=made[2].created_at
    )

    rows = walk(client, _api(process), {"page_size": 2})

    expected = sorted(
        Contribution.objects.filter(process=process), key=lambda c: (c.created_at, c.pk)
    )
    assert [r["tracking_number"] for r in rows] == [c.tracking_number for c in expected]


def test_inputs_arriving_or_hidden_between_two_pages_cause_no_duplicate_or_gap(
    client, process, open_phase, participant, version, secretariat
):
    made = _inputs(participant, version, 6)
    arrived: list[Contribution] = []

    def meanwhile(pages_read):
        if pages_read != 1:
            return
        # One already read is hidden (an offset would then skip a row), one dated before
        # everything arrives (an offset would then repeat one), and one new one arrives.
        hide_contribution(
            actor=secretariat, contribution=made[0], reason_code="off_topic", reason="Off topic."
        )
        early = submit_to_version(participant, version, "Back-dated import.", kind="general")
        Contribution.objects.filter(pk=early.pk).update(
            created_at=made[0].created_at - timedelta(days=1)
        )
        arrived.append(submit_to_version(participant, version, "Latest.", kind="general"))

    rows = walk(client, _api(process), {"page_size": 2}, between=meanwhile)

    seen = [r["tracking_number"] for r in rows]
    assert len(seen) == len(set(seen))
    assert seen == [c.tracking_number for c in made] + [arrived[0].tracking_number]


def test_page_numbers_still_work_and_the_first_page_counts_the_list(
    client, process, open_phase, participant, version
):
    made = _inputs(participant, version, 5)

    second = client.get(_api(process), {"page_size": 2, "page": 2})
    walked = client.get(next_url(client.get(_api(process), {"page_size": 2})))

    assert [r["tracking_number"] for r in second.json()] == [c.tracking_number for c in made[2:4]]
    assert second["X-Total-Count"] == "5"
    assert [r["tracking_number"] for r in walked.json()] == [c.tracking_number for c in made[2:4]]
    assert "X-Total-Count" not in walked  # a walk by cursor counts once, on its first page


def test_the_total_is_left_out_past_the_count_limit(
    client, process, open_phase, participant, version, monkeypatch
):
    _inputs(participant, version, 4)
    monkeypatch.setattr("polyvox.core.api_paging.COUNT_LIMIT", 3)

    over = client.get(_api(process), {"page_size": 2})
    monkeypatch.setattr("polyvox.core.api_paging.COUNT_LIMIT", COUNT_LIMIT)
    under = client.get(_api(process), {"page_size": 2})

    assert (over.status_code, "X-Total-Count" in over, under["X-Total-Count"]) == (200, False, "4")
    assert next_url(over) is not None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": MAX_API_PAGE_SIZE + 1}, "page_size"),
        ({"page": 0}, "page"),
        ({"cursor": "x" * 2000}, "cursor"),
    ],
)
def test_paging_values_out_of_bounds_are_refused(client, process, params, field):
    response = client.get(_api(process), params)

    assert response.status_code == 422
    assert response.json()["error"] == "Invalid input."
    assert field in str(response.json()["fields"])


@pytest.mark.parametrize(
    "cursor",
    ["not base64 at all!", "eyJrIjpbMV19", "eyJvIjo1fQ", "bnVsbA", "eyJrIjpbImxhdGVyIiwgMV19"],
)
def test_a_cursor_that_is_not_ours_answers_400_naming_the_cursor(
    client, process, open_phase, participant, version, cursor
):
    _inputs(participant, version, 2)

    response = client.get(_api(process), {"cursor": cursor})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["cursor"]


def test_a_cursor_and_a_page_number_together_are_refused(
    client, process, open_phase, participant, version
):
    _inputs(participant, version, 3)
    following = next_url(client.get(_api(process), {"page_size": 1}))

    response = client.get(following + "&page=2")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["cursor"]


def test_the_page_size_bounds_the_answer(client, process, open_phase, participant, version):
    _inputs(participant, version, 3)

    assert len(client.get(_api(process), {"page_size": 1}).json()) == 1
    assert len(client.get(_api(process)).json()) == 3


def test_walking_the_organisations_by_link_gives_each_once_in_name_order(db, client):
    for name in ["Beta", "Alpha", "Gamma", "Delta", "Epsilon"]:
        make_organisation(name)
    in_order = list(Organisation.objects.order_by("name", "id").values_list("name", flat=True))

    def meanwhile(pages_read):
        if pages_read == 1:  # one that sorts before the page already read: an offset repeats
            make_organisation("Aardvark")

    rows = walk(client, "/api/v1/organisations", {"page_size": 2}, between=meanwhile)

    assert [r["name"] for r in rows] == in_order
