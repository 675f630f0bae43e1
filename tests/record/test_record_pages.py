"""The record page: the key, the latest checkpoint, what is pending, the entries newest first
with their proofs, one page at a time; the download holds exactly the checkpoint's entries."""

import base64
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.record.models import RecordCheckpoint
from polyvox.record.notes import verify_checkpoint
from polyvox.record.services import append_entry
from tests.record.conftest import exported_root, integrate_all, pending_entries, site_verifier


def page_url(process, page: int | None = None) -> str:
    return f"/p/{process.slug}/record/" + (f"?page={page}" if page else "")


def test_the_page_shows_the_key_the_checkpoint_and_the_entries_newest_first(client, process):
    pending_entries(process, 3)
    integrate_all()
    append_entry(process=process, kind="test.later", payload={})

    html = client.get(page_url(process)).content.decode()

    assert site_verifier().verifier_key() in html
    checkpoint = RecordCheckpoint.objects.get(process=process)
    assert base64.b64encode(bytes(checkpoint.root_hash)).decode() in html
    assert "1 entry is waiting to enter the log; entries enter the log within 5 seconds." in html
    assert html.index("<td>2</td>") < html.index("<td>1</td>") < html.index("<td>0</td>")
    assert (
        f"/api/v1/processes/{process.slug}/record/proofs/inclusion?index=0&amp;tree_size=3" in html
    )
    assert "Download the 3 entries of the checkpoint" in html


def test_entries_past_the_checkpoint_wait_for_the_next_one(client, process, settings, tmp_path):
    pending_entries(process, 2)
    integrate_all()
    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "gone.key"  # the next batch is not signed
    pending_entries(process, 1, start=2)
    integrate_all()

    html = client.get(page_url(process)).content.decode()

    assert "after the next checkpoint" in html
    assert "This site has no signing key yet" in html


def test_the_entries_are_paged_without_reading_the_whole_log(client, process):
    pending_entries(process, 120)
    integrate_all()

    with CaptureQueriesContext(connection) as first_page:
        html = client.get(page_url(process)).content.decode()
    entry_reads = [q["sql"] for q in first_page.captured_queries if "recordentry" in q["sql"]]
    last = client.get(page_url(process, 3)).content.decode()

    assert "<td>119</td>" in html
    assert "<td>70</td>" in html
    assert "<td>69</td>" not in html
    assert "Page 1 of 3" in html
    assert "<td>19</td>" in last
    assert "<td>0</td>" in last
    assert "<td>20</td>" not in last
    # The pending count and one range of indices: no COUNT of the log, no read of every entry.
    assert len(entry_reads) == 2
    assert any("index" in sql and "IS NULL" in sql and "COUNT" in sql for sql in entry_reads)


def test_the_download_holds_the_checkpoints_entries_and_names_its_size(client, process):
    pending_entries(process, 4)
    integrate_all()
    append_entry(process=process, kind="pending", payload={})

    response = client.get(f"/p/{process.slug}/record.jsonl")

    body = b"".join(response.streaming_content).decode()
    assert response["X-Record-Tree-Size"] == "4"
    assert f'filename="{process.slug}-record-4.jsonl"' in response["Content-Disposition"]
    assert [json.loads(line)["index"] for line in body.splitlines()] == [0, 1, 2, 3]
    assert exported_root(process) == bytes(RecordCheckpoint.objects.get(process=process).root_hash)


def test_the_checkpoint_download_verifies(client, process):
    pending_entries(process, 2)
    integrate_all()

    response = client.get(f"/p/{process.slug}/record/checkpoint.txt")

    assert response.status_code == 200
    assert f"{process.slug}-checkpoint-2.txt" in response["Content-Disposition"]
    assert verify_checkpoint(response.content.decode(), site_verifier()).size == 2


def test_a_new_process_has_an_empty_record_page(client, process):
    response = client.get(page_url(process))

    assert response.status_code == 200
    html = response.content.decode()
    assert "No checkpoint has been signed yet." in html
    assert "No entries in the log yet." in html
    assert client.get(f"/p/{process.slug}/record/checkpoint.txt").status_code == 503
    assert client.get("/p/nope/record/").status_code == 404
