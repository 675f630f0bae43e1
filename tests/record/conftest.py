"""Helpers for the record's tests: entries with fixed content, a full integration, the key."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from polyvox.processes.models import Process
from polyvox.record.entries import leaf_bytes
from polyvox.record.merkle import leaf_hash, root_from_leaf_hashes
from polyvox.record.models import RecordEntry
from polyvox.record.notes import Verifier, parse_signer_key
from polyvox.record.selectors import export_record
from polyvox.record.services import integrate_pending
from tests.factories import ProcessFactory


def pending_entries(process: Process, count: int, *, start: int = 0) -> list[RecordEntry]:
    """`count` pending entries with fixed content (the same leaves in any process)."""
    return RecordEntry.objects.bulk_create(
        RecordEntry(
            process=process,
            kind="test.event",
            recorded_at=f"2026-12-01T12:{(start + n) // 60 % 60:02d}:{(start + n) % 60:02d}.000000Z",
            payload={"n": start + n, "text": "ação — 中文", "share": 0.1 * (start + n)},
        )
        for n in range(count)
    )


def integrate_all(batch_size: int = 5000) -> int:
    """Integrator passes until nothing is pending; how many entries went in."""
    total = 0
    while taken := integrate_pending(batch_size=batch_size):
        total += taken
    return total


def exported_root(process: Process, tree_size: int | None = None) -> bytes:
    """The root recomputed from an export, as an outside verifier would."""
    return root_from_leaf_hashes(
        [
            leaf_hash(leaf_bytes(json.loads(line)))
            for line in export_record(process=process, tree_size=tree_size)
        ]
    )


def site_verifier() -> Verifier:
    """The verifier of this test's signing key (tests/conftest.py gives each test one)."""
    key = Path(settings.POLYVOX_RECORD_KEY_FILE).read_text(encoding="ascii")
    return parse_signer_key(key).verifier()


@pytest.fixture
def other_process(db: None) -> Process:
    made: Process = ProcessFactory()
    return made
