"""Signed checkpoints: C2SP tlog-checkpoint bodies in C2SP signed-note envelopes (Ed25519).

- Checkpoint (c2sp.org/tlog-checkpoint): the note text is ``origin\\nsize\\nbase64(root)\\n``,
  optionally followed by extension lines (accepted and ignored when reading); the size is ASCII
  decimal without leading zeros, the root the standard base64 of the 32-byte RFC 9162 tree hash.
- Signed note (c2sp.org/signed-note): the text (every line ending in a newline), one blank line,
  then signature lines ``— <key name> <base64(key ID ‖ signature)>`` (U+2014 and a space). An
  Ed25519 signature covers the text bytes, final newline included. The key ID is the first four
  bytes of ``SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)``. Keys are written
  ``<name>+<hex key ID>+<base64(0x01 ‖ public key)>`` and, for the private key,
  ``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>``. A reader ignores signatures by
  keys it does not know, refuses a note whose signature by a known key is wrong, and refuses a
  note without any signature by a known key.

Ed25519 comes from ``cryptography``; only the text formats, which no maintained Python library
implements, are written here. Every refusal is a NoteError (a ValueError) with a message a
person can act on; nothing else escapes on hostile input.
"""

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "
MAX_SIGNATURES = 100
MAX_NOTE_LENGTH = 1 << 20
_HEX_ID = re.compile(r"[0-9a-fA-F]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(ValueError):
    """A key, note or checkpoint that is malformed, unsigned or wrongly signed."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes


def _b64decode(text: str, what: str) -> bytes:
    try:
        decoded = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise NoteError(f"malformed {what}: not standard base64") from error
    if base64.b64encode(decoded).decode("ascii") != text:
        raise NoteError(f"malformed {what}: not standard base64")
    return decoded


def _check_origin(origin: str) -> None:
    if not origin or any(c.isspace() for c in origin) or _CONTROL.search(origin):
        raise NoteError(f"malformed checkpoint: origin {origin!r} is empty or has spaces")


def checkpoint_text(checkpoint: Checkpoint) -> str:
    """The checkpoint's note text: origin, size and base64 root hash, one per line."""
    _check_origin(checkpoint.origin)
    if isinstance(checkpoint.size, bool) or not isinstance(checkpoint.size, int):
        raise NoteError("malformed checkpoint: the size is not an integer")
    if checkpoint.size < 0:
        raise NoteError("malformed checkpoint: the size is negative")
    if not isinstance(checkpoint.root_hash, bytes) or len(checkpoint.root_hash) != 32:
        raise NoteError("malformed checkpoint: the root hash is not 32 bytes")
    root = base64.b64encode(checkpoint.root_hash).decode("ascii")
    return f"{checkpoint.origin}\n{checkpoint.size}\n{root}\n"


def parse_checkpoint_text(text: str) -> Checkpoint:
    """Read a checkpoint's note text (extension lines after the third are ignored)."""
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("malformed checkpoint: the text must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("malformed checkpoint: expected origin, tree size and root hash lines")
    origin, size, root = lines[:3]
    _check_origin(origin)
    if not _DECIMAL.fullmatch(size):
        raise NoteError(f"malformed checkpoint: tree size {size!r} is not a decimal number")
    root_hash = _b64decode(root, "checkpoint root hash")
    if len(root_hash) != 32:
        raise NoteError("malformed checkpoint: the root hash is not 32 bytes")
    if any(not line for line in lines[3:]):
        raise NoteError("malformed checkpoint: an empty extension line")
    return Checkpoint(origin=origin, size=int(size), root_hash=root_hash)


def _check_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name) or _CONTROL.search(name):
        raise NoteError(f"invalid key name {name!r}: it must be non-empty, without spaces or +")


def _key_id(name: str, public_key: bytes) -> bytes:
    material = name.encode("utf-8") + b"\n" + bytes([ALGORITHM_ED25519]) + public_key
    return hashlib.sha256(material).digest()[:4]


def _encode_key(name: str, key_id: bytes, key: bytes) -> str:
    encoded = base64.b64encode(bytes([ALGORITHM_ED25519]) + key).decode("ascii")
    return f"{name}+{key_id.hex()}+{encoded}"


def _note_bytes(text: str) -> bytes:
    """UTF-8 text with no control character but the newline (signed-note's text rule)."""
    if _CONTROL.search(text):
        raise NoteError("malformed note: control characters")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise NoteError("malformed note: not valid UTF-8") from error


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: bytes

    def verifier_key(self) -> str:
        return _encode_key(self.name, self.key_id, self.public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    key_id: bytes
    seed: bytes = field(repr=False)

    def _private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def public_key(self) -> bytes:
        return self._private_key().public_key().public_bytes_raw()

    def verifier(self) -> Verifier:
        return Verifier(name=self.name, key_id=self.key_id, public_key=self.public_key())

    def verifier_key(self) -> str:
        """The public key to publish: ``name+hex id+base64(0x01 ‖ public key)``."""
        return _encode_key(self.name, self.key_id, self.public_key())

    def sign(self, text: str) -> str:
        """The whole signed note: the text, a blank line, this key's signature line."""
        if not isinstance(text, str) or not text.endswith("\n"):
            raise NoteError("malformed note: the text must end with a newline")
        signature = self._private_key().sign(_note_bytes(text))
        encoded = base64.b64encode(self.key_id + signature).decode("ascii")
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {encoded}\n"


def generate_signer_key(name: str) -> str:
    """A new private key line ``PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>``."""
    _check_name(name)
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    return "PRIVATE+KEY+" + _encode_key(name, _key_id(name, public), private.private_bytes_raw())


def _split_key(text: str, what: str) -> tuple[str, bytes, bytes]:
    parts = text.split("+", 2)  # base64 may contain "+", a name may not
    if len(parts) != 3 or not _HEX_ID.fullmatch(parts[1]):
        raise NoteError(f"malformed {what}: expected name+8 hex digits+base64 key")
    name, key_id, encoded = parts
    _check_name(name)
    key = _b64decode(encoded, what)
    if not key or key[0] != ALGORITHM_ED25519:
        raise NoteError(f"unsupported {what}: only Ed25519 (algorithm 0x01) is supported")
    if len(key) != 33:
        raise NoteError(f"malformed {what}: an Ed25519 key is 32 bytes")
    return name, bytes.fromhex(key_id), key[1:]


def parse_signer_key(text: str) -> Signer:
    """Read a private key line (surrounding whitespace, e.g. a file's newline, is ignored)."""
    if not isinstance(text, str) or not text.strip().startswith("PRIVATE+KEY+"):
        raise NoteError("malformed private key: expected PRIVATE+KEY+name+id+key")
    name, key_id, seed = _split_key(text.strip()[len("PRIVATE+KEY+") :], "private key")
    signer = Signer(name=name, key_id=key_id, seed=seed)
    if _key_id(name, signer.public_key()) != key_id:
        raise NoteError("malformed private key: the key ID does not match the key")
    return signer


def parse_verifier_key(text: str) -> Verifier:
    """Read a published verifier key ``name+hex id+base64(0x01 ‖ public key)``."""
    if not isinstance(text, str):
        raise NoteError("malformed verifier key")
    text = text.strip()
    if text.startswith("PRIVATE+KEY+"):
        raise NoteError("this is a private key; give the public verifier key instead")
    name, key_id, public_key = _split_key(text, "verifier key")
    if _key_id(name, public_key) != key_id:
        raise NoteError("malformed verifier key: the key ID does not match the key")
    try:
        Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError as error:
        raise NoteError("malformed verifier key: not an Ed25519 public key") from error
    return Verifier(name=name, key_id=key_id, public_key=public_key)


def open_note(note: str, verifiers: Sequence[Verifier]) -> str:
    """The note's text, when a known verifier's signature on it is valid (NoteError if not)."""
    if not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH:
        raise NoteError("malformed note")
    _note_bytes(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise NoteError("malformed note: the signatures must end with a newline")
    known: dict[tuple[str, bytes], Verifier] = {}
    for verifier in verifiers:
        known.setdefault((verifier.name, verifier.key_id), verifier)
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("malformed note: too many signatures")
    verified = False
    checked: set[tuple[str, bytes]] = set()
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX) or " " not in line[len(SIGNATURE_PREFIX) :]:
            raise NoteError("malformed note: a signature line must be '— name signature'")
        name, encoded = line[len(SIGNATURE_PREFIX) :].split(" ", 1)
        _check_name(name)
        signature = _b64decode(encoded, "note signature")
        if len(signature) < 5:
            raise NoteError("malformed note: signature too short")
        key = (name, signature[:4])
        if key not in known or key in checked:
            continue  # signatures by unknown keys are ignored, repeated ones read once
        checked.add(key)
        if not known[key].verify(text.encode("utf-8"), signature[4:]):
            raise NoteError(f"signature does not match the note ({name}+{key[1].hex()})")
        verified = True
    if not verified:
        expected = ", ".join(f"{v.name}+{v.key_id.hex()}" for v in verifiers) or "a known key"
        raise NoteError(f"not signed by {expected}")
    return text


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """The signed note of a checkpoint."""
    return signer.sign(checkpoint_text(checkpoint))


def verify_checkpoint(note: str, verifier: Verifier, *, origin: str | None = None) -> Checkpoint:
    """The checkpoint in a note signed by ``verifier`` (and for ``origin``, when given)."""
    checkpoint = parse_checkpoint_text(open_note(note, [verifier]))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"checkpoint is for {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint
