"""Full-text search of contributions, on SQLite FTS5 and on PostgreSQL (scripts/with-postgres.sh)."""

import csv
import re

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyvox.campaigns.importing import import_submissions
from polyvox.contributions.models import Contribution
from polyvox.contributions.search import fts5_query, search_contributions
from polyvox.contributions.services.submitting import edit_contribution, submit_contribution
from polyvox.participants.models import Profile
from tests.factories import UserFactory, make_organisation


def _general(process, username, body, organisation="", on_behalf=False, **kwargs):
    """An input whose author's profile names `organisation`; made on its behalf if `on_behalf`
    (the author is then its approved administrator)."""
    author = UserFactory(username=username)
    Profile.objects.filter(user=author).update(organisation=organisation)
    if on_behalf:
        kwargs["on_behalf_of"] = make_organisation(organisation, admin=author)
    return submit_contribution(author=author, process=process, kind="general", body=body, **kwargs)


def _found(process, query, **kwargs):
    queryset = Contribution.objects.filter(process=process)
    return list(
        search_contributions(queryset, query, **kwargs).values_list("author_name", flat=True)
    )


@pytest.fixture
def inputs(process, open_phase):
    _general(process, "Ana", "Keep the internet open and interoperable.", title="Openness")
    _general(process, "Bo", "Encryption protects human rights defenders.")
    _general(process, "Chen", "Fund community networks in rural areas.", title="Access")
    _general(process, "Dee", "Le chiffrement protège les défenseurs; التشفير يحمي المدافعين")
    return process


def test_words_in_the_body_are_found_whatever_their_case(inputs):
    assert _found(inputs, "ENCRYPTION") == ["Bo"]
    assert _found(inputs, "rural networks") == ["Chen"]


def test_words_in_the_title_are_found(inputs):
    assert _found(inputs, "openness") == ["Ana"]


def test_every_word_must_match(inputs):
    assert _found(inputs, "internet encryption") == []


def test_a_quoted_phrase_matches_only_those_words_in_that_order(inputs):
    assert _found(inputs, '"community networks"') == ["Chen"]
    assert _found(inputs, '"networks community"') == []


def test_text_in_any_language_is_found_as_typed(inputs):
    assert _found(inputs, "protège") == ["Dee"]
    assert _found(inputs, "التشفير") == ["Dee"]


def test_the_author_name_and_tracking_number_are_found(inputs):
    bo = Contribution.objects.get(author_name="Bo")
    assert _found(inputs, bo.tracking_number) == ["Bo"]
    assert _found(inputs, "Chen") == ["Chen"]


def test_the_organisation_is_found_only_when_the_input_speaks_for_it(process, open_phase):
    org = "Zephyrnet Alliance"
    _general(process, "Spokes", "A point.", organisation=org, on_behalf=True)
    _general(process, "Private", "A point.", organisation=org)

    assert _found(process, "zephyrnet") == ["Spokes"]
    # A private organisation must not be revealed by a match on it, even combined with the text.
    assert _found(process, "zephyrnet point") == ["Spokes"]


def test_an_empty_query_leaves_the_queryset_unchanged(inputs):
    assert _found(inputs, "") == ["Ana", "Bo", "Chen", "Dee"]
    assert _found(inputs, '  " * ') == ["Ana", "Bo", "Chen", "Dee"]


def test_the_callers_ordering_is_kept_unless_relevance_is_asked_for(process, open_phase):
    _general(process, "Once", "Privacy matters.")
    _general(process, "Thrice", "Privacy, privacy and privacy again.")
    _general(process, "Other", "Nothing on the subject.")
    queryset = Contribution.objects.filter(process=process).order_by("author_name")

    kept = search_contributions(queryset, "privacy")
    ranked = search_contributions(queryset, "privacy", rank=True)

    assert [c.author_name for c in kept] == ["Once", "Thrice"]
    assert [c.author_name for c in ranked] == ["Thrice", "Once"]


@pytest.mark.parametrize(
    "query",
    [
        '"', '"""', 'open"', "AND", "OR NOT", "NEAR(a b, 3)", "*", "inter*", "^open",
        "title:open", "{title}: open", "(open", "open)", "-open", "a & b | !c", "'", "\\",
        "\x00open", "\ud800", "x" * 10_000, "open " * 5_000,
    ],
)  # fmt: skip
def test_query_syntax_never_raises(inputs, query):
    assert isinstance(_found(inputs, query), list)


def test_operators_are_words_not_syntax(inputs):
    assert _found(inputs, "open NOT") == []  # "not" is a word of no input here…
    assert _found(inputs, "internet*") == ["Ana"]  # …and `*` is a separator


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=200))
def test_any_text_is_a_valid_query(inputs, query):
    results = _found(inputs, query)
    assert set(results) <= {"Ana", "Bo", "Chen", "Dee"}


@given(query=st.text(max_size=300))
def test_the_fts5_query_is_only_quoted_strings(query):
    terms = fts5_query(query)
    assert re.fullmatch(r'("[^"]*"( "[^"]*")*)?', terms)


def test_an_edited_text_is_found_by_its_new_words_not_its_old_ones(inputs):
    contribution = Contribution.objects.get(author_name="Chen")

    edit_contribution(
        author=contribution.author, contribution=contribution, body="Spectrum for satellites."
    )

    assert _found(inputs, "satellites") == ["Chen"]
    assert _found(inputs, "rural") == []


def test_bulk_imported_submissions_are_found(process, open_phase, secretariat, tmp_path):
    path = tmp_path / "inputs.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "author_name", "external_id"])
        writer.writerow(["Net neutrality is essential.", "Imported Ida", "x1"])
        writer.writerow(["Spectrum policy matters.", "Imported Jo", "x2"])

    run = import_submissions(actor=secretariat, process=process, path=path)

    assert run.rows_ok == 2
    assert _found(process, "neutrality") == ["Imported Ida"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_uses_the_gin_index(inputs):
    queryset = search_contributions(Contribution.objects.order_by(), "encryption")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("RESET enable_seqscan")
    assert "contribution_search_document_gin" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its index by triggers")
@pytest.mark.django_db
def test_the_sqlite_index_triggers_survive_every_migration():
    """A migration that rebuilds the table drops its triggers (0007 did; 0008 restores them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [Contribution._meta.db_table],
        )
        triggers = {row[0] for row in cursor.fetchall()}

    assert {f"contributions_contribution_fts_{t}" for t in ("ai", "ad", "au")} <= triggers
