"""The opinion map marks "you are here" and explains its axes in words."""

import numpy as np
from django.urls import reverse

from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.statements.map_json import map_axes
from polyvox.statements.selectors import latest_opinion_map, vote_matrix
from polyvox.statements.services import refresh_opinion_map
from tests.experience.html import page, select, select_one, text
from tests.factories import make_statement, make_voters, vote_all
from tests.statements.test_selectors import snapshot_of


def url(process):
    return reverse("statements:opinion_map", kwargs={"slug": process.slug})


def test_the_viewer_sees_their_own_dot_marked_you_are_here(client, process, participant):
    others = make_voters(4, "x")
    snapshot_of(process, [others, [participant]])
    client.force_login(participant)

    html = page(client.get(url(process)))

    marker = select_one(html, "svg g.you-are-here")
    assert text(select_one(marker, "text")) == "you are here"
    assert text(select_one(html, "#you-are-here")) == (
        "You are in Group B. On the map, you are the circled dot marked “you are here”."
    )
    mine = latest_opinion_map(process=process, viewer=participant).viewer_point
    assert [dict(c.attributes)["cx"] for c in select(marker, "circle")] == [str(mine.cx)]


def test_visitors_and_people_not_on_the_map_get_no_marker(client, process, participant):
    snapshot_of(process, [make_voters(4, "x")])

    assert select_one(page(client.get(url(process))), "svg g.you-are-here") is None
    client.force_login(participant)
    html = page(client.get(url(process)))
    assert select_one(html, "svg g.you-are-here") is None
    assert text(select_one(html, "#you-are-here")).startswith("You are not on this map yet")


def test_the_axes_are_the_statements_that_move_people_along_them(process):
    # Two camps split on "Split." (agree vs disagree); "Shared." everyone agrees with.
    split, shared = make_statement(process, "Split."), make_statement(process, "Shared.")
    yes, no = make_voters(8, "yes"), make_voters(8, "no")
    vote_all(yes, [split, shared], [1, 1])
    vote_all(no, [split, shared], [-1, 1])

    computed = compute_opinion_map(vote_matrix(process), seed=0)
    axes = map_axes(computed)

    horizontal = axes[0]
    assert horizontal["axis"] == "horizontal"
    # Only "Split." carries variance: it is the whole first axis, loading ±1.
    assert [(s["statement_id"], abs(s["loading"])) for s in horizontal["statements"]] == [
        (split.pk, 1.0)
    ]
    # Its sign says which way agreeing moves people: those who agreed are on that side.
    xs = dict(zip(computed.participant_ids.tolist(), computed.coordinates[:, 0], strict=True))
    side = np.sign(horizontal["statements"][0]["loading"])
    assert all(np.sign(xs[u.pk]) == side for u in yes)
    assert all(np.sign(xs[u.pk]) == -side for u in no)


def test_the_page_explains_each_axis_in_words(client, process):
    split, shared = make_statement(process, "Split."), make_statement(process, "Shared.")
    vote_all(make_voters(8, "yes"), [split, shared], [1, 1])
    vote_all(make_voters(8, "no"), [split, shared], [-1, 1])
    snapshot = refresh_opinion_map(process=process)
    loading = snapshot.result["axes"][0]["statements"][0]["loading"]

    html = page(client.get(url(process)))

    explained = text(select(html, "ul.map-axes li")[0])
    verb = "agreed" if loading > 0 else "disagreed"
    assert explained == (
        f"From left to right: further right, people {verb} more with «Split.». "
        "Further left, the reverse."
    )
    assert "what matters is who is near whom" in text(html)
