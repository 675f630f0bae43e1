"""`process_indicators` on a made-up process: every figure worked out by hand in the comments."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.models import Campaign, CampaignMembership
from polyvox.contributions.models import Contribution, Disposition, Outcome
from polyvox.indicators.selectors import process_indicators
from polyvox.participants.models import Profile
from polyvox.processes.models import ParticipationTarget, Phase, Process
from polyvox.processes.phase_types import PhaseKind
from tests.factories import ProcessFactory, UserFactory, make_version

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
numbers = count(1)


def add_input(
    process: Process,
    *,
    group: str,
    country: str,
    gender: str = "",
    organisation: str = "",
    kind: str = "general",
    parent: Contribution | None = None,
    hidden: bool = False,
) -> Contribution:
    author = UserFactory()
    Profile.objects.filter(user=author).update(gender=gender)
    return Contribution.objects.create(
        process=process,
        kind=kind,
        parent=parent,
        author=author,
        author_name=author.username,
        stakeholder_group=group,
        country=country,
        organisation=organisation,
        body="An input.",
        tracking_number=f"IND-{next(numbers)}",
        hidden_at=NOW if hidden else None,
    )


def answer(contribution: Contribution, *, after_hours: int, reason: str = "Because.") -> None:
    disposition = Disposition.objects.create(
        contribution=contribution,
        outcome=Outcome.NOTED,
        reason=reason,
        decided_by=contribution.process.created_by,
    )
    Contribution.objects.filter(pk=contribution.pk).update(created_at=NOW - timedelta(days=60))
    Disposition.objects.filter(pk=disposition.pk).update(
        created_at=NOW - timedelta(days=60) + timedelta(hours=after_hours)
    )


@pytest.fixture
def consultation(db: None) -> Process:
    """20 visible inputs: 12 from civil society in Kenya (women, 4 of them for "ISOC", 8 for
    "EFF"), 8 from the private sector in France (men, for "Acme"); a hidden government input; two
    replies, one across groups."""
    process = ProcessFactory(slug="spectrum")
    civil = [
        add_input(
            process,
            group="civil_society",
            country="KE",
            gender="Woman",
            organisation="ISOC" if n < 4 else "EFF",
        )
        for n in range(12)
    ]
    private = [
        add_input(process, group="private_sector", country="FR", gender="man", organisation="Acme")
        for _ in range(8)
    ]
    add_input(process, group="government", country="FR", hidden=True)
    add_input(process, group="civil_society", country="KE", kind="reply", parent=private[0])
    add_input(process, group="civil_society", country="KE", kind="reply", parent=civil[0])
    Contribution.objects.filter(process=process).update(created_at=NOW - timedelta(days=60))
    # Answers: 10 of 20; waits 1, 2, 3, …, 10 days (24 h each); the last two without a reason.
    for n, contribution in enumerate([*civil[:5], *private[:5]], start=1):
        answer(contribution, after_hours=24 * n, reason="" if n > 8 else "Because.")
    return process


def test_participation_by_group_region_gender_and_global_south(consultation):
    figures = process_indicators(consultation, now=NOW)
    part = figures["participation"]
    # 20 visible inputs (the hidden one and the replies are not inputs), 20 authors.
    assert (part["inputs"], part["participants"]) == (20, 20)
    groups = {row["value"]: row["count"] for row in part["by_group"]}
    assert groups["civil_society"] == 12
    assert groups["private_sector"] == 8
    assert groups["government"] == 0  # hidden inputs do not count
    assert {row["label"]: row["count"] for row in part["by_region"]} == {"Africa": 12, "Europe": 8}
    assert {row["value"]: row["count"] for row in part["by_gender"]} == {"man": 8, "woman": 12}
    # Kenya is Global South, France is not: 12 / 20.
    assert part["global_south_share"] == 0.6
    assert figures["suppress_below"] == 5


def test_responsiveness_shares_and_days_to_answer(consultation):
    found = process_indicators(consultation, now=NOW)["responsiveness"]
    # 10 of 20 answered (0.5), 8 with a reason (0.4); waits 1..10 days: median (5 + 6) / 2 = 5.5,
    # p90: h = 9 x 0.9 = 8.1 → 9 + 0.1 x (10 - 9) = 9.1.
    assert (found["inputs"], found["answered"]) == (20, 10)
    assert found["answered_share"] == 0.5
    assert found["answered_with_reason_share"] == 0.4
    assert found["median_days_to_answer"] == 5.5
    assert found["p90_days_to_answer"] == 9.1


def test_interaction_and_concentration(consultation):
    figures = process_indicators(consultation, now=NOW)
    # Two replies, one from civil society to the private sector.
    assert figures["interaction"] == {
        "replies": 2,
        "cross_group_replies": 1,
        "cross_group_share": 0.5,
        "answers_given": 10,
    }
    # ISOC 4, EFF 8, Acme 8 of 20: 0.04 + 0.16 + 0.16 = 0.36; no campaigns yet.
    found = figures["concentration"]
    assert found["hhi_by_organisation"] == pytest.approx(0.36)
    assert (found["organisations"], found["campaign_inputs"], found["campaign_share"]) == (3, 0, 0)


def test_campaign_share(consultation):
    members = list(Contribution.objects.filter(stakeholder_group="private_sector")[:5])
    campaign = Campaign.objects.create(process=consultation, template=members[0], size=5)
    for member in members:
        CampaignMembership.objects.create(campaign=campaign, contribution=member)
    found = process_indicators(consultation, now=NOW)["concentration"]
    assert (found["campaign_inputs"], found["campaign_share"]) == (5, 0.25)


def test_small_cells_are_suppressed_with_a_complement(consultation):
    # 3 inputs from academia in Brazil: 3 is hidden, and so is at least one more figure of each
    # breakdown it is in (else 23 - 12 - 8 = 3).
    for _ in range(3):
        add_input(consultation, group="academia", country="BR", gender="woman")
    part = process_indicators(consultation, now=NOW)["participation"]
    groups = {row["value"]: row["count"] for row in part["by_group"]}
    assert groups["academia"] is None
    assert sum(1 for row in part["by_group"] if row["count"] is None) >= 2
    regions = {row["value"]: row["count"] for row in part["by_region"]}
    assert regions["Americas"] is None
    assert sum(1 for row in part["by_region"] if row["count"] is None) >= 2
    shown = [row["count"] for key in ("by_group", "by_region", "by_gender") for row in part[key]]
    shown += [row["count"] for row in part["cross"]]
    assert not [n for n in shown if n is not None and 0 < n < 5]


def test_gender_never_leaves_in_a_cell_under_five_or_with_a_rare_label(consultation):
    for _ in range(2):
        add_input(consultation, group="civil_society", country="KE", gender="Two-spirit")
    part = process_indicators(consultation, now=NOW)["participation"]
    labels = [row["value"] for row in part["by_gender"]]
    assert "two-spirit" not in labels
    assert all(row["gender"] != "two-spirit" for row in part["cross"])
    assert "two-spirit" not in str(process_indicators(consultation, now=NOW))


def test_targets_and_alerts(consultation):
    creator = consultation.created_by
    ParticipationTarget.objects.create(
        process=consultation,
        dimension="stakeholder_group",
        value="government",
        min_share="0.2",
        created_by=creator,
    )
    ParticipationTarget.objects.create(
        process=consultation,
        dimension="global_south",
        value="yes",
        min_share="0.5",
        created_by=creator,
    )
    figures = process_indicators(consultation, now=NOW)
    government = next(r for r in figures["participation"]["by_group"] if r["value"] == "government")
    assert (government["target"], government["meets_target"]) == (0.2, False)
    assert figures["participation"]["global_south_meets_target"] is True
    codes = {(a["code"], a["value"]) for a in figures["alerts"]}
    assert ("no_input_from_group", "government") in codes
    assert ("below_target", 0.0) in codes
    messages = [a["message"] for a in figures["alerts"]]
    assert "No input from government yet." in messages
    # 10 inputs were sent 60 days ago and never answered: more than 30 days.
    assert ("unanswered_inputs", 10) in codes
    # HHI 0.36 > 0.25 with 3 organisations.
    assert any(code == "concentrated_inputs" for code, _ in codes)


def test_circulation_days_before_the_comment_deadline(consultation):
    phase = Phase.objects.create(
        process=consultation,
        kind=PhaseKind.DRAFT_COMMENT,
        title="Comments",
        starts_at=NOW - timedelta(days=30),
        ends_at=NOW + timedelta(days=10),
        min_days=40,
    )
    version = make_version(consultation)
    version.published_at = NOW - timedelta(days=20, hours=12)
    version.save()
    (item,) = process_indicators(consultation, now=NOW)["circulation"]
    # Published 20.5 days before now, the phase ends 10 days after: 30.5 days.
    assert item["days_public_before_deadline"] == 30.5
    assert item["deadline"] == phase.ends_at.isoformat()
    assert (item["draft"], item["version"]) == ("principles", 1)
    alerts = process_indicators(consultation, now=NOW)["alerts"]
    assert any(a["code"] == "short_circulation" for a in alerts)  # 30.5 < 40 days


def test_the_number_of_queries_does_not_grow_with_inputs(consultation):
    with CaptureQueriesContext(connection) as before:
        process_indicators(consultation, now=NOW)
    for _ in range(15):
        add_input(consultation, group="academia", country="BR", gender="man", organisation="Uni")
    with CaptureQueriesContext(connection) as after:
        process_indicators(consultation, now=NOW)
    assert len(after) == len(before)


def test_an_empty_process_has_the_shape_and_no_figures(db):
    figures = process_indicators(ProcessFactory(slug="empty"), now=NOW)
    assert figures["participation"]["inputs"] == 0
    assert figures["responsiveness"]["answered_share"] is None
    assert figures["alerts"] == []
    assert set(figures) == {
        "process",
        "computed_at",
        "suppress_below",
        "participation",
        "responsiveness",
        "interaction",
        "concentration",
        "circulation",
        "alerts",
    }
