"""The filters of GET /processes/{slug}/contributions: answered, kind, stakeholder group, since;
each bad value refused with 400 and a message naming its field."""

from datetime import UTC, datetime

import pytest

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.participants.models import StakeholderGroup
from tests.factories import UserFactory, submit_to_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def inputs(process, open_phase, participant, version, secretariat):
    """Four inputs: a government comment answered, a general comment, an academic omission and
    an academic general comment answered, submitted on 1, 2, 3 and 4 March 2026 at noon UTC."""
    official = UserFactory(username="official", profile={"stakeholder_group": "government"})
    scholar = UserFactory(username="scholar", profile={"stakeholder_group": "academia"})
    made = {
        "answered_general": submit_to_version(official, version, "One.", kind="general"),
        "open_general": submit_to_version(participant, version, "Two.", kind="general"),
        "omission": submit_to_version(scholar, version, "Three.", kind="omission"),
        "answered_academic": submit_to_version(scholar, version, "Four.", kind="general"),
    }
    for day, contribution in enumerate(made.values(), start=1):
        Contribution.objects.filter(pk=contribution.pk).update(
            created_at=datetime(2026, 3, day, 12, tzinfo=UTC)
        )
    for name in ("answered_general", "answered_academic"):
        record_disposition(
            actor=secretariat, contribution=made[name], outcome="noted", reason="Thanks."
        )
    return {name: c.tracking_number for name, c in made.items()}


def _found(client, process, **params):
    response = client.get(f"/api/v1/processes/{process.slug}/contributions", params)
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()]


def test_answered_yes_and_no_split_the_inputs(client, process, inputs):
    assert _found(client, process, answered="yes") == [
        inputs["answered_general"],
        inputs["answered_academic"],
    ]
    assert _found(client, process, answered="no") == [inputs["open_general"], inputs["omission"]]


def test_kind_keeps_that_kind_only(client, process, inputs):
    assert _found(client, process, kind="omission") == [inputs["omission"]]
    assert _found(client, process, kind="reply") == []


def test_stakeholder_group_keeps_the_authors_declared_group(client, process, inputs):
    assert _found(client, process, stakeholder_group=StakeholderGroup.ACADEMIA) == [
        inputs["omission"],
        inputs["answered_academic"],
    ]
    assert _found(client, process, stakeholder_group="government") == [inputs["answered_general"]]


def test_since_a_date_starts_at_midnight_utc_and_a_datetime_at_that_moment(client, process, inputs):
    assert _found(client, process, since="2026-03-03") == [
        inputs["omission"],
        inputs["answered_academic"],
    ]
    assert _found(client, process, since="2026-03-02T12:00:00Z") == [
        inputs["open_general"],
        inputs["omission"],
        inputs["answered_academic"],
    ]
    # 12:00 in UTC+02:00 is 10:00 UTC: the input of 2 March at noon UTC is after it.
    assert _found(client, process, since="2026-03-02T12:00:00+02:00")[0] == inputs["open_general"]
    assert _found(client, process, since="2026-03-02T12:00:01") == [
        inputs["omission"],
        inputs["answered_academic"],
    ]


def test_filters_combine_and_keep_their_paging_in_the_link(client, process, inputs):
    api = f"/api/v1/processes/{process.slug}/contributions"

    first = client.get(api, {"answered": "no", "since": "2026-03-02", "page_size": 1})

    assert [r["tracking_number"] for r in first.json()] == [inputs["open_general"]]
    assert first["X-Total-Count"] == "2"
    assert "answered=no&since=2026-03-02&page_size=1&cursor=" in first["Link"]
    assert _found(
        client, process, answered="yes", stakeholder_group="academia", kind="general"
    ) == [inputs["answered_academic"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "2026-03-01T25:00"}, "since"),
        ({"answered": "maybe"}, "answered"),
        ({"kind": "petition"}, "kind"),
        ({"stakeholder_group": "lobbyists"}, "stakeholder_group"),
    ],
)
def test_a_bad_filter_value_answers_400_naming_the_field(client, process, inputs, params, field):
    response = client.get(f"/api/v1/processes/{process.slug}/contributions", params)

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Invalid input."
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]  # a message a person can act on


def test_every_bad_value_is_named_at_once(client, process, inputs):
    response = client.get(
        f"/api/v1/processes/{process.slug}/contributions",
        {"since": "soon", "answered": "perhaps"},
    )

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["answered", "since"]
