"""`polyvox record …`: an export verifies against its signed checkpoint; a truncated, reordered,
rewritten or extended export, or a checkpoint signed by another key, is refused by name."""

import base64
import json
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polyvox.record.models import RecordCheckpoint, RecordEntry
from polyvox.record.notes import Checkpoint, generate_signer_key, parse_signer_key, sign_checkpoint
from polyvox.record.selectors import consistency_proof, export_record
from polyvox.record.services import append_entry
from tests.record.conftest import integrate_all, pending_entries, site_verifier


@pytest.fixture
def signed(process, tmp_path):
    """A log of 10 entries (checkpoints at 6 and 10), its export, checkpoint and key files."""
    pending_entries(process, 6)
    integrate_all()
    pending_entries(process, 4, start=6)
    integrate_all()
    export = tmp_path / "record.jsonl"
    export.write_text("".join(export_record(process=process)), encoding="utf-8")
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(
        RecordCheckpoint.objects.get(process=process, tree_size=10).note, encoding="utf-8"
    )
    old = tmp_path / "old.txt"
    old.write_text(
        RecordCheckpoint.objects.get(process=process, tree_size=6).note, encoding="utf-8"
    )
    key = tmp_path / "key.txt"
    key.write_text(site_verifier().verifier_key() + "\n", encoding="utf-8")
    return {"export": export, "checkpoint": checkpoint, "old": old, "key": key, "dir": tmp_path}


def verify(signed, export: Path | None = None, *extra: str) -> None:
    call_command(
        "record",
        "verify",
        str(export or signed["export"]),
        "--checkpoint",
        str(signed["checkpoint"]),
        "--key",
        str(signed["key"]),
        *extra,
    )


def rewrite(signed, lines: list[str]) -> Path:
    path = signed["dir"] / "changed.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def lines_of(signed) -> list[str]:
    return signed["export"].read_text(encoding="utf-8").splitlines(keepends=True)


def test_an_export_verifies_against_its_checkpoint(signed, capsys):
    verify(signed)

    out = capsys.readouterr().out
    assert "Record verified: 10 entries" in out
    assert "signed by polyvox.test" in out


def test_the_key_may_be_given_as_text(signed, capsys):
    call_command(
        "record",
        "verify",
        str(signed["export"]),
        "--checkpoint",
        str(signed["checkpoint"]),
        "--key",
        site_verifier().verifier_key(),
    )

    assert "Record verified" in capsys.readouterr().out


def test_a_truncated_export_is_refused(signed):
    with pytest.raises(
        CommandError, match=r"truncated: it has 8 entries.*first missing index is 8"
    ):
        verify(signed, rewrite(signed, lines_of(signed)[:8]))


def test_an_extended_export_is_refused(signed):
    extra = json.loads(lines_of(signed)[-1])
    extra["index"] = 10
    lines = [*lines_of(signed), json.dumps(extra) + "\n"]

    with pytest.raises(CommandError, match="has 11 entries but the checkpoint covers 10"):
        verify(signed, rewrite(signed, lines))


def test_a_reordered_export_is_refused_at_the_first_misplaced_index(signed):
    lines = lines_of(signed)
    lines[3], lines[4] = lines[4], lines[3]

    with pytest.raises(CommandError, match="entry number 4 has index 4, expected 3"):
        verify(signed, rewrite(signed, lines))


def test_a_reordered_export_with_renumbered_indices_fails_on_the_root(signed):
    entries = [json.loads(line) for line in lines_of(signed)]
    entries[3], entries[4] = entries[4], entries[3]
    for index, entry in enumerate(entries):
        entry["index"] = index

    with pytest.raises(CommandError, match="does not match the checkpoint"):
        verify(signed, rewrite(signed, [json.dumps(e) + "\n" for e in entries]))


def test_a_rewritten_entry_is_refused(signed):
    lines = lines_of(signed)
    entry = json.loads(lines[7])
    entry["payload"]["text"] = "forged"
    lines[7] = json.dumps(entry) + "\n"

    with pytest.raises(CommandError, match="does not match the checkpoint: its root hash is"):
        verify(signed, rewrite(signed, lines))


def test_a_removed_entry_is_refused(signed):
    lines = lines_of(signed)
    del lines[5]

    with pytest.raises(CommandError, match="entry number 6 has index 6, expected 5"):
        verify(signed, rewrite(signed, lines))


def test_a_checkpoint_signed_by_another_key_is_refused(signed, process):
    other = parse_signer_key(generate_signer_key("polyvox.test"))
    forged = signed["dir"] / "forged.txt"
    checkpoint = RecordCheckpoint.objects.get(process=process, tree_size=10)
    forged.write_text(
        sign_checkpoint(
            Checkpoint(f"127.0.0.1:8000/p/{process.slug}", 10, bytes(checkpoint.root_hash)), other
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match=r"checkpoint .* is refused: not signed by polyvox.test"):
        verify(signed, None, "--checkpoint", str(forged))


def test_a_bad_key_and_unreadable_files_are_clear_errors(signed):
    with pytest.raises(CommandError, match="verifier key is not valid"):
        call_command(
            "record", "verify", str(signed["export"]), "--checkpoint", "x", "--key", "a+b+c"
        )
    with pytest.raises(CommandError, match="Cannot read the checkpoint"):
        verify(signed, None, "--checkpoint", str(signed["dir"] / "missing.txt"))
    with pytest.raises(CommandError, match="line 1: not valid JSON"):
        verify(signed, rewrite(signed, ["{not json\n"]))
    with pytest.raises(CommandError, match="Give an export and its checkpoint"):
        call_command("record", "verify", "--key", str(signed["key"]))


def test_a_newer_checkpoint_is_consistent_with_an_older_one_by_proof(signed, process, capsys):
    call_command(
        "record",
        "verify",
        "--consistency",
        str(signed["old"]),
        str(signed["checkpoint"]),
        "--key",
        str(signed["key"]),
        "--proof",
        str(write_proof(signed, process, 6, 10)),
    )

    assert "Consistent: the log of" in capsys.readouterr().out


def test_a_proof_for_other_sizes_is_refused(signed, process):
    with pytest.raises(CommandError, match="proves 6 → 9 entries; the checkpoints are 6 → 10"):
        call_command(
            "record",
            "verify",
            "--consistency",
            str(signed["old"]),
            str(signed["checkpoint"]),
            "--key",
            str(signed["key"]),
            "--proof",
            str(write_proof(signed, process, 6, 9)),
        )


def test_consistency_by_entries(signed, capsys):
    call_command(
        "record",
        "verify",
        "--consistency",
        str(signed["old"]),
        str(signed["checkpoint"]),
        "--key",
        str(signed["key"]),
        "--entries",
        str(signed["export"]),
    )

    assert "at 10 entries extends the one at 6 entries" in capsys.readouterr().out


def write_proof(signed, process, first: int, second: int) -> Path:
    """The consistency proof as GET …/record/proofs/consistency answers it."""
    hashes = consistency_proof(process=process, first=first, second=second)
    path = signed["dir"] / "proof.json"
    path.write_text(
        json.dumps(
            {
                "first": first,
                "second": second,
                "hashes": [base64.b64encode(value).decode() for value in hashes],
            }
        )
    )
    return path


@pytest.mark.parametrize("evidence", ["--proof", "--entries"])
def test_a_rewritten_history_is_not_consistent(signed, process, settings, evidence):
    # The operator signs a checkpoint at 6 over another history (with the site's own key, as an
    # operator who rewrites the log would). The genuine checkpoint at 10 cannot extend it.
    signer = parse_signer_key(Path(settings.POLYVOX_RECORD_KEY_FILE).read_text())
    forged = signed["dir"] / "forged-old.txt"
    forged.write_text(
        sign_checkpoint(Checkpoint(f"127.0.0.1:8000/p/{process.slug}", 6, b"\x07" * 32), signer)
    )
    given = write_proof(signed, process, 6, 10) if evidence == "--proof" else signed["export"]

    with pytest.raises(CommandError, match="does not extend the old one"):
        call_command(
            "record",
            "verify",
            "--consistency",
            str(forged),
            str(signed["checkpoint"]),
            "--key",
            str(signed["key"]),
            evidence,
            str(given),
        )


def test_a_smaller_new_checkpoint_means_the_log_was_cut(signed):
    with pytest.raises(CommandError, match=r"smaller than the old one.*the log was cut"):
        call_command(
            "record",
            "verify",
            "--consistency",
            str(signed["checkpoint"]),
            str(signed["old"]),
            "--key",
            str(signed["key"]),
            "--entries",
            str(signed["export"]),
        )


def test_export_of_a_given_size_and_refusals(process, capsys):
    pending_entries(process, 4)
    integrate_all()

    call_command("record", "export", process.slug, "--tree-size", "2")
    assert [json.loads(line)["index"] for line in capsys.readouterr().out.splitlines()] == [0, 1]

    with pytest.raises(CommandError, match=r"Cannot export .*tree size 9"):
        call_command("record", "export", process.slug, "--tree-size", "9")
    with pytest.raises(CommandError, match="No process with short name 'nope'"):
        call_command("record", "export", "nope")


def test_export_leaves_out_entries_not_yet_in_a_checkpoint(process, capsys):
    pending_entries(process, 3)
    integrate_all()
    append_entry(process=process, kind="late", payload={})

    call_command("record", "export", process.slug)

    assert len(capsys.readouterr().out.splitlines()) == 3


def test_keygen_writes_a_private_key_file_only_its_owner_reads(settings, tmp_path, capsys):
    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "keys" / "record.key"

    call_command("record", "keygen", "--name", "records.example.org")

    path = settings.POLYVOX_RECORD_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("PRIVATE+KEY+records.example.org+")
    out = capsys.readouterr().out
    assert "Verifier key to publish: records.example.org+" in out
    call_command("record", "key")
    assert capsys.readouterr().out.startswith("records.example.org+")


def test_keygen_never_replaces_a_key_by_accident(settings, capsys):
    before = settings.POLYVOX_RECORD_KEY_FILE.read_text()

    with pytest.raises(CommandError, match="already exists"):
        call_command("record", "keygen")
    call_command("record", "keygen", "--if-missing")
    assert capsys.readouterr().out == ""
    assert settings.POLYVOX_RECORD_KEY_FILE.read_text() == before

    call_command("record", "keygen", "--force", "--name", "new.example")
    assert settings.POLYVOX_RECORD_KEY_FILE.read_text() != before


def test_key_without_a_key_file_says_how_to_create_it(settings, tmp_path):
    settings.POLYVOX_RECORD_KEY_FILE = tmp_path / "absent.key"

    with pytest.raises(CommandError, match="polyvox record keygen"):
        call_command("record", "key")


def test_integrate_once(process, capsys):
    pending_entries(process, 3)

    call_command("record", "integrate")

    assert "Integrated 3 entries." in capsys.readouterr().out
    assert not RecordEntry.objects.filter(index__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_integrate_forever_takes_entries_in_until_stopped(process):
    from polyvox.record.services import integrate_forever

    stop = threading.Event()
    worker = threading.Thread(target=integrate_forever, kwargs={"interval": 0.05, "stop": stop})
    worker.start()
    try:
        append_entry(process=process, kind="test", payload={})
        for _ in range(100):
            if RecordCheckpoint.objects.filter(process=process, tree_size=1).exists():
                break
            stop.wait(0.05)
    finally:
        stop.set()
        worker.join(timeout=10)

    assert not worker.is_alive()
    assert RecordCheckpoint.objects.filter(process=process, tree_size=1).exists()


def test_polyvox_record_verify_runs_as_a_command(signed):
    """The command as a verifier runs it: a process of its own, no database needed."""
    polyvox = Path(sys.executable).with_name("polyvox")
    command = [str(polyvox), "record", "verify", str(signed["export"])]
    command += ["--checkpoint", str(signed["checkpoint"]), "--key", str(signed["key"])]

    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Record verified: 10 entries" in done.stdout

    lines = lines_of(signed)
    changed = rewrite(signed, lines[:-1])
    command[3] = str(changed)
    refused = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert refused.returncode != 0
    assert "truncated" in refused.stderr
