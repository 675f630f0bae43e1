"""`polyvox record …`: export a process's log, verify an export or two checkpoints offline,
manage the signing key, run the integrator. docs/record.md explains each."""

import base64
import binascii
import json
import signal
import sys
import threading
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from polyvox.processes.models import Process
from polyvox.record.entries import leaf_bytes, parse_jsonl
from polyvox.record.keys import create_signing_key, key_file, load_signer
from polyvox.record.merkle import leaf_hash, root_from_leaf_hashes, verify_consistency
from polyvox.record.notes import Checkpoint, NoteError, Verifier, parse_verifier_key
from polyvox.record.notes import verify_checkpoint as open_checkpoint
from polyvox.record.selectors import export_record
from polyvox.record.services import integrate_forever, integrate_pending


def _read(path: str, what: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot read the {what} {path}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"The {what} {path} is not UTF-8 text.") from error


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


class Command(BaseCommand):
    help = (
        "The public record: export a process's log, verify an export or a consistency proof "
        "against signed checkpoints, create or show the signing key, integrate pending entries."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        export = sub.add_parser("export", help="Write a process's log as JSON Lines to stdout.")
        export.add_argument("process", help="the process's short name (slug)")
        export.add_argument(
            "--tree-size",
            type=int,
            help="export entries 0 … N-1 (default: the size of the latest signed checkpoint)",
        )

        verify = sub.add_parser(
            "verify",
            help="Check an export against a signed checkpoint, or that a newer checkpoint "
            "extends an older one (--consistency).",
        )
        verify.add_argument("file", nargs="?", help="a record.jsonl export, or - for stdin")
        verify.add_argument("--checkpoint", help="the signed checkpoint the export must match")
        verify.add_argument(
            "--key",
            required=True,
            help="the verifier key (name+keyid+base64), or a file holding it",
        )
        verify.add_argument(
            "--consistency",
            nargs=2,
            metavar=("OLD", "NEW"),
            help="two signed checkpoints: prove that NEW's tree extends OLD's",
        )
        verify.add_argument(
            "--proof", help="with --consistency: the consistency proof (the API's JSON answer)"
        )
        verify.add_argument(
            "--entries",
            help="with --consistency: an export of at least NEW's size, instead of a proof",
        )

        keygen = sub.add_parser("keygen", help="Create the checkpoint signing key.")
        keygen.add_argument(
            "--name", help="the key's name (default: settings.POLYVOX_RECORD_KEY_NAME)"
        )
        keygen.add_argument("--force", action="store_true", help="replace an existing key")
        keygen.add_argument(
            "--if-missing", action="store_true", help="do nothing (exit 0) when a key exists"
        )

        sub.add_parser("key", help="Print the verifier key to publish.")

        integrate = sub.add_parser("integrate", help="Take pending entries into the logs.")
        integrate.add_argument("--loop", action="store_true", help="run until stopped")
        integrate.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between passes with --loop "
            "(default: settings.POLYVOX_RECORD_INTEGRATE_INTERVAL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self._export(options["process"], options["tree_size"])
        elif action == "verify":
            self._verify(options)
        elif action == "keygen":
            self._keygen(options["name"], force=options["force"], if_missing=options["if_missing"])
        elif action == "key":
            self._key()
        else:
            self._integrate(loop=options["loop"], interval=options["interval"])

    # export ---------------------------------------------------------------------------------

    def _export(self, slug: str, tree_size: int | None) -> None:
        process = Process.objects.filter(slug=slug).first()
        if process is None:
            raise CommandError(f"No process with short name {slug!r}.")
        try:
            lines = export_record(process=process, tree_size=tree_size)
            for line in lines:
                self.stdout.write(line, ending="")
        except ValueError as error:
            raise CommandError(f"Cannot export {slug}: {error}") from error

    # verify ---------------------------------------------------------------------------------

    def _verifier(self, value: str) -> Verifier:
        text = value
        if "+" not in value or Path(value).is_file():
            text = _read(value, "verifier key")
        try:
            return parse_verifier_key(text.strip())
        except NoteError as error:
            raise CommandError(f"The verifier key is not valid: {error}") from error

    def _checkpoint(self, path: str, verifier: Verifier) -> Checkpoint:
        try:
            return open_checkpoint(_read(path, "checkpoint"), verifier)
        except NoteError as error:
            raise CommandError(f"The checkpoint {path} is refused: {error}") from error

    def _leaf_hashes(self, path: str) -> list[bytes]:
        """The leaf hashes of an export, checking that entry n has index n."""
        try:
            entries = parse_jsonl(_read(path, "export").splitlines())
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        hashes = []
        for position, entry in enumerate(entries):
            index = entry.get("index")
            if index != position:
                raise CommandError(
                    f"{path}: entry number {position + 1} has index {index!r}, expected "
                    f"{position}: entries are missing, repeated or out of order from index "
                    f"{position}."
                )
            try:
                hashes.append(leaf_hash(leaf_bytes(entry)))
            except ValueError as error:
                raise CommandError(f"{path}: entry {position}: {error}") from error
        return hashes

    def _verify(self, options: dict[str, Any]) -> None:
        verifier = self._verifier(options["key"])
        if options["consistency"]:
            self._verify_consistency(options, verifier)
            return
        if not options["file"] or not options["checkpoint"]:
            raise CommandError(
                "Give an export and its checkpoint (record verify FILE --checkpoint CHECKPOINT "
                "--key KEY), or two checkpoints (--consistency OLD NEW)."
            )
        path = options["file"]
        checkpoint = self._checkpoint(options["checkpoint"], verifier)
        hashes = self._leaf_hashes(path)
        if len(hashes) < checkpoint.size:
            raise CommandError(
                f"{path} is truncated: it has {len(hashes)} entries, the checkpoint covers "
                f"{checkpoint.size}; the first missing index is {len(hashes)}."
            )
        if len(hashes) > checkpoint.size:
            raise CommandError(
                f"{path} has {len(hashes)} entries but the checkpoint covers "
                f"{checkpoint.size}: entries from index {checkpoint.size} on are not under "
                "this checkpoint (export with --tree-size, or fetch a newer checkpoint)."
            )
        root = root_from_leaf_hashes(hashes)
        if root != checkpoint.root_hash:
            raise CommandError(
                f"{path} does not match the checkpoint: its root hash is {_b64(root)}, the "
                f"signed root is {_b64(checkpoint.root_hash)}. An entry was changed; compare "
                "with GET …/record/entries to find which."
            )
        self.stdout.write(
            f"Record verified: {checkpoint.size} entries of {checkpoint.origin}, root "
            f"{_b64(root)}, signed by {verifier.name}."
        )

    def _verify_consistency(self, options: dict[str, Any], verifier: Verifier) -> None:
        old_path, new_path = options["consistency"]
        old = self._checkpoint(old_path, verifier)
        new = self._checkpoint(new_path, verifier)
        if old.origin != new.origin:
            raise CommandError(
                f"The checkpoints are of different logs: {old.origin} and {new.origin}."
            )
        if old.size > new.size:
            raise CommandError(
                f"The new checkpoint ({new.size} entries) is smaller than the old one "
                f"({old.size}): the log was cut."
            )
        if bool(options["proof"]) == bool(options["entries"]):
            raise CommandError("With --consistency give either --proof PROOF.json or --entries.")
        if old.size == 0:
            ok = True
        elif options["proof"]:
            ok = self._check_proof(options["proof"], old, new)
        else:
            hashes = self._leaf_hashes(options["entries"])
            if len(hashes) < new.size:
                raise CommandError(
                    f"{options['entries']} has {len(hashes)} entries; the new checkpoint "
                    f"covers {new.size}."
                )
            hashes = hashes[: new.size]
            if root_from_leaf_hashes(hashes) != new.root_hash:
                raise CommandError(
                    f"{options['entries']} does not match the new checkpoint's root hash."
                )
            ok = root_from_leaf_hashes(hashes[: old.size]) == old.root_hash
        if not ok:
            raise CommandError(
                f"The new checkpoint ({new.size} entries) does not extend the old one "
                f"({old.size} entries): the log was rewritten."
            )
        self.stdout.write(
            f"Consistent: the log of {new.origin} at {new.size} entries extends the one at "
            f"{old.size} entries."
        )

    def _check_proof(self, path: str, old: Checkpoint, new: Checkpoint) -> bool:
        try:
            proof = json.loads(_read(path, "proof"))
            first, second = proof["first"], proof["second"]
            hashes = [base64.b64decode(value, validate=True) for value in proof["hashes"]]
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise CommandError(
                f"{path} is not a consistency proof as the API answers it "
                '({"first": …, "second": …, "hashes": [base64, …]}).'
            ) from error
        if (first, second) != (old.size, new.size):
            raise CommandError(
                f"{path} proves {first} → {second} entries; the checkpoints are "
                f"{old.size} → {new.size}."
            )
        return verify_consistency(old.size, new.size, old.root_hash, new.root_hash, hashes)

    # keys ---------------------------------------------------------------------------------

    def _keygen(self, name: str | None, *, force: bool, if_missing: bool) -> None:
        path = key_file()
        if path.exists() and not force:
            if if_missing:
                return
            raise CommandError(
                f"A signing key already exists at {path}. --force replaces it: checkpoints "
                "signed before then verify only with the old verifier key."
            )
        try:
            signer = create_signing_key(path, name or settings.POLYVOX_RECORD_KEY_NAME, force=force)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from error
        except ValueError as error:
            raise CommandError(f"Cannot create the key: {error}") from error
        self.stdout.write(f"Signing key written to {path} (keep it secret; back it up apart).")
        self.stdout.write(f"Verifier key to publish: {signer.verifier_key()}")

    def _key(self) -> None:
        signer = load_signer()
        if signer is None:
            raise CommandError(
                f"No signing key at {key_file()}: create one with `polyvox record keygen`."
            )
        self.stdout.write(signer.verifier_key())

    # integrate ------------------------------------------------------------------------------

    def _integrate(self, *, loop: bool, interval: float | None) -> None:
        if not loop:
            count = integrate_pending()
            self.stdout.write(f"Integrated {count} entries.")
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
        seconds = settings.POLYVOX_RECORD_INTEGRATE_INTERVAL if interval is None else interval
        integrate_forever(interval=seconds, stop=stop)
