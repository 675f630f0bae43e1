"""Statement pages: forms work without JavaScript, htmx swaps the card, the map is accessible."""

from django.urls import reverse

from polyvox.contributions.models import Contribution
from polyvox.statements.models import Statement, StatementSettings, StatementStatus, Vote
from polyvox.statements.services import refresh_opinion_map
from tests.factories import vote_all


def url(name, process, **kwargs):
    return reverse(f"statements:{name}", kwargs={"slug": process.slug, **kwargs})


def test_a_participant_proposes_a_statement_with_a_plain_form(
    client, process, deliberation, participant
):
    client.force_login(participant)

    response = client.post(url("list", process), {"text": "Open data by default."})

    assert response.status_code == 302
    assert list(Statement.objects.values_list("text", "status")) == [
        ("Open data by default.", StatementStatus.ACCEPTED)
    ]


def test_a_duplicate_statement_shows_the_error_on_the_form_and_adds_nothing(
    client, process, deliberation, participant, make_statement
):
    make_statement("Open data by default.")
    client.force_login(participant)

    response = client.post(url("list", process), {"text": "open data by default"})

    assert response.status_code == 200
    assert "already been proposed" in response.content.decode()
    assert Statement.objects.count() == 1


def test_voting_works_without_javascript_and_shows_the_next_statement(
    client, process, deliberation, participant, make_statement
):
    first, _second = make_statement("First claim."), make_statement("Second claim.")
    client.force_login(participant)

    response = client.post(
        url("vote", process), {"statement": first.pk, "value": "-1"}, follow=True
    )

    assert list(Vote.objects.values_list("statement_id", "value")) == [(first.pk, -1)]
    page = response.content.decode()
    assert "Second claim." in page
    assert "<html" in page


def test_an_htmx_vote_returns_only_the_card(
    client, process, deliberation, participant, make_statement
):
    first = make_statement("First claim.")
    client.force_login(participant)

    response = client.post(
        url("vote", process), {"statement": first.pk, "value": "1"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="vote-card"')
    assert "You have voted on every statement" in page


def test_voting_needs_a_login(client, process, deliberation):
    response = client.get(url("vote", process))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_opinion_map_is_an_accessible_svg_without_names(
    client, process, make_statement, make_voters, participant
):
    statements = [make_statement(f"Claim {i}.") for i in range(7)]
    vote_all(make_voters(6, "north"), statements, [1, 1, 1, 1, -1, -1, 1])
    vote_all(make_voters(6, "south"), statements, [-1, -1, -1, -1, 1, 1, 1])
    refresh_opinion_map(process=process)
    client.force_login(participant)

    page = client.get(url("opinion_map", process)).content.decode()

    assert '<svg role="img" aria-labelledby="map-title map-desc"' in page
    assert '<title id="map-title">Opinion map of participants</title>' in page
    assert page.count("<circle ") == 12
    assert "north0" not in page
    assert "North0" not in page
    assert "Bridging statements" in page
    assert "What most participants agree or disagree on" in page
    assert "Consensus across opinion groups" in page
    assert "Who agrees with you" in page


def test_the_opinion_map_page_without_a_map_invites_votes(client, process):
    response = client.get(url("opinion_map", process))

    assert "No opinion map yet" in response.content.decode()


def test_a_participant_cannot_open_the_moderation_page(client, process, participant):
    client.force_login(participant)

    assert client.get(url("moderation", process)).status_code == 403


def test_the_secretariat_rejects_a_pending_statement_from_the_moderation_page(
    client, process, secretariat, make_statement
):
    statement = make_statement("Pending claim.", status=StatementStatus.PENDING)
    client.force_login(secretariat)

    response = client.post(
        url("moderation", process),
        {"statement": statement.pk, "decision": "reject", "reason": "Off topic"},
    )

    statement.refresh_from_db()
    assert response.status_code == 302
    assert (statement.status, statement.moderation_reason) == (
        StatementStatus.REJECTED,
        "Off topic",
    )


def test_the_secretariat_promotes_a_contribution_from_its_page(
    client, process, secretariat, participant
):
    contribution = Contribution.objects.create(
        process=process,
        kind="general",
        author=participant,
        author_name="Amina",
        stakeholder_group="civil_society",
        body="A thread insight.",
        tracking_number="PV-9",
    )
    client.force_login(secretariat)

    response = client.post(url("promote", process, tracking_number="PV-9"), {"text": "Insight."})

    assert response.status_code == 302
    assert Statement.objects.get().source_contribution == contribution


def test_the_process_page_links_to_statements_vote_and_the_map(client, process):
    page = client.get(process.get_absolute_url()).content.decode()

    for name in ("list", "vote", "opinion_map"):
        assert url(name, process) in page


def test_a_vote_is_changed_from_the_statements_page_and_returns_there(
    client, process, deliberation, participant, make_statement
):
    claim = make_statement("Claim.")
    client.force_login(participant)
    back = url("list", process)
    client.post(url("vote", process), {"statement": claim.pk, "value": "1", "next": back})

    response = client.post(
        url("vote", process), {"statement": claim.pk, "value": "0", "next": back}
    )

    assert response["Location"] == back
    assert Vote.objects.get().value == 0
    assert 'aria-pressed="true" aria-label="Pass: Claim."' in client.get(back).content.decode()


def test_a_vote_never_redirects_off_site(
    client, process, deliberation, participant, make_statement
):
    claim = make_statement("Claim.")
    client.force_login(participant)

    response = client.post(
        url("vote", process), {"statement": claim.pk, "value": "1", "next": "https://evil.example/"}
    )

    # Back to the vote page (never off-site), which then shows the counts of the statement voted on.
    assert response["Location"] == f"{url('vote', process)}?voted={claim.pk}"


def test_the_secretariat_sets_strict_moderation_from_the_moderation_page(
    client, process, secretariat
):
    client.force_login(secretariat)

    response = client.post(url("moderation_mode", process), {"moderation": "strict"})

    assert response.status_code == 302
    assert StatementSettings.objects.get(process=process).moderation == "strict"


def test_a_boosted_vote_from_the_statements_page_gets_a_whole_page_not_the_card(
    client, process, deliberation, participant, make_statement
):
    claim = make_statement("Claim.")
    client.force_login(participant)
    back = url("list", process)

    response = client.post(
        url("vote", process),
        {"statement": claim.pk, "value": "1", "next": back},
        headers={"HX-Request": "true", "HX-Boosted": "true"},
    )

    assert (response.status_code, response["Location"]) == (302, back)
