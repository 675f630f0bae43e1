"""Decision pages: the decision panel (tally, position form, what-if table), recording and
changing a position, the named positions, declaring the decision.

A refused form answers 200 with its errors; someone who may not act gets the 403 page.
"""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from polyvox.analytics.decision_rules import RULES
from polyvox.outcomes.models import (
    Decision,
    Elector,
    OutcomeSettings,
    Position,
    PositionRevision,
    Recommendation,
)
from polyvox.outcomes.views.decisions import decision_panel
from polyvox.participants.models import User
from polyvox.processes.models import Membership, Process, Role
from tests.factories import (
    ProcessFactory,
    UserFactory,
    make_chair,
    make_recommendation,
    make_secretariat,
    open_decision_phase,
)

pytestmark = pytest.mark.django_db


def url(name: str, recommendation: Recommendation) -> str:
    return reverse(
        f"outcomes:{name}",
        kwargs={"slug": recommendation.process.slug, "number": recommendation.number},
    )


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def set_rules(process: Process, rule_set: str, **chambers: str) -> None:
    OutcomeSettings.objects.update_or_create(
        process=process, defaults={"rule_set": rule_set, "chambers": chambers}
    )


def person(name: str, group: str = "civil_society") -> User:
    return UserFactory(username=name, profile={"stakeholder_group": group})


def panel_html(recommendation: Recommendation, viewer: User | None = None) -> str:
    """The panel as the recommendation page includes it, for `viewer` (anonymous by default)."""
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(recommendation.get_absolute_url())
    request.user = viewer or AnonymousUser()
    recommendation = Recommendation.objects.get(pk=recommendation.pk)
    return render_to_string(
        "outcomes/_decision_panel.html", decision_panel(request, recommendation), request=request
    )


@pytest.fixture
def process() -> Process:
    process = ProcessFactory()
    open_decision_phase(process)
    return process


@pytest.fixture
def recommendation(process: Process) -> Recommendation:
    return make_recommendation(process)


@pytest.fixture
def amina() -> User:
    return person("amina")


@pytest.fixture
def kenji() -> User:
    return person("kenji", "private_sector")


def record(
    client: Client, recommendation: Recommendation, position: str, reason: str = "", **extra
):  # type: ignore[no-untyped-def]
    return client.post(
        url("position", recommendation), {"position": position, "reason": reason}, **extra
    )


# The panel ---------------------------------------------------------------------------------------


def test_the_what_if_table_lists_every_preset_and_marks_the_process_rule(
    recommendation: Recommendation, amina: User, kenji: User
) -> None:
    set_rules(recommendation.process, "two-thirds-present-voting")
    record(signed_in(amina), recommendation, "support")
    record(signed_in(kenji), recommendation, "oppose")

    html = panel_html(recommendation)

    what_if = html[html.index('class="what-if"') :]
    for rule in RULES.values():
        assert rule.source in what_if.replace("&#x27;", "'").replace("&quot;", '"')
    assert what_if.count("<tr") == 1 + len(RULES) == 8  # the head, then one row per preset
    assert what_if.count('<strong class="tag">this process\'s rule</strong>') == 1
    own_row = what_if[what_if.index('class="own-rule"') :].split("</tr>")[0]
    assert "Two thirds of those present and voting" in own_row
    assert "Not passed" in own_row  # 1 of 2 is not two thirds
    majority_row = what_if[what_if.index("Simple majority") :].split("</tr>")[0]
    assert "Not passed" in majority_row  # a tie fails
    assert "Positions by group, so far" in html
    tally = html[html.index('class="tally"') : html.index("</table>")]
    assert "Civil society" in tally
    assert "Private sector" in tally
    assert "All groups" in tally


def test_a_visitor_sees_the_tally_but_no_form(recommendation: Recommendation) -> None:
    html = panel_html(recommendation)
    assert "Log in to record a position" in html
    assert 'name="position"' not in html
    assert "Declare the decision" not in html
    assert "No position recorded yet." in html


def test_a_participant_gets_the_form_with_its_public_notice(
    recommendation: Recommendation, amina: User
) -> None:
    html = panel_html(recommendation, amina)
    assert 'name="position"' in html
    for label in ("Support", "Can live with", "Oppose", "Abstain"):
        assert f"> {label}</label>" in html or f">{label}</label>" in html
    assert "Your position is public, with your name." in html
    assert 'value="block"' not in html  # simple majority allows no block


def test_block_is_offered_only_where_the_rule_set_allows_it(
    recommendation: Recommendation, amina: User
) -> None:
    set_rules(recommendation.process, "consensus-with-blocks")
    assert 'value="block"' in panel_html(recommendation, amina)

    response = record(signed_in(amina), recommendation, "block", "It breaks the mandate.")

    assert response.status_code == 302
    assert Position.objects.get(author=amina).position == "block"


def test_block_is_refused_where_the_rule_set_does_not_allow_it(
    recommendation: Recommendation, amina: User
) -> None:
    response = record(signed_in(amina), recommendation, "block")

    assert response.status_code == 200
    assert "does not allow blocking" in page(response)
    assert not Position.objects.exists()


# Recording a position ----------------------------------------------------------------------------


def test_a_participant_records_then_changes_a_position_and_history_is_kept(
    recommendation: Recommendation, amina: User
) -> None:
    client = signed_in(amina)

    first = record(client, recommendation, "support", "Six languages reach more people.")
    assert first.status_code == 302
    assert first["Location"] == recommendation.get_absolute_url() + "#decision"

    second = record(client, recommendation, "can-live-with", "Costly, but worth it.")
    assert second.status_code == 302

    current = Position.objects.get(recommendation=recommendation, author=amina)
    assert (current.position, current.reason) == ("can-live-with", "Costly, but worth it.")
    revisions = PositionRevision.objects.filter(recommendation=recommendation, author=amina)
    assert [r.position for r in revisions] == ["support", "can-live-with"]

    html = panel_html(recommendation, amina)
    assert "You recorded: <strong>Can live with</strong>" in html
    assert "Change my position" in html
    checked = re.findall(r'<input type="radio" name="position" value="([^"]+)"[^>]* checked', html)
    assert checked == ["can-live-with"]


def test_the_htmx_form_swaps_the_panel_alone(recommendation: Recommendation, amina: User) -> None:
    response = record(signed_in(amina), recommendation, "support", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = page(response)
    assert html.lstrip().startswith('<section id="decision"')
    assert "<html" not in html
    assert "Your position is recorded." in html
    assert Position.objects.filter(author=amina).exists()


def test_a_form_with_errors_answers_200_with_them(
    recommendation: Recommendation, amina: User
) -> None:
    client = signed_in(amina)

    empty = record(client, recommendation, "")
    assert empty.status_code == 200
    assert "This field is required." in page(empty)
    assert "<html" in page(empty)  # a whole page without JavaScript

    unknown = record(client, recommendation, "enthusiastic")
    assert unknown.status_code == 200
    assert "Select a valid choice" in page(unknown)

    long = record(client, recommendation, "oppose", "x" * 5001)
    assert long.status_code == 200
    assert "at most 5000 characters" in page(long)

    nul = record(client, recommendation, "oppose", "bad\x00reason")
    assert nul.status_code == 200
    assert "Null characters are not allowed." in page(nul)

    htmx = record(client, recommendation, "", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert "<html" not in page(htmx)
    assert "This field is required." in page(htmx)
    assert not Position.objects.exists()


def test_a_visitor_is_sent_to_log_in(recommendation: Recommendation) -> None:
    response = record(Client(), recommendation, "support")
    assert response.status_code == 302
    assert reverse("participants:login") in response["Location"]
    assert not Position.objects.exists()


def test_no_position_outside_a_decision_phase(amina: User) -> None:
    recommendation = make_recommendation(ProcessFactory())  # no decision phase

    response = record(signed_in(amina), recommendation, "support")

    assert response.status_code == 403
    assert not Position.objects.exists()
    assert "No phase of this process is open now." in panel_html(recommendation, amina)


def test_an_observer_may_not_record_a_position(recommendation: Recommendation, amina: User) -> None:
    Membership.objects.create(process=recommendation.process, user=amina, role=Role.OBSERVER)

    assert record(signed_in(amina), recommendation, "support").status_code == 403
    assert not Position.objects.exists()


def test_with_electors_only_electors_record_positions(
    recommendation: Recommendation, amina: User, kenji: User
) -> None:
    Elector.objects.create(
        process=recommendation.process, user=amina, voter="Kenya", group="government"
    )

    assert record(signed_in(kenji), recommendation, "support").status_code == 403
    assert "you hold no seat" in panel_html(recommendation, kenji)
    assert record(signed_in(amina), recommendation, "support").status_code == 302

    html = panel_html(recommendation)
    tally = html[html.index('class="tally"') : html.index("</table>")]
    assert "Government" in tally


def test_a_missing_recommendation_is_a_404(process: Process, amina: User) -> None:
    response = signed_in(amina).post(
        reverse("outcomes:position", kwargs={"slug": process.slug, "number": 99}),
        {"position": "support"},
    )
    assert response.status_code == 404


# Named positions ---------------------------------------------------------------------------------


def test_the_named_positions_show_names_groups_and_reasons(
    recommendation: Recommendation, amina: User, kenji: User
) -> None:
    record(signed_in(amina), recommendation, "support", "Reach matters.")
    record(signed_in(kenji), recommendation, "oppose", "Too costly.")

    response = Client().get(url("positions", recommendation))

    html = page(response)
    assert response.status_code == 200
    assert "Amina" in html
    assert "Kenji" in html
    assert "Civil society" in html
    assert "Private sector" in html
    assert "Reach matters." in html
    assert "Too costly." in html
    assert "Support" in html
    assert "Oppose" in html
    assert "amina@example.org" not in html


def test_the_named_positions_come_50_a_page(recommendation: Recommendation) -> None:
    now = timezone.now()
    users = [person(f"voter{i:02d}") for i in range(51)]
    Position.objects.bulk_create(
        Position(
            recommendation=recommendation,
            author=user,
            position="support",
            updated_at=now + timedelta(seconds=i),
        )
        for i, user in enumerate(users)
    )

    first = page(Client().get(url("positions", recommendation)))
    second = page(Client().get(url("positions", recommendation) + "?page=2"))

    assert first.count('<th scope="row">') == 50
    assert "Page 1 of 2" in first
    assert second.count('<th scope="row">') == 1
    assert "Voter50" in second


# Declaring the decision --------------------------------------------------------------------------


def test_only_the_secretariat_or_the_chair_sees_and_may_press_declare(
    recommendation: Recommendation, amina: User
) -> None:
    record(signed_in(amina), recommendation, "support")
    secretariat = make_secretariat(recommendation.process)
    chair = make_chair(recommendation.process)

    assert "Declare the decision" not in panel_html(recommendation, amina)
    assert "Declare the decision" in panel_html(recommendation, secretariat)
    assert "Declare the decision" in panel_html(recommendation, chair)

    refused = signed_in(amina).post(url("declare", recommendation))
    assert refused.status_code == 403
    assert Client().post(url("declare", recommendation)).status_code == 302  # to log in
    assert not Decision.objects.exists()


def test_declaring_without_positions_answers_200_with_the_reason(
    recommendation: Recommendation,
) -> None:
    secretariat = make_secretariat(recommendation.process)

    response = signed_in(secretariat).post(url("declare", recommendation))

    assert response.status_code == 200
    assert "No one has recorded a position" in page(response)
    assert not Decision.objects.exists()


def test_a_declared_decision_is_shown_with_its_frozen_table_and_closes_positions(
    recommendation: Recommendation, amina: User, kenji: User
) -> None:
    set_rules(recommendation.process, "consensus-with-blocks")
    record(signed_in(amina), recommendation, "support")
    record(signed_in(kenji), recommendation, "block", "We cannot live with it.")
    chair = make_chair(recommendation.process)

    response = signed_in(chair).post(url("declare", recommendation))

    assert response.status_code == 302
    decision = Decision.objects.get(recommendation=recommendation)
    assert decision.passed is False
    html = panel_html(recommendation, amina)
    assert "Decided: not passed" in html
    assert decision.reason in html
    assert "Declare the decision" not in html
    assert 'name="position"' not in html
    assert "Positions by group, when the decision was declared" in html
    what_if = html[html.index('class="what-if"') :]
    own_row = what_if[what_if.index('class="own-rule"') :].split("</tr>")[0]
    assert "Consensus with blocks" in own_row
    assert "Not passed" in own_row
    majority_row = what_if[what_if.index("Simple majority") :].split("</tr>")[0]
    assert "Not passed" in majority_row  # 1 for, 1 against (the block): a tie

    # Positions are closed, and declaring twice is refused.
    assert record(signed_in(amina), recommendation, "oppose").status_code == 403
    again = signed_in(chair).post(url("declare", recommendation))
    assert again.status_code == 200
    assert Decision.objects.count() == 1


def test_the_decision_page_without_javascript_has_one_h1_and_the_panel(
    recommendation: Recommendation, amina: User
) -> None:
    response = record(signed_in(amina), recommendation, "")
    html = page(response)
    assert html.count("<h1") == 1
    assert '<h2 id="decision-heading">' in html
    assert "<caption>" in html


def test_the_recommendation_page_includes_the_panel(
    recommendation: Recommendation, amina: User
) -> None:
    record(signed_in(amina), recommendation, "support", "Reach matters.")

    response = signed_in(amina).get(recommendation.get_absolute_url())

    html = page(response)
    assert response.status_code == 200
    assert '<section id="decision"' in html
    assert "You recorded: <strong>Support</strong>" in html
    assert html.count('<tr class="own-rule">') == 1
    assert 'name="csrfmiddlewaretoken"' in html[html.index('<section id="decision"') :]
