"""Migration `record/0002_transparency_log`: a hash-chained record becomes pending entries that
the first integrator pass takes into the tree in their old order, then signs (docs/record.md,
"Migrating a chained record").

The database is taken back to the chained record, filled the way the old code filled it, and
migrated forward again; the latest state is restored at the end."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry
from polyvox.record.selectors import latest_checkpoint
from polyvox.record.services import integrate_pending
from tests.factories import ProcessFactory
from tests.record.conftest import exported_root


def _migrate(targets: list[tuple[str, str]]) -> Any:
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    applied = [key for key in loader.applied_migrations if key in loader.graph.nodes]
    return loader.project_state(applied).apps


@pytest.fixture
def chained(transactional_db: None) -> Iterator[tuple[Any, Process]]:
    process = ProcessFactory()
    try:
        yield _migrate([("record", "0001_initial")]), process
    finally:
        _migrate(MigrationLoader(connection).graph.leaf_nodes())


def test_a_chained_record_is_integrated_in_its_old_order_and_signed(chained):
    old_apps, process = chained
    old_entry = old_apps.get_model("record", "RecordEntry")
    # The old code numbered entries under a lock on the process row: ids follow seq.
    for seq in range(1, 8):
        old_entry.objects.create(
            process_id=process.pk,
            seq=seq,
            kind="contribution.submitted",
            recorded_at=f"2026-11-0{seq}T10:00:00.000000Z",
            payload={"tracking_number": f"PV-{process.pk}-{seq}"},
            prev_hash=f"{seq - 1:064x}",
            hash=f"{seq:064x}",
        )

    _migrate(MigrationLoader(connection).graph.leaf_nodes())

    assert RecordEntry.objects.filter(process=process, index__isnull=True).count() == 7
    assert integrate_pending() == 7
    entries = RecordEntry.objects.filter(process=process).order_by("index")
    assert [e.payload["tracking_number"] for e in entries] == [
        f"PV-{process.pk}-{seq}" for seq in range(1, 8)
    ]
    assert [e.index for e in entries] == list(range(7))
    checkpoint = latest_checkpoint(process=process)
    assert checkpoint is not None
    assert checkpoint.tree_size == 7
    assert exported_root(process) == bytes(checkpoint.root_hash)
