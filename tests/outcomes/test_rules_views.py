"""The rules page (everyone reads the rule set, its meaning, its source and the chamber thresholds;
the secretariat edits them) and the electors page (a public roster of labels and groups; the
secretariat adds and removes electors). Forms with errors answer 200; others get 403."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polyvox.analytics.decision_rules import RULES
from polyvox.outcomes.models import Decision, Elector, OutcomeSettings
from polyvox.participants.models import User
from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry
from tests.factories import (
    ProcessFactory,
    UserFactory,
    make_chair,
    make_recommendation,
    make_secretariat,
)

pytestmark = pytest.mark.django_db


def url(name: str, process: Process, **kwargs: object) -> str:
    return reverse(f"outcomes:{name}", kwargs={"slug": process.slug, **kwargs})


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(name: str, group: str = "civil_society") -> User:
    return UserFactory(username=name, profile={"stakeholder_group": group})


def declare_something(process: Process) -> None:
    """A decision declared (written directly: its service has its own tests)."""
    Decision.objects.create(
        recommendation=make_recommendation(process),
        rule_set="simple-majority",
        passed=True,
        reason="1 in favour, 0 against.",
        declared_by=process.created_by,
        declared_at=timezone.now(),
    )


@pytest.fixture
def process() -> Process:
    return ProcessFactory()


@pytest.fixture
def sofia(process: Process) -> User:
    return make_secretariat(process, username="sofia")


def settings_post(**overrides: object) -> dict[str, object]:
    return {"rule_set": "chambers", "chambers": "", "objection_days": 7, **overrides}


# Reading the rules -------------------------------------------------------------------------------


def test_everyone_reads_the_rule_set_its_meaning_source_and_chambers(process: Process) -> None:
    OutcomeSettings.objects.create(
        process=process,
        rule_set="chambers",
        chambers={"government": "2/3:members", "civil_society": ">1/2:votes"},
        objection_days=10,
    )

    response = Client().get(url("rules", process))

    html = page(response).replace("&#x27;", "'").replace("&quot;", '"')
    assert response.status_code == 200
    assert "Rule set: Chambers (each stakeholder group decides)" in html
    assert "Passes when every chamber passes." in html
    assert "at least 2/3 of members" in html
    assert "more than 1/2 of votes cast" in html
    assert "Participants have 10 days to object" in html
    for rule in RULES.values():
        assert rule.source in html
    marked = html[html.index('class="own-rule"') :].split("</tr>")[0]
    assert "Chambers" in marked
    assert "this process's rule" in marked
    assert "Save the rules" not in html  # no form for visitors


def test_the_default_rule_set_is_simple_majority(process: Process) -> None:
    html = page(Client().get(url("rules", process)))
    assert "Rule set: Simple majority" in html
    assert "A tie fails." in html


# Editing the rules -------------------------------------------------------------------------------


def test_the_secretariat_sets_the_rules_with_chamber_thresholds(
    process: Process, sofia: User
) -> None:
    client = signed_in(sofia)
    assert "Save the rules" in page(client.get(url("rules", process)))

    response = client.post(
        url("rules", process),
        settings_post(
            chambers="government = 2/3:members\n\n# comment\ncivil_society = >1/2:votes",
            objection_days=14,
        ),
    )

    assert response.status_code == 302
    settings = OutcomeSettings.objects.get(process=process)
    assert settings.rule_set == "chambers"
    assert settings.chambers == {"government": "2/3:members", "civil_society": ">1/2:votes"}
    assert settings.objection_days == 14
    assert RecordEntry.objects.filter(process=process, kind="outcome.rules_changed").exists()
    again = page(client.get(url("rules", process)))
    assert "at least 2/3 of members" in again
    assert "civil_society = &gt;1/2:votes" in again  # the form shows what was saved


@pytest.mark.parametrize(
    ("chambers", "message"),
    [
        ("government 2/3:members", "Line 1: write “group = threshold”"),
        ("government = two thirds", "Line 1:"),
        ("government = 3/2:members", "at most 1"),
        (
            "government = 2/3:members\ngovernment = 1/2:votes",
            "Line 2: the group “government” is given twice.",
        ),
        ("civil society = 1/2:votes", "is not a group name"),
    ],
)
def test_bad_chamber_thresholds_answer_200_naming_the_line(
    process: Process, sofia: User, chambers: str, message: str
) -> None:
    response = signed_in(sofia).post(url("rules", process), settings_post(chambers=chambers))

    assert response.status_code == 200
    assert message in page(response)
    assert not OutcomeSettings.objects.filter(process=process).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"objection_days": 0}, "greater than or equal to 1"),
        ({"objection_days": 91}, "less than or equal to 90"),
        ({"objection_days": "soon"}, "Enter a whole number."),
        ({"rule_set": "dictatorship"}, "Select a valid choice"),
        ({"chambers": "government = 1/2:votes\x00"}, "Null characters are not allowed."),
    ],
)
def test_bad_settings_answer_200_with_errors(
    process: Process, sofia: User, fields: dict[str, object], message: str
) -> None:
    response = signed_in(sofia).post(url("rules", process), settings_post(**fields))

    assert response.status_code == 200
    assert message in page(response)
    assert not OutcomeSettings.objects.filter(process=process).exists()


def test_only_the_secretariat_may_change_the_rules(process: Process) -> None:
    chair = make_chair(process)
    for client in (Client(), signed_in(person("amina")), signed_in(chair)):
        response = client.post(url("rules", process), settings_post())
        assert response.status_code == 403
        assert "Save the rules" not in page(client.get(url("rules", process)))
    assert not OutcomeSettings.objects.filter(process=process).exists()


def test_the_rule_set_is_fixed_once_a_decision_is_declared(process: Process, sofia: User) -> None:
    declare_something(process)
    client = signed_in(sofia)
    assert "the rule set, the chambers and the electors are fixed" in page(
        client.get(url("rules", process))
    )

    response = client.post(url("rules", process), settings_post(rule_set="chambers"))

    assert response.status_code == 200
    assert "can no longer change" in page(response)
    assert not OutcomeSettings.objects.filter(process=process).exists()


# Electors ----------------------------------------------------------------------------------------


def elector_post(user: str, voter: str = "Kenya", group: str = "government") -> dict[str, str]:
    return {"user": user, "voter": voter, "group": group}


def test_the_public_roster_shows_labels_and_groups_not_accounts(process: Process) -> None:
    amina = person("amina")
    Elector.objects.create(process=process, user=amina, voter="Kenya", group="government")

    html = page(Client().get(url("electors", process)))

    assert "Kenya" in html
    assert "Government" in html
    assert "amina" not in html.lower()
    assert "Add an elector" not in html
    assert "Remove" not in html


def test_the_secretariat_adds_electors_by_username_or_e_mail(process: Process, sofia: User) -> None:
    amina, kenji = person("amina"), person("kenji")
    client = signed_in(sofia)
    assert "Add an elector" in page(client.get(url("electors", process)))

    by_name = client.post(url("electors", process), elector_post("amina"))
    by_mail = client.post(
        url("electors", process), elector_post("KENJI@example.org", "Japan", "government")
    )

    assert by_name.status_code == by_mail.status_code == 302
    seats = {(e.user_id, e.voter, e.group) for e in Elector.objects.filter(process=process)}
    assert seats == {(amina.pk, "Kenya", "government"), (kenji.pk, "Japan", "government")}
    assert RecordEntry.objects.filter(process=process, kind="outcome.elector_added").count() == 2
    html = page(client.get(url("electors", process)))
    assert "kenji" in html  # the secretariat sees whose seat it is


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (elector_post("nobody"), "No registered participant has this username or e-mail address."),
        (elector_post("amina", voter=""), "This field is required."),
        (
            elector_post("amina", group="civil society"),
            "Use letters, digits, hyphens and underscores",
        ),
        (elector_post("amina", voter="Kenya\x00"), "Null characters are not allowed."),
        (elector_post("kenji", voter="Chile"), "Another elector already has the label"),
        (elector_post("chile", voter="Chile"), "already has a seat"),
    ],
)
def test_bad_electors_answer_200_with_errors(
    process: Process, sofia: User, fields: dict[str, str], message: str
) -> None:
    person("amina")
    person("kenji")
    Elector.objects.create(process=process, user=person("chile"), voter="Chile", group="government")

    response = signed_in(sofia).post(url("electors", process), fields)

    assert response.status_code == 200
    assert message in page(response)
    assert Elector.objects.filter(process=process).count() == 1


def test_only_the_secretariat_adds_or_removes_electors(process: Process) -> None:
    person("amina")
    seat = Elector.objects.create(
        process=process, user=person("chile"), voter="Chile", group="government"
    )
    for client in (signed_in(person("kenji")), signed_in(make_chair(process))):
        assert client.post(url("electors", process), elector_post("amina")).status_code == 403
        removed = client.post(url("remove_elector", process, elector_id=seat.pk))
        assert removed.status_code == 403
    assert Client().post(url("electors", process), elector_post("amina")).status_code == 403
    assert Elector.objects.filter(process=process).count() == 1


def test_the_secretariat_removes_an_elector(process: Process, sofia: User) -> None:
    seat = Elector.objects.create(
        process=process, user=person("chile"), voter="Chile", group="government"
    )

    response = signed_in(sofia).post(url("remove_elector", process, elector_id=seat.pk))

    assert response.status_code == 302
    assert not Elector.objects.filter(process=process).exists()
    assert RecordEntry.objects.filter(process=process, kind="outcome.elector_removed").exists()


def test_an_elector_of_another_process_is_a_404(process: Process, sofia: User) -> None:
    other = Elector.objects.create(
        process=ProcessFactory(), user=person("chile"), voter="Chile", group="government"
    )
    response = signed_in(sofia).post(url("remove_elector", process, elector_id=other.pk))
    assert response.status_code == 404
    assert Elector.objects.filter(pk=other.pk).exists()


def test_the_electorate_is_fixed_once_a_decision_is_declared(process: Process, sofia: User) -> None:
    person("amina")
    seat = Elector.objects.create(
        process=process, user=person("chile"), voter="Chile", group="government"
    )
    declare_something(process)
    client = signed_in(sofia)

    added = client.post(url("electors", process), elector_post("amina"))
    removed = client.post(url("remove_elector", process, elector_id=seat.pk))

    assert added.status_code == removed.status_code == 200
    assert "the electorate is fixed" in page(added)
    assert "the electorate is fixed" in page(removed)
    assert list(Elector.objects.filter(process=process)) == [seat]


def test_the_roster_comes_50_a_page(process: Process) -> None:
    Elector.objects.bulk_create(
        Elector(
            process=process,
            user=person(f"state{i:02d}"),
            voter=f"State {i:02d}",
            group="government",
        )
        for i in range(51)
    )

    first = page(Client().get(url("electors", process)))
    second = page(Client().get(url("electors", process) + "?page=2"))

    assert "State 00" in first
    assert "State 49" in first
    assert "State 50" not in first
    assert "Page 1 of 2" in first
    assert "State 50" in second
    assert "Seats by group" in first
