"""Signed checkpoints (C2SP tlog-checkpoint, signed-note): published vectors, round trips, refusals."""

import base64
import contextlib
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polyvox.record.notes import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    checkpoint_text,
    generate_signer_key,
    open_note,
    parse_checkpoint_text,
    parse_signer_key,
    parse_verifier_key,
    sign_checkpoint,
    verify_checkpoint,
)

DASH = "\u2014"

# The example of Go's golang.org/x/mod/sumdb/note package documentation.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + f"\n{DASH} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1"
    "FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
# The example of the C2SP signed-note specification.
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    f"This is an example message.\n\n{DASH} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6"
    "TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)
# Go's checksum database: its published verifier key and one of its signed tree heads.
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_TEXT = "go.sum database tree\n65664258\nWVVNVD2qx+fTq31zkj6UAqxT5X6HvGphGM+o8Thnbsg=\n"
SUMDB_NOTE = (
    SUMDB_TEXT + f"\n{DASH} sum.golang.org Az3grligJmgX7KGyGPKybykNTh3VgsbLvUuvOwrM5zLVlulmF"
    "p2wdvbxOw74/gcNxURShXEpb7RXcs3+BYflYN+w0gQ=\n"
)

ROOT = hashlib.sha256(b"root").digest()
CHECKPOINT = Checkpoint(origin="polyvox.example.org/p/cn-principles", size=42, root_hash=ROOT)


@pytest.fixture(scope="module")
def signer() -> Signer:
    return parse_signer_key(generate_signer_key("polyvox.example.org"))


@pytest.fixture(scope="module")
def other() -> Signer:
    return parse_signer_key(generate_signer_key("witness.example.net"))


# --- published vectors ----------------------------------------------------------------------


def test_go_reference_key_signs_the_reference_note_byte_for_byte() -> None:
    signer = parse_signer_key(GO_SKEY)
    assert signer.name == "PeterNeumann"
    assert signer.key_id.hex() == "c74f20a3"
    assert signer.verifier_key() == GO_VKEY
    assert signer.sign(GO_TEXT) == GO_NOTE  # Ed25519 is deterministic (RFC 8032)
    assert open_note(GO_NOTE, [parse_verifier_key(GO_VKEY)]) == GO_TEXT


def test_c2sp_specification_example_verifies() -> None:
    verifier = parse_verifier_key(SPEC_VKEY)
    assert open_note(SPEC_NOTE, [verifier]) == "This is an example message.\n"


def test_go_checksum_database_key_id_and_tree_head() -> None:
    verifier = parse_verifier_key(SUMDB_VKEY)
    public = base64.b64decode(SUMDB_VKEY.split("+", 2)[2])
    # The key-ID rule: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), first four bytes.
    assert hashlib.sha256(b"sum.golang.org\n" + public).digest()[:4].hex() == "033de0ae"
    assert verifier.key_id.hex() == "033de0ae"
    assert verifier.verifier_key() == SUMDB_VKEY
    assert open_note(SUMDB_NOTE, [verifier]) == SUMDB_TEXT
    with pytest.raises(NoteError, match="signature does not match"):
        open_note(SUMDB_NOTE.replace("65664258", "65664259"), [verifier])
    # Its origin has spaces, which C2SP says an origin SHOULD NOT: Polyvox's reader refuses it.
    with pytest.raises(NoteError, match="origin"):
        parse_checkpoint_text(SUMDB_TEXT)


# --- round trips ----------------------------------------------------------------------------


def test_checkpoint_text_is_three_lines() -> None:
    text = checkpoint_text(CHECKPOINT)
    assert text == (f"polyvox.example.org/p/cn-principles\n42\n{base64.b64encode(ROOT).decode()}\n")
    assert parse_checkpoint_text(text) == CHECKPOINT
    assert parse_checkpoint_text(text + "extension line\n") == CHECKPOINT
    empty = Checkpoint(origin="o.example/p/x", size=0, root_hash=hashlib.sha256(b"").digest())
    assert parse_checkpoint_text(checkpoint_text(empty)) == empty


def test_sign_and_verify_a_checkpoint(signer: Signer) -> None:
    note = sign_checkpoint(CHECKPOINT, signer)
    assert note.startswith(checkpoint_text(CHECKPOINT) + "\n" + DASH + " polyvox.example.org ")
    assert note.endswith("\n")
    verifier = parse_verifier_key(signer.verifier_key())
    assert verifier == signer.verifier()
    assert verify_checkpoint(note, verifier) == CHECKPOINT
    assert verify_checkpoint(note, verifier, origin=CHECKPOINT.origin) == CHECKPOINT
    with pytest.raises(NoteError, match=r"expected 'polyvox\.example\.org/p/other'"):
        verify_checkpoint(note, verifier, origin="polyvox.example.org/p/other")


def test_keys_round_trip_and_hide_the_seed(signer: Signer) -> None:
    key = generate_signer_key("host.example:8000")
    parsed = parse_signer_key(key + "\n")  # as read from its file
    assert key.startswith("PRIVATE+KEY+host.example:8000+")
    assert key == "PRIVATE+KEY+" + "+".join(
        [parsed.name, parsed.key_id.hex(), base64.b64encode(b"\x01" + parsed.seed).decode()]
    )
    vkey = parsed.verifier_key()
    assert parse_verifier_key(vkey).verifier_key() == vkey
    assert generate_signer_key("host.example:8000") != key  # a fresh key every time
    assert base64.b64encode(signer.seed).decode() not in repr(signer)


# --- refusals -------------------------------------------------------------------------------


def test_a_note_signed_by_another_key_is_refused(signer: Signer, other: Signer) -> None:
    note = sign_checkpoint(CHECKPOINT, other)
    with pytest.raises(
        NoteError, match=f"not signed by polyvox.example.org\\+{signer.key_id.hex()}"
    ):
        verify_checkpoint(note, signer.verifier())
    # Same name, another key (a forged or rotated key): its ID differs, so it is not ours.
    impostor = parse_signer_key(generate_signer_key("polyvox.example.org"))
    with pytest.raises(NoteError, match="not signed by"):
        verify_checkpoint(sign_checkpoint(CHECKPOINT, impostor), signer.verifier())


def test_an_unknown_extra_signature_is_ignored(signer: Signer, other: Signer) -> None:
    note = sign_checkpoint(CHECKPOINT, signer)
    cosignature = sign_checkpoint(CHECKPOINT, other).rsplit("\n\n", 1)[1]
    cosigned = note + cosignature
    assert verify_checkpoint(cosigned, signer.verifier()) == CHECKPOINT
    assert verify_checkpoint(cosigned, other.verifier()) == CHECKPOINT
    unknown_first = checkpoint_text(CHECKPOINT) + "\n" + cosignature + note.rsplit("\n\n")[1]
    assert verify_checkpoint(unknown_first, signer.verifier()) == CHECKPOINT
    assert open_note(cosigned, [signer.verifier(), other.verifier()]) == checkpoint_text(CHECKPOINT)


def test_a_bad_signature_by_a_known_key_refuses_the_note(signer: Signer, other: Signer) -> None:
    good = sign_checkpoint(CHECKPOINT, signer)
    forged_line = sign_checkpoint(Checkpoint(CHECKPOINT.origin, 43, ROOT), other).rsplit("\n\n", 1)[
        1
    ]
    with pytest.raises(NoteError, match="signature does not match"):
        open_note(good + forged_line, [signer.verifier(), other.verifier()])


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("\n42\n", "\n43\n"),
        lambda text: text.replace("cn-principles", "cn-principle"),
        lambda text: text.replace(base64.b64encode(ROOT).decode()[:4], "AAAA", 1),
    ],
)
def test_a_modified_checkpoint_is_refused(signer: Signer, change: object) -> None:
    note = sign_checkpoint(CHECKPOINT, signer)
    text, signatures = note.split("\n\n")
    tampered = change(text + "\n")[:-1] + "\n\n" + signatures  # type: ignore[operator]
    assert tampered != note
    with pytest.raises(NoteError, match="signature does not match"):
        verify_checkpoint(tampered, signer.verifier())


def malformed_notes(note: str) -> list[str]:
    text, signature = note.split("\n\n")
    name, encoded = signature[2:].rstrip("\n").split(" ")
    return [
        "",
        text + "\n" + signature,  # no blank line
        note[:-1],  # no final newline
        text + "\n\n" + signature.replace(DASH, "-"),  # a hyphen, not an em dash
        text + "\n\n" + f"{DASH} {name} {encoded[:-3]}!!=\n",  # bad base64
        text + "\n\n" + f"{DASH} {name} {encoded}\n\n",  # a blank signature line
        text + "\n\n" + f"{DASH} {name}\n",  # no signature
        text + "\n\n" + f"{DASH} {name} AAAA\n",  # too short
        text + "\n\n" + f"{DASH}  {encoded}\n",  # empty name
        text + "\n\n" + f"{DASH} na+me {encoded}\n",  # a + in the name
        text + "\n\n" + signature * 101,  # too many signatures
        text.replace("\n42\n", "\n4\t2\n") + "\n\n" + signature,  # control characters
        text + "\n\n" + signature.replace("\n", "\r\n"),
        "\ud800" + note,  # not encodable as UTF-8
    ]


def test_malformed_notes_are_refused_with_note_error(signer: Signer) -> None:
    note = sign_checkpoint(CHECKPOINT, signer)
    for bad in malformed_notes(note):
        with pytest.raises(NoteError):
            verify_checkpoint(bad, signer.verifier())
    for not_text in (None, b"bytes", 42):
        with pytest.raises(NoteError):
            open_note(not_text, [signer.verifier()])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "origin\n42\n",  # too few lines
        "origin\n42\n" + base64.b64encode(ROOT).decode(),  # no final newline
        "two words\n42\n" + base64.b64encode(ROOT).decode() + "\n",  # origin with a space
        "\n42\n" + base64.b64encode(ROOT).decode() + "\n",  # empty origin
        "origin\n042\n" + base64.b64encode(ROOT).decode() + "\n",  # leading zero
        "origin\n-1\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n+4\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n4_2\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n\u0664\u0662\n" + base64.b64encode(ROOT).decode() + "\n",  # Arabic digits
        "origin\n" + "9" * 30 + "\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n42\nAAAA\n",  # not 32 bytes
        "origin\n42\n" + base64.urlsafe_b64encode(b"\xff" * 32).decode() + "\n",  # URL alphabet
        "origin\n42\n" + base64.b64encode(ROOT).decode().rstrip("=") + "\n",  # no padding
        "origin\n42\n" + base64.b64encode(ROOT).decode() + "\n\n",  # empty extension line
    ],
)
def test_malformed_checkpoint_text_is_refused(text: str) -> None:
    with pytest.raises(NoteError, match="malformed checkpoint"):
        parse_checkpoint_text(text)


@pytest.mark.parametrize(
    "checkpoint",
    [
        Checkpoint(origin="has space/p/x", size=1, root_hash=ROOT),
        Checkpoint(origin="", size=1, root_hash=ROOT),
        Checkpoint(origin="o/p/x", size=-1, root_hash=ROOT),
        Checkpoint(origin="o/p/x", size=1, root_hash=ROOT[:31]),
    ],
)
def test_a_checkpoint_that_cannot_be_written_is_refused(checkpoint: Checkpoint) -> None:
    with pytest.raises(NoteError, match="malformed checkpoint"):
        checkpoint_text(checkpoint)


def test_signing_refuses_text_without_a_final_newline(signer: Signer) -> None:
    with pytest.raises(NoteError, match="end with a newline"):
        signer.sign("no newline")


@pytest.mark.parametrize("name", ["", "has space", "has+plus", "tab\tname", "nbsp\u00a0name"])
def test_invalid_key_names_are_refused(name: str) -> None:
    with pytest.raises(NoteError, match="invalid key name"):
        generate_signer_key(name)


def test_every_mangling_of_a_verifier_key_is_refused() -> None:
    # As Go's note package tests: every proper substring and every one-byte change.
    for start in range(len(GO_VKEY) + 1):
        for end in range(start + 1, len(GO_VKEY) + 1):
            if (start, end) != (0, len(GO_VKEY)):
                with pytest.raises(NoteError):
                    parse_verifier_key(GO_VKEY[start:end])
    for position in range(len(GO_VKEY)):
        changed = GO_VKEY[:position] + chr(ord(GO_VKEY[position]) + 1) + GO_VKEY[position + 1 :]
        with pytest.raises(NoteError):
            parse_verifier_key(changed)


def test_every_mangling_of_a_signer_key_is_refused() -> None:
    for position in range(len(GO_SKEY)):
        changed = GO_SKEY[:position] + chr(ord(GO_SKEY[position]) + 1) + GO_SKEY[position + 1 :]
        with pytest.raises(NoteError):
            parse_signer_key(changed)
    for end in range(len(GO_SKEY)):
        with pytest.raises(NoteError):
            parse_signer_key(GO_SKEY[:end])


def test_key_of_another_algorithm_or_length_is_refused() -> None:
    public = base64.b64decode(GO_VKEY.split("+", 2)[2])[1:]

    def key_with(material: bytes) -> str:
        key_id = hashlib.sha256(b"PeterNeumann\n" + material).digest()[:4].hex()
        return f"PeterNeumann+{key_id}+{base64.b64encode(material).decode()}"

    with pytest.raises(NoteError, match="only Ed25519"):
        parse_verifier_key(key_with(b"\x02" + public))
    with pytest.raises(NoteError, match="32 bytes"):
        parse_verifier_key(key_with(b"\x01" + public + b"\x00"))
    with pytest.raises(NoteError, match="private key"):
        parse_verifier_key(GO_SKEY)


def test_verifier_equality_is_by_value() -> None:
    verifier = parse_verifier_key(GO_VKEY)
    assert verifier == Verifier(verifier.name, verifier.key_id, verifier.public_key)


# --- hostile input never raises anything but NoteError --------------------------------------


@given(st.text(max_size=300))
def test_arbitrary_text_gives_note_error_or_a_result(text: str) -> None:
    verifier = parse_verifier_key(GO_VKEY)
    for parse in (
        lambda: open_note(text, [verifier]),
        lambda: parse_checkpoint_text(text),
        lambda: parse_verifier_key(text),
        lambda: parse_signer_key(text),
    ):
        with contextlib.suppress(NoteError):
            parse()


@given(st.data())
def test_mangled_notes_give_note_error_or_their_true_text(data: st.DataObject) -> None:
    verifier = parse_verifier_key(GO_VKEY)
    position = data.draw(st.integers(min_value=0, max_value=len(GO_NOTE) - 1))
    replacement = data.draw(st.text(max_size=3))
    mangled = GO_NOTE[:position] + replacement + GO_NOTE[position + 1 :]
    try:
        text = open_note(mangled, [verifier])
    except NoteError:
        return
    assert text == GO_TEXT  # only a change that leaves the signed text valid may pass
