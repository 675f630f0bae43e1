"""Full-text search over contributions: PostgreSQL text search there, SQLite FTS5 elsewhere.

Why the databases' own engines rather than a search service or `icontains`: both are standard,
documented, indexed and run where the data already is, so a consultation with 100,000 inputs is
searched through an index, not by scanning every text, and nothing new has to be operated.

- PostgreSQL: `search_document @@ websearch_to_tsquery('simple', …)`, where `search_document` is
  a stored generated `tsvector` column with a GIN index (migration 0005;
  https://www.postgresql.org/docs/current/textsearch-controls.html,
  https://www.postgresql.org/docs/current/textsearch-tables.html#TEXTSEARCH-TABLES-INDEX). The
  'simple' configuration lowercases and does not stem, so any of the six UN languages is found
  as typed; `websearch_to_tsquery` never raises on user input ("quoted phrases", `-word`, `or`).
- SQLite: an external-content FTS5 table kept in step by triggers
  (https://www.sqlite.org/fts5.html#external_content_tables). FTS5's query language raises on
  stray quotes or operators, so the user's words are turned into quoted FTS5 strings
  (https://www.sqlite.org/fts5.html#fts5_strings), ANDed; a quoted "phrase" stays a phrase.

The indexes are made by migrations `0004_full_text_search` (FTS5) and
`0005_stored_search_document` (PostgreSQL). The organisation is searched only
where the input was sent on its behalf: otherwise it is not public (the byline does not show it),
and a match on it would reveal it.
"""

import re
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Expression, F, Field, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from polyvox.contributions.models import Contribution

FTS_TABLE = "contributions_contribution_fts"
MAX_QUERY_CHARS = 1000  # longer input is cut: a search box, not a document comparison
MAX_TERMS = 32  # more words than this add cost, not precision


# The stored tsvector column of migration 0005 (not a model field: PostgreSQL only).
SEARCH_DOCUMENT = f"{Contribution._meta.db_table}.search_document"
_WEBSEARCH = "websearch_to_tsquery('simple'::regconfig, %s)"


class _OnSearchDocument(Expression):
    """`template` over the stored search document of the query's own contributions table.

    The column is named through the alias the compiler gives the table, not the table's name: a
    searched queryset used inside another query (`pk__in=searched.values("pk")`, as the public
    list's campaign folding does) has its table aliased `U0`, and the table's name there would
    mean the outer query's row, a correlated subquery run once per outer row (60 s at 100,000)
    that does not search at all."""

    def __init__(self, template: str, text: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.template, self.text = template, text

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        column = f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.search_document"
        return self.template.format(document=column, query=_WEBSEARCH), [self.text]


def _printable(query: str) -> str:
    """Without NUL (PostgreSQL text cannot hold it) and lone surrogates (not UTF-8)."""
    return query[: MAX_QUERY_CHARS * 2].replace("\x00", " ").encode("utf-8", "replace").decode()


_PHRASE = re.compile(r'"([^"]*)"?')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str:
    """The user's text as a safe FTS5 query: quoted strings, ANDed; '' if there are no words.

    Quotes open phrases (an unclosed one runs to the end); every other character is a separator,
    so FTS5 operators (`AND`, `NEAR`, `*`, `^`, `:`, `{}`) lose their meaning."""
    terms: list[str] = []
    position = 0
    text = query[:MAX_QUERY_CHARS]
    for match in _PHRASE.finditer(text):
        terms.extend(f'"{word}"' for word in _WORD.findall(text[position : match.start()]))
        words = _WORD.findall(match.group(1))
        if words:
            terms.append('"' + " ".join(words) + '"')
        position = match.end()
    terms.extend(f'"{word}"' for word in _WORD.findall(text[position:]))
    return " ".join(terms[:MAX_TERMS])


def _search_sqlite(
    queryset: QuerySet[Contribution], terms: str, rank: bool
) -> QuerySet[Contribution]:
    match = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    # Every column but the organisation, or all of them where the organisation is public.
    # The user's text reaches SQL only as a bound parameter (S611: the SQL itself is constant).
    without_organisation = "{title body author_name tracking_number} : (" + terms + ")"
    found = queryset.filter(
        Q(pk__in=RawSQL(match, [without_organisation]))  # noqa: S611
        | Q(on_behalf_of_organisation=True, pk__in=RawSQL(match, [terms]))  # noqa: S611
    )
    if not rank:
        return found
    table = Contribution._meta.db_table
    score = RawSQL(  # noqa: S611
        f"SELECT bm25({FTS_TABLE}) FROM {FTS_TABLE} "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id",
        [terms],
    )
    # bm25() is lower for better matches (https://www.sqlite.org/fts5.html#the_bm25_function).
    return found.annotate(search_rank=score).order_by(F("search_rank").asc(nulls_last=True), "pk")


def _search_postgresql(
    queryset: QuerySet[Contribution], query: str, rank: bool
) -> QuerySet[Contribution]:
    # The user's text reaches SQL only as a bound parameter.
    text = query[:MAX_QUERY_CHARS]
    matches = _OnSearchDocument("{document} @@ {query}", text, BooleanField())
    found = queryset.filter(matches)
    if not rank:
        return found
    score = _OnSearchDocument("ts_rank({document}, {query})", text, FloatField())
    return found.annotate(search_rank=score).order_by("-search_rank", "pk")


def search_contributions(
    queryset: QuerySet[Contribution], query: str, *, rank: bool = False
) -> QuerySet[Contribution]:
    """The contributions of `queryset` that match `query`; any text is accepted, none raises.

    A query without words leaves the queryset unchanged. The caller's ordering is kept unless
    `rank` asks for the best matches first."""
    query = _printable(query)
    terms = fts5_query(query)
    if not terms:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, query, rank)
    return _search_sqlite(queryset, terms, rank)
