"""PostgreSQL: the search vector becomes a stored generated column with the GIN index on it.

Migration 0004 indexed the expression `to_tsvector(…)`. Whenever a plan did not answer from that
index (a search whose words occur in most inputs, a LIMIT under a sort), PostgreSQL computed the
vector of every text it visited: 14–18 s at 100,000 inputs (bench/RESULTS.md). A stored
generated column (https://www.postgresql.org/docs/current/ddl-generated-columns.html) is computed
once when a row is written, by the database itself, so every writer (the ORM, the COPY import,
edits) keeps it right and no read recomputes it. The column is not a model field: only the search
module reads it, on PostgreSQL (`polyvox.contributions.search.SEARCH_DOCUMENT`). SQLite keeps its
FTS5 table from 0004.
"""

from typing import Any

from django.db import migrations

TABLE = "contributions_contribution"
COLUMN = "search_document"
INDEX = "contribution_search_document_gin"
# The same text as polyvox.contributions.search: the organisation only where the input speaks
# for it (otherwise it is not public). to_tsvector with a constant configuration is immutable,
# which a generated column requires.
DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    "coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(author_name, '') || ' ' "
    "|| CASE WHEN on_behalf_of_organisation THEN coalesce(organisation, '') ELSE '' END || ' ' "
    "|| coalesce(tracking_number, ''))"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING GIN ({COLUMN})")
    schema_editor.execute("DROP INDEX IF EXISTS contribution_search_gin")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_full_text_search")]

    operations = [migrations.RunPython(forwards, backwards)]
