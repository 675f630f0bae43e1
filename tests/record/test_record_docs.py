"""docs/record.md's worked example is a test vector: every value in it is checked here, with the
log-format code a verifier in another language would reimplement."""

import base64
import hashlib
import json
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from polyvox.record.entries import leaf_bytes
from polyvox.record.merkle import leaf_hash, node_hash, root_from_leaf_hashes, verify_inclusion
from polyvox.record.notes import parse_verifier_key, verify_checkpoint

DOC = (Path(__file__).parents[2] / "docs" / "record.md").read_text(encoding="utf-8")
EXAMPLE = DOC[DOC.index("### A worked example") : DOC.index("## Proofs")]
BLOCKS = re.findall(r"```\n(.*?)```", EXAMPLE, flags=re.DOTALL)


def test_the_published_key_is_the_documented_seeds():
    key = parse_verifier_key(BLOCKS[0].strip())
    seed = hashlib.sha256(b"polyvox docs example key").digest()
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()

    assert key.name == "records.example.org"
    assert key.public_key == public
    assert key.key_id == hashlib.sha256(b"records.example.org\n\x01" + public).digest()[:4]


def test_the_export_lines_are_canonical_and_make_the_signed_root():
    lines = BLOCKS[1].splitlines()
    entries = [json.loads(line) for line in lines]
    assert [leaf_bytes(entry).decode() for entry in entries] == lines
    leaves = [leaf_hash(leaf_bytes(entry)) for entry in entries]

    assert [leaf.hex()[:8] for leaf in leaves] == ["63f9426b", "5f098aba", "eb318677"]
    assert node_hash(leaves[0], leaves[1]).hex().startswith("9d4433f0")
    root = root_from_leaf_hashes(leaves)
    assert root == node_hash(node_hash(leaves[0], leaves[1]), leaves[2])
    assert root.hex() in EXAMPLE

    checkpoint = verify_checkpoint(BLOCKS[2], parse_verifier_key(BLOCKS[0].strip()))
    assert (checkpoint.origin, checkpoint.size, checkpoint.root_hash) == (
        "records.example.org/p/cn-principles",
        3,
        root,
    )

    proof_text = re.search(r"entry 1 in this tree is `(\[.*?\])`", EXAMPLE, flags=re.DOTALL)
    assert proof_text is not None
    proof = [base64.b64decode(value) for value in json.loads(proof_text.group(1))]
    assert verify_inclusion(leaves[1], 1, 3, proof, root)
