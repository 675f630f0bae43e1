"""Full-text search indexes (polyvox.contributions.search): a GIN expression index on
PostgreSQL, an external-content FTS5 table with triggers on SQLite; both cover existing rows."""

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Case, F, Value, When

INDEX_NAME = "contribution_search_gin"
FTS = "contributions_contribution_fts"
TABLE = "contributions_contribution"
COLUMNS = ("title", "body", "author_name", "organisation", "tracking_number")


def _vector() -> SearchVector:
    # Frozen copy of polyvox.contributions.search.search_vector(): the query must use exactly
    # this expression for PostgreSQL to use the index (tests/contributions/test_search.py checks).
    organisation = Case(
        When(on_behalf_of_organisation=True, then=F("organisation")), default=Value("")
    )
    return SearchVector(
        "title", "body", "author_name", organisation, "tracking_number", config="simple"
    )


def _sqlite_statements() -> list[str]:
    names = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    # https://www.sqlite.org/fts5.html#external_content_tables: the triggers keep the index
    # in step with every INSERT (bulk imports included), UPDATE (edits) and DELETE.
    delete = f"INSERT INTO {FTS}({FTS}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
    insert = f"INSERT INTO {FTS}(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({names}, content='{TABLE}', content_rowid='id')",
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN {insert} END",
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN {delete} END",
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN {delete} {insert} END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",  # noqa: S608
    ]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        model = apps.get_model("contributions", "Contribution")
        schema_editor.add_index(model, GinIndex(_vector(), name=INDEX_NAME))
    elif vendor == "sqlite":
        for statement in _sqlite_statements():
            schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    elif vendor == "sqlite":
        for trigger in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_workbench")]

    operations = [migrations.RunPython(forwards, backwards)]
