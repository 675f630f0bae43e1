"""The evidence panel beside a designation: positions by stakeholder group and by M49 region,
votes on the linked statements by group — counts checked by hand, counted by the database (the
number of queries does not grow with participation), and never a name or a gender."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polyvox.outcomes.models import Position
from polyvox.outcomes.selectors.recommendations import evidence
from polyvox.participants.models import User
from polyvox.statements.models import StatementStatus, VoteValue
from tests.factories import UserFactory, make_statement, vote_all

pytestmark = pytest.mark.django_db

AGREE, DISAGREE, PASS = VoteValue.AGREE, VoteValue.DISAGREE, VoteValue.PASS


def person(name, group, country):
    user = UserFactory(username=name, profile={"stakeholder_group": group, "country": country})
    user.profile.gender = f"GENDER-{name}"
    user.profile.save()
    return user


def take(recommendation, *pairs):
    for user, position in pairs:
        Position.objects.create(
            recommendation=recommendation,
            author=user,
            position=position,
            updated_at=timezone.now(),
        )


def zero(**counts):
    return {
        "support": 0,
        "can-live-with": 0,
        "oppose": 0,
        "block": 0,
        "abstain": 0,
        **{k.replace("_", "-"): v for k, v in counts.items()},
    }


@pytest.fixture
def people(db):
    return {
        "amina": person("amina", "civil_society", "KE"),  # Africa
        "kenji": person("kenji", "private_sector", "JP"),  # Asia
        "rosa": person("rosa", "civil_society", "BR"),  # Americas
        "joao": person("joao", "civil_society", "BR"),  # Americas
        "ines": person("ines", "government", ""),  # no country
        "lars": person("lars", "government", "SE"),  # Europe
    }


def test_positions_are_counted_by_group_region_and_in_all(recommendation, people):
    p = people
    take(
        recommendation,
        (p["amina"], "support"),
        (p["kenji"], "oppose"),
        (p["rosa"], "can-live-with"),
        (p["joao"], "block"),
        (p["ines"], "abstain"),
        (p["lars"], "support"),
    )
    no_profile = User.objects.create(username="bare", email="bare@example.org")
    take(recommendation, (no_profile, "support"))

    positions = evidence(recommendation)["positions"]

    assert positions["by_group"] == {
        "government": zero(support=1, abstain=1),
        "civil_society": zero(support=1, can_live_with=1, block=1),
        "private_sector": zero(oppose=1),
        "individual": zero(support=1),  # no profile: counted as individual/other
    }
    assert list(positions["by_group"]) == [
        "government",
        "private_sector",
        "civil_society",
        "individual",
    ]  # the order of the stakeholder groups
    assert positions["by_region"] == {
        "Africa": zero(support=1),
        "Americas": zero(can_live_with=1, block=1),
        "Asia": zero(oppose=1),
        "Europe": zero(support=1),
        "unspecified": zero(support=1, abstain=1),
    }
    assert positions["by_position"] == zero(
        support=3, can_live_with=1, oppose=1, block=1, abstain=1
    )
    assert positions["total"] == 7


def test_votes_on_linked_statements_are_counted_by_group(process, recommendation, people):
    p = people
    linked = make_statement(process, "Drafts in six languages.")
    other = make_statement(process, "Not linked.")
    pending = make_statement(process, "Pending.", status=StatementStatus.PENDING)
    recommendation.statements.set([linked, pending])
    vote_all([p["amina"], p["rosa"]], [linked, other], [AGREE, AGREE])
    vote_all([p["joao"]], [linked], [PASS])
    vote_all([p["kenji"], p["lars"]], [linked, other], [DISAGREE, AGREE])

    (statement,) = evidence(recommendation)["statements"]

    assert statement == {
        "id": linked.pk,
        "text": "Drafts in six languages.",
        "agree": 2,
        "disagree": 2,
        "pass": 1,
        "by_group": {
            "government": {"agree": 0, "disagree": 1, "pass": 0},
            "private_sector": {"agree": 0, "disagree": 1, "pass": 0},
            "civil_society": {"agree": 2, "disagree": 0, "pass": 1},
        },
    }


def test_a_statement_nobody_voted_on_counts_zero(process, recommendation):
    statement = make_statement(process, "Quiet.")
    recommendation.statements.set([statement])
    assert evidence(recommendation)["statements"] == [
        {"id": statement.pk, "text": "Quiet.", "agree": 0, "disagree": 0, "pass": 0, "by_group": {}}
    ]


def test_no_positions_gives_an_empty_panel(recommendation):
    panel = evidence(recommendation)
    assert panel["positions"]["total"] == 0
    assert panel["positions"]["by_group"] == {}
    assert panel["statements"] == []
    assert panel["computed_at"].endswith("+00:00")


def test_the_panel_holds_no_name_and_no_gender(process, recommendation, people):
    take(recommendation, *((user, "support") for user in people.values()))
    statement = make_statement(process, "Linked.")
    recommendation.statements.set([statement])
    vote_all(list(people.values()), [statement], [AGREE] * 1)

    text = json.dumps(evidence(recommendation), ensure_ascii=False)

    for name, user in people.items():
        assert name not in text.lower()
        assert user.email not in text
    assert "GENDER" not in text


def test_the_database_counts_it_whatever_the_participation(process, recommendation):
    statement = make_statement(process, "Linked.")
    recommendation.statements.set([statement])

    def queries_with(n):
        voters = [
            UserFactory(profile={"stakeholder_group": "academia", "country": "FR"})
            for _ in range(n)
        ]
        take(recommendation, *((user, "support") for user in voters))
        vote_all(voters, [statement], [AGREE])
        with CaptureQueriesContext(connection) as captured:
            panel = evidence(recommendation)
        return len(captured), panel

    few, _panel = queries_with(2)
    many, panel = queries_with(20)
    assert many == few
    assert panel["positions"]["by_group"]["academia"]["support"] == 22
    assert panel["statements"][0]["agree"] == 22
