"""Downloads stream: the same bytes as a plain rendering of the same rows, the first chunk after
a fixed number of queries, and a peak memory that does not grow with the number of rows."""

import csv
import io
import tracemalloc

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polyvox.contributions.input_groups import input_groups
from polyvox.contributions.models import Contribution
from polyvox.contributions.public_exports import COLUMNS, _csv_value, public_row
from polyvox.contributions.selectors.public_list import public_inputs
from polyvox.record.selectors import entry_as_dict, entry_line, export_size, public_record
from polyvox.record.services import append_entry, integrate_pending
from tests.scale.conftest import World, _import

DOWNLOADS = [
    pytest.param("{p}/contributions.csv", id="contributions.csv"),
    pytest.param("{p}/contributions.json", id="contributions.json"),
    pytest.param("{p}/record.jsonl", id="record.jsonl"),
    pytest.param("{p}/drafts/{draft}/v{v}/feedback.csv", id="feedback.csv"),
    pytest.param("{p}/drafts/{draft}/v{v}/feedback.json", id="feedback.json"),
]


def add_rows(world: World, n: int) -> None:
    """`n` imported submissions (half of them answered by nobody) and `n` record entries."""
    start = world.grown
    world.grown += n
    _import(world, n, start)
    for i in range(n):
        append_entry(process=world.process, kind="scale.test", payload={"number": start + i})
    integrate_pending(batch_size=100_000)


def body(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming, f"{url} is not streamed"
    return b"".join(response.streaming_content)


def test_the_csv_download_is_the_plain_rendering_of_the_same_rows(grown_world, monkeypatch):
    """Chunks of 3 rows, so the demo's inputs span many chunks."""
    monkeypatch.setattr("polyvox.contributions.public_exports.CHUNK", 3)
    world = grown_world
    rows = list(public_inputs(viewer=None, process=world.process))
    groups = input_groups(Contribution.objects.filter(process=world.process))
    expected = io.StringIO()
    writer = csv.DictWriter(expected, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for contribution in rows:
        row = public_row(contribution, groups.get(contribution.pk))
        writer.writerow({k: _csv_value(v) for k, v in row.items()})

    got = body(Client(), world.path("{p}/contributions.csv")).decode()

    assert len(rows) > 3
    assert got == expected.getvalue()


def test_the_record_download_is_every_entry_under_the_checkpoint_one_a_line(grown_world):
    world = grown_world
    size = export_size(process=world.process)
    entries = public_record(process=world.process).filter(index__lt=size).order_by("index")
    expected = "".join(entry_line(entry_as_dict(entry)) for entry in entries).encode()

    got = body(Client(), world.path("{p}/record.jsonl"))

    assert size > 50
    assert got == expected
    assert got.count(b"\n") == size


def _first_chunk_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        assert response.streaming, f"{url} is not streamed"
        chunks = iter(response.streaming_content)
        next(chunks)
    # Read the rest outside the count: an abandoned download would leave its database cursor
    # open (on PostgreSQL a named cursor in the test's transaction) under the next request.
    for _chunk in chunks:
        pass
    return len(queries)


def _peak_while_reading(client: Client, url: str) -> int:
    tracemalloc.start()
    try:
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content)
        assert size > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("template", DOWNLOADS)
def test_a_download_starts_after_a_fixed_number_of_queries_and_its_memory_does_not_grow(
    grown_world, template, monkeypatch
):
    # Small chunks, so that both sizes below read whole chunks of the streamed downloads.
    monkeypatch.setattr("polyvox.contributions.public_exports.CHUNK", 100)
    world = grown_world
    client = Client()
    add_rows(world, 200)
    url = world.path(template)
    body(client, url)  # warm-up
    first_few = _first_chunk_queries(client, url)
    peak_few = _peak_while_reading(client, url)

    add_rows(world, 1800)
    first_many = _first_chunk_queries(client, url)
    peak_many = _peak_while_reading(client, url)

    assert first_many == first_few, (
        f"{url}: {first_few} queries before the first chunk, then {first_many}"
    )
    # Held whole, 1,800 more rows take several MB; streamed, the peak is one chunk's.
    assert peak_many - peak_few < 1024 * 1024, f"{url}: peak {peak_few} B, then {peak_many} B"
