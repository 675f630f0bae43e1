"""The vote card: distinct Agree / Disagree / Pass, progress "3 of 12", and the counts of a
statement shown only once one has voted on it (as Pol.is does)."""

from django.urls import reverse

from polyvox.statements.models import Vote
from tests.experience.html import attr, classes, page, select, select_one, text
from tests.factories import close_phase, make_statement, make_voters, vote_all


def url(name, process):
    return reverse(f"statements:{name}", kwargs={"slug": process.slug})


def card_of(response):
    return select_one(page(response), "#vote-card")


def test_agree_disagree_and_pass_look_different_and_say_so_in_words(
    signed_in, process, deliberation
):
    make_statement(process, "Open data by default.")

    buttons = select(card_of(signed_in.get(url("vote", process))), "form button")

    assert [(attr(b, "value"), classes(b), text(b)) for b in buttons] == [
        ("1", ["vote-agree"], "✓ Agree"),
        ("-1", ["vote-disagree"], "✗ Disagree"),
        ("0", ["vote-pass"], "\N{EN DASH} Pass / unsure"),
    ]
    # The symbols are decoration: screen readers hear the words only.
    assert [attr(select_one(b, ".vote-icon"), "aria-hidden") for b in buttons] == ["true"] * 3


def test_the_three_styles_differ_in_the_stylesheet(settings):
    css = (settings.BASE_DIR / "static" / "css" / "polyvox.css").read_text(encoding="utf-8")

    assert "button.vote-agree { background: var(--ok)" in css
    assert "button.vote-disagree { background: var(--bad)" in css
    assert "button.vote-pass { background: var(--bg)" in css


def test_the_card_shows_progress_as_statement_n_of_total(
    signed_in, process, deliberation, participant
):
    statements = [make_statement(process, f"Claim {i}.") for i in range(12)]
    vote_all([participant], statements[:2], [1, -1])
    hidden = make_statement(process, "Hidden claim.")
    hidden.hidden_at = hidden.created_at
    hidden.save()

    card = card_of(signed_in.get(url("vote", process)))

    assert text(select_one(card, ".vote-progress")) == "Statement 3 of 12"
    assert text(select_one(card, "#votes-cast")) == "You have voted on 2 of 12 statements."
    bar = select_one(card, "progress")
    assert (attr(bar, "value"), attr(bar, "max")) == ("2", "12")


def test_no_count_is_on_the_card_before_voting(signed_in, process, deliberation):
    statement = make_statement(process, "Open data by default.")
    vote_all(make_voters(7, "crowd"), [statement], [1])

    card = card_of(signed_in.get(url("vote", process)))

    assert select_one(card, "#vote-tally") is None
    assert "7" not in text(card).split()


def test_after_voting_the_card_shows_that_statements_counts_with_ones_own_vote(
    signed_in, process, deliberation
):
    statement = make_statement(process, "Open data by default.")
    make_statement(process, "Next claim.")
    vote_all(make_voters(3, "yes"), [statement], [1])
    vote_all(make_voters(2, "no"), [statement], [-1])

    response = signed_in.post(
        url("vote", process), {"statement": statement.pk, "value": "-1"}, follow=True
    )

    tally = select_one(page(response), "#vote-tally")
    assert text(tally) == (
        "You disagreed with: «Open data by default.» "
        "So far, 6 votes, yours included: 3 agree, 3 disagree, 0 pass."
    )
    bars = {classes(r)[0]: attr(r, "width") for r in select(tally, "rect")}
    assert bars == {"tally-agree": "50", "tally-disagree": "50", "tally-pass": "0"}
    # The next statement comes without its counts.
    assert text(select_one(page(response), "#statement-text")) == "Next claim."


def test_the_htmx_card_after_a_vote_shows_the_tally_too(signed_in, process, deliberation):
    statement = make_statement(process, "Open data by default.")

    response = signed_in.post(
        url("vote", process), {"statement": statement.pk, "value": "0"}, HTTP_HX_REQUEST="true"
    )

    assert "<html" not in response.content.decode()
    assert text(select_one(page(response), "#vote-tally")) == (
        "You passed on: «Open data by default.» "
        "So far, 1 vote, yours included: 0 agree, 0 disagree, 1 pass."
    )


def test_asking_for_the_counts_of_a_statement_one_has_not_voted_on_shows_nothing(
    signed_in, process, deliberation
):
    statement = make_statement(process, "Open data by default.")
    vote_all(make_voters(5, "crowd"), [statement], [1])

    for voted in (str(statement.pk), "abc", "99999999999999", "-1", "١٢"):
        response = signed_in.get(url("vote", process), {"voted": voted})
        assert response.status_code == 200
        assert select_one(page(response), "#vote-tally") is None


def _rows(response):
    return {
        text(select_one(row, "th span[dir=auto]")): [text(td) for td in select(row, "td")][:3]
        for row in select(page(response), "tbody tr")
    }


def test_the_statements_list_hides_counts_until_one_has_voted_while_votes_are_taken(
    signed_in, process, deliberation, participant
):
    voted, unvoted = make_statement(process, "Voted."), make_statement(process, "Not voted.")
    vote_all(make_voters(5, "crowd"), [voted, unvoted], [1, -1])
    vote_all([participant], [voted], [1])

    rows = _rows(signed_in.get(url("list", process)))

    assert rows["Voted."] == ["6", "0", "0"]
    assert rows["Not voted."][0] == "Shown once you have voted"


def test_visitors_see_no_live_counts_either(client, process, deliberation):
    statement = make_statement(process, "Open data by default.")
    vote_all(make_voters(5, "crowd"), [statement], [1])

    rows = _rows(client.get(url("list", process)))

    assert rows == {"Open data by default.": ["Shown once you have voted"]}


def test_once_voting_is_over_everyone_sees_the_counts(client, process, deliberation):
    statement = make_statement(process, "Open data by default.")
    vote_all(make_voters(5, "crowd"), [statement], [1])
    close_phase(deliberation)

    rows = _rows(client.get(url("list", process)))

    assert rows == {"Open data by default.": ["5", "0", "0"]}


def test_a_vote_refused_shows_no_tally_and_changes_nothing(signed_in, process, deliberation):
    statement = make_statement(process, "Open data by default.")
    close_phase(deliberation)

    response = signed_in.post(
        url("vote", process), {"statement": statement.pk, "value": "1"}, HTTP_HX_REQUEST="true"
    )

    assert select_one(page(response), "#vote-tally") is None
    assert Vote.objects.count() == 0
