"""Integrators running at once, while services append, on a database that runs writers in
parallel (PostgreSQL): every entry enters its log exactly once, the indices have no gap and no
repeat, and every checkpoint's root is the root of the entries it covers.

Run with `bash scripts/with-postgres.sh .venv/bin/python -m pytest tests/record -q`."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from polyvox.record.models import RecordCheckpoint, RecordEntry, RecordLog, RecordNode
from polyvox.record.services import append_entry, integrate_pending
from tests.factories import ProcessFactory
from tests.record.conftest import exported_root, integrate_all


@pytest.mark.django_db(transaction=True)
def test_concurrent_integrators_and_appenders_integrate_every_entry_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; run with scripts/with-postgres.sh")
    processes = [ProcessFactory() for _ in range(3)]
    appending = threading.Event()
    appending.set()
    start = threading.Barrier(6)

    def append(worker: int) -> int:
        start.wait()
        try:
            for n in range(60):
                append_entry(
                    process=processes[(worker + n) % 3], kind="test", payload={"w": worker, "n": n}
                )
            return 60
        finally:
            connections.close_all()

    def integrate() -> int:
        start.wait()
        taken = 0
        try:
            while appending.is_set():
                taken += integrate_pending(batch_size=7)
            taken += integrate_pending(batch_size=7)
            return taken
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        appenders = [pool.submit(append, worker) for worker in range(4)]
        integrators = [pool.submit(integrate) for _ in range(2)]
        appended = sum(future.result() for future in appenders)
        appending.clear()
        integrated = sum(future.result() for future in integrators)
    integrated += integrate_all()

    assert appended == 240
    assert integrated == 240
    assert not RecordEntry.objects.filter(index__isnull=True).exists()
    for process in processes:
        entries = RecordEntry.objects.filter(process=process)
        size = entries.count()
        assert sorted(entries.values_list("index", flat=True)) == list(range(size))
        log = RecordLog.objects.get(process=process)
        assert log.tree_size == size
        assert RecordNode.objects.filter(process=process, level=0).count() == size
        assert exported_root(process, size) == bytes(log.root_hash)
        for checkpoint in RecordCheckpoint.objects.filter(process=process):
            assert exported_root(process, checkpoint.tree_size) == bytes(checkpoint.root_hash)


@pytest.mark.django_db(transaction=True)
def test_an_integrator_skips_a_log_another_holds():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; run with scripts/with-postgres.sh")
    from django.db import transaction

    process = ProcessFactory()
    append_entry(process=process, kind="test", payload={})
    integrate_pending()
    append_entry(process=process, kind="test", payload={})
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                RecordLog.objects.select_for_update().get(process=process)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        assert integrate_pending() == 0  # not blocked: it skips the locked log
    finally:
        release.set()
        holder.join(10)
    assert integrate_pending() == 1
