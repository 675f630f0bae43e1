"""Put back the SQLite full-text search triggers that 0007 dropped.

Adding a CHECK constraint makes SQLite rebuild the table (Django's `_remake_table`), and a
rebuilt table loses its triggers, so inputs written afterwards were not indexed. This recreates
0004's triggers and rebuilds the FTS5 index. Any later migration that rebuilds
`contributions_contribution` on SQLite must do the same (`tests/contributions/test_search.py`
checks the triggers are there). PostgreSQL's stored search column is unaffected.
"""

from importlib import import_module
from typing import Any

from django.db import migrations

FULL_TEXT = import_module("polyvox.contributions.migrations.0004_full_text_search")


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FULL_TEXT.FTS}_{trigger}")
    for statement in FULL_TEXT._sqlite_statements():
        if not statement.startswith("CREATE VIRTUAL TABLE"):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0007_on_behalf_names_the_organisation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
