"""Faults under load: a deadline rush survives `kill -9` of a web worker and of the worker.

The run goes through the benchmark's own harness (bench/deadline_rush.py): a fresh database next
to DATABASE_URL, `polyvox serve` and `polyvox worker` with DEBUG off, ten signed-in clients
submitting through the API with Idempotency-Keys (some twice at once), retrying on 503 or a
broken connection as a real client does. Mid-run one gunicorn worker and the worker are killed
with SIGKILL (the worker is restarted, as systemd would). Then: no acknowledged submission lost
or stored twice, the twins told the same tracking number, one receipt each, and the exported
record verifies against the published checkpoint and key and holds each submission once.

A PostgreSQL restart is left to the benchmark (`python -m bench deadline-rush --faults`, on a
throw-away cluster of its own): inside the test run it would cut every other test's connection
to the shared server, and a cluster of the test's own would double its time.
"""

import os
import time
from collections.abc import Iterator

import pytest
from django.db import connection

from bench.deadline_rush import ROOT, Stack

pytestmark = pytest.mark.postgres

CLIENTS = 10
SECONDS = 8.0


@pytest.fixture
def stack() -> Iterator[Stack]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the harness creates its own database next to DATABASE_URL")
    with Stack(
        variant="faults",
        code=ROOT,
        server_url=os.environ["DATABASE_URL"],
        clients=CLIENTS,
        workers=2,
    ) as running:
        yield running


def test_kill_9_of_a_web_worker_and_of_the_worker_loses_nothing(stack: Stack) -> None:
    started = time.monotonic()
    report = stack.run(CLIENTS, SECONDS, faults=True, postgres_restart=False)

    killed = [line for line in report.faults if "kill -9" in line]
    assert len(killed) == 2, report.faults
    assert all(" None" not in line for line in killed), report.faults
    assert report.worker_restarts >= 1  # the worker came back and went on
    assert report.acknowledged > CLIENTS  # the rush went on through the faults
    assert report.lost == 0
    assert report.duplicated == 0
    assert report.twins_disagree == 0
    assert report.hangs == 0
    assert report.receipts_extra == 0
    # Every acknowledged submission is in the signed log exactly once, and the export verifies.
    assert report.log_checked
    assert report.log_missing == 0
    assert report.log_duplicated == 0
    assert report.merge_seconds is not None
    assert report.problems == [], report.problems
    assert time.monotonic() - started < 120
