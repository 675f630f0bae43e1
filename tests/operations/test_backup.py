"""`polyvox backup` and `polyvox restore`, on real files and the real test database.

Round trip: a process with inputs, an attachment, votes, organisations and a record under a signed
checkpoint is backed up, the database flushed and the uploads removed, the archive restored; the
rows, the attachment's bytes, and `polyvox record verify` of a fresh export against the checkpoint
taken BEFORE the backup all pass. Then every refusal leaves the database as it was.
"""

import io
import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from polyvox.contributions.models import Contribution, Disposition
from polyvox.operations.backup.archive import backed_up_models
from polyvox.processes.models import Process
from polyvox.record.keys import verifier_key
from polyvox.record.models import RecordCheckpoint, RecordEntry
from polyvox.record.selectors import latest_checkpoint
from tests.factories import MINIMAL_PDF, ProcessFactory
from tests.operations.conftest import build_process, manifest_of, member_names, rewrite_archive

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def backup(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("backup", str(path), *args, stdout=out)
    return out.getvalue()


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def wipe(settings: Any) -> None:
    """What a new host starts with: an empty (migrated) database and no uploads."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def polyvox_tables_are_empty() -> bool:
    return all(count == 0 for count in counts().values())


@pytest.fixture
def backed_up(tmp_path: Path) -> dict[str, Any]:
    """A deployment's state and its archive, with what an outside reader kept before the backup."""
    process = build_process()
    checkpoint = latest_checkpoint(process=process)
    assert checkpoint is not None
    assert checkpoint.tree_size > 0
    archive = tmp_path / "polyvox.tar.gz"
    backup(archive)
    attachment = Contribution.objects.exclude(attachment="").get()
    return {
        "archive": archive,
        "counts": counts(),
        "note": checkpoint.note,
        "tree_size": checkpoint.tree_size,
        "key": verifier_key(),
        "attachment": attachment.attachment.name,
        "bodies": sorted(Contribution.objects.values_list("body", flat=True)),
        "created": sorted(
            str(c) for c in Contribution.objects.values_list("created_at", flat=True)
        ),
    }


# The round trip --------------------------------------------------------------------------------


def test_a_restored_database_holds_every_row_and_upload_and_its_record_verifies(
    backed_up, settings, tmp_path
):
    wipe(settings)
    assert polyvox_tables_are_empty()

    printed = restore(backed_up["archive"])

    assert counts() == backed_up["counts"]
    assert sorted(Contribution.objects.values_list("body", flat=True)) == backed_up["bodies"]
    # Every microsecond kept (Django's own fixtures cut datetimes to milliseconds).
    assert (
        sorted(str(c) for c in Contribution.objects.values_list("created_at", flat=True))
        == backed_up["created"]
    )
    with Contribution.objects.exclude(attachment="").get().attachment.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF
    assert Disposition.objects.get().changed_sections.count() == 1
    assert Group.objects.get(name="editors").permissions.get().codename == "view_contribution"
    assert LogEntry.objects.get().content_type.model == "contribution"
    tree_size = backed_up["tree_size"]
    assert f"wsis-review: {tree_size} entries verify against the signed checkpoint" in printed
    assert "1 uploads written" in printed

    # An outside reader checks a fresh export against the checkpoint they kept before the backup.
    process = Process.objects.get(slug="wsis-review")
    export = tmp_path / "record.jsonl"
    with export.open("w", encoding="utf-8") as handle:
        call_command("record", "export", process.slug, stdout=handle)
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(backed_up["note"], encoding="utf-8")
    key = tmp_path / "verifier.key"
    key.write_text(backed_up["key"] + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "record",
        "verify",
        str(export),
        "--checkpoint",
        str(checkpoint),
        "--key",
        str(key),
        stdout=out,
    )
    assert str(backed_up["tree_size"]) in out.getvalue()


def test_new_rows_after_a_restore_get_new_ids_and_the_record_goes_on(backed_up, settings):
    wipe(settings)
    restore(backed_up["archive"])
    process = Process.objects.get(slug="wsis-review")
    highest = RecordEntry.objects.order_by("-id").values_list("id", flat=True).first()

    fresh = ProcessFactory()  # the sequences were reset: no id collides with a restored one
    entry = RecordEntry.objects.create(
        process=process, kind="test.after", recorded_at="2026-12-02T00:00:00.000000Z", payload={}
    )

    assert fresh.pk > process.pk
    assert entry.pk > highest
    from polyvox.record.services import integrate_pending

    integrate_pending()
    assert RecordCheckpoint.objects.filter(process=process).count() >= 2


def test_the_archive_holds_a_manifest_the_verifier_key_and_no_private_key(backed_up):
    names = member_names(backed_up["archive"])
    manifest = manifest_of(backed_up["archive"])

    assert names[-1] == "manifest.json"
    assert "keys/record-verifier.key" in names
    assert "keys/record-signing.key" not in names
    assert not manifest["includes_private_key"]
    assert manifest["verifier_key"] == backed_up["key"]
    assert any(name.startswith("media/submissions/") for name in names)
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    rows = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    assert rows == backed_up["counts"]
    assert "contributions" in manifest["migrations"]
    assert "sessions.session" in manifest["excluded_models"]
    assert stat.S_IMODE(backed_up["archive"].stat().st_mode) == 0o600


def test_the_private_key_goes_in_only_when_asked_and_comes_back_only_when_asked(
    settings, tmp_path, signing_key
):
    build_process()
    archive = tmp_path / "with-key.tar.gz"
    backup(archive, "--include-private-key")
    assert "keys/record-signing.key" in member_names(archive)
    original = signing_key.read_bytes()

    wipe(settings)
    signing_key.unlink()
    printed = restore(archive)
    assert not signing_key.exists()
    assert "not restored" in printed

    wipe(settings)
    restore(archive, "--with-private-key")
    assert signing_key.read_bytes() == original
    assert stat.S_IMODE(signing_key.stat().st_mode) == 0o600


def test_restoring_a_private_key_never_replaces_another(settings, tmp_path, signing_key):
    build_process()
    archive = tmp_path / "with-key.tar.gz"
    backup(archive, "--include-private-key")
    wipe(settings)
    signing_key.write_text("PRIVATE+KEY+other+00000000+AAAA\n")

    with pytest.raises(CommandError, match="different signing key already exists"):
        restore(archive, "--with-private-key")

    assert polyvox_tables_are_empty()
    assert signing_key.read_text() == "PRIVATE+KEY+other+00000000+AAAA\n"


def test_asking_for_a_private_key_the_archive_lacks_is_refused(backed_up, settings):
    wipe(settings)
    with pytest.raises(CommandError, match="holds no signing key"):
        restore(backed_up["archive"], "--with-private-key")
    assert polyvox_tables_are_empty()


def test_a_backup_can_be_written_to_standard_output(settings, tmp_path, capfdbinary):
    build_process()
    call_command("backup", "-")
    data = capfdbinary.readouterr().out
    archive = tmp_path / "piped.tar.gz"
    archive.write_bytes(data)

    wipe(settings)
    restore(archive)
    assert Contribution.objects.count() == 3


# Refusals --------------------------------------------------------------------------------------


def test_a_backup_never_overwrites_a_file(tmp_path, process):
    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"yesterday's backup")

    with pytest.raises(CommandError, match="already exists"):
        backup(existing)

    assert existing.read_bytes() == b"yesterday's backup"
    assert not (tmp_path / "backup.tar.gz.partial").exists()


def test_a_restore_into_a_database_with_rows_is_refused(backed_up):
    before = counts()
    with pytest.raises(CommandError, match="not empty"):
        restore(backed_up["archive"])
    assert counts() == before


def test_a_tampered_member_is_refused_and_nothing_is_loaded(backed_up, settings, tmp_path):
    def change(name: str, data: bytes) -> bytes:
        if "contributions.contribution.jsonl" in name:
            return data.replace(b"open data", b"closed data")
        return data

    tampered = tmp_path / "tampered.tar.gz"
    rewrite_archive(backed_up["archive"], tampered, change)
    wipe(settings)

    with pytest.raises(CommandError, match="does not match its SHA-256"):
        restore(tampered)

    assert polyvox_tables_are_empty()
    assert not Path(settings.MEDIA_ROOT, backed_up["attachment"]).exists()


def test_a_rewritten_record_entry_is_refused_even_with_a_matching_manifest(
    backed_up, settings, tmp_path
):
    """A forger who fixes the manifest's digests still cannot sign a checkpoint."""

    def change(name: str, data: bytes) -> bytes:
        if "record.recordentry.jsonl" in name:
            return data.replace(b'"kind": "', b'"kind": "forged.', 1)
        return data

    forged = tmp_path / "forged.tar.gz"
    rewrite_archive(backed_up["archive"], forged, change, fix_manifest=True)
    wipe(settings)

    with pytest.raises(CommandError, match="do not hash to the checkpoint's root"):
        restore(forged)

    assert polyvox_tables_are_empty()
    assert not Path(settings.MEDIA_ROOT, backed_up["attachment"]).exists()


def test_a_missing_member_is_refused(backed_up, settings, tmp_path):
    def drop_votes(name: str, data: bytes) -> bytes | None:
        return None if "statements.vote.jsonl" in name else data

    incomplete = tmp_path / "incomplete.tar.gz"
    rewrite_archive(backed_up["archive"], incomplete, drop_votes)
    wipe(settings)

    with pytest.raises(CommandError, match=r"missing database/\d+-statements.vote.jsonl"):
        restore(incomplete)
    assert polyvox_tables_are_empty()


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_archive_is_refused(backed_up, settings, tmp_path, keep):
    data = backed_up["archive"].read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: int(len(data) * keep)])
    wipe(settings)

    with pytest.raises(CommandError, match=r"truncated|damaged"):
        restore(truncated)
    assert polyvox_tables_are_empty()


def test_a_file_that_is_not_an_archive_is_refused(tmp_path, db):
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    with pytest.raises(CommandError, match="not a Polyvox backup"):
        restore(other)
    with pytest.raises(CommandError, match="There is no file"):
        restore(tmp_path / "absent.tar.gz")


def test_an_archive_from_a_newer_polyvox_is_refused(backed_up, settings, tmp_path):
    def future(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"]["contributions"].append("9999_from_the_future")
            return json.dumps(manifest).encode()
        return data

    newer = tmp_path / "newer.tar.gz"
    rewrite_archive(backed_up["archive"], newer, future)
    wipe(settings)

    with pytest.raises(CommandError, match="newer Polyvox"):
        restore(newer)
    assert polyvox_tables_are_empty()


def test_a_member_that_would_escape_its_folder_is_refused(backed_up, settings, tmp_path):
    def escape(name: str, data: bytes) -> bytes:
        return data

    escaping = tmp_path / "escaping.tar.gz"
    rewrite_archive(backed_up["archive"], escaping, escape)
    # Rename one upload member to climb out of the media folder.
    import gzip
    import tarfile

    with tarfile.open(escaping, "r:gz") as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar]  # type: ignore[union-attr]
    hostile = tmp_path / "hostile.tar.gz"
    with gzip.open(hostile, "wb") as raw, tarfile.open(fileobj=raw, mode="w|") as out:
        for info, data in members:
            if info.name.startswith("media/"):
                info.name = "media/../../outside.pdf"
            out.addfile(info, io.BytesIO(data))
    wipe(settings)

    with pytest.raises(CommandError, match="unsafe name"):
        restore(hostile)
    assert not (tmp_path / "outside.pdf").exists()
    assert polyvox_tables_are_empty()
