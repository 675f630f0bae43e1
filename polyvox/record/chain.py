"""Canonical JSON and SHA-256 chaining of record entries (pure, stdlib only).

An entry's hash is SHA-256 over the canonical JSON of {seq, kind, recorded_at, payload, prev_hash}.
The first entry's prev_hash is 64 zeros. Anyone can re-verify an exported record with
`polyvox record verify record.jsonl` or with these ten lines in any language.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "kind", "recorded_at", "payload", "prev_hash")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: Mapping[str, Any]) -> str:
    body = {field: entry[field] for field in HASHED_FIELDS}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    broken_at: int | None = None  # 1-based line number of the first broken entry
    problem: str = ""


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> Verification:
    """Check seq continuity, prev_hash links and every hash; report the first broken entry."""
    prev = GENESIS
    count = 0
    for line, entry in enumerate(entries, start=1):
        count = line
        missing = [f for f in (*HASHED_FIELDS, "hash") if f not in entry]
        if missing:
            return Verification(False, count, line, f"missing fields: {', '.join(missing)}")
        if entry["seq"] != line:
            return Verification(False, count, line, f"seq is {entry['seq']}, expected {line}")
        if entry["prev_hash"] != prev:
            return Verification(False, count, line, "prev_hash does not match the previous entry")
        if entry_hash(entry) != entry["hash"]:
            return Verification(False, count, line, "hash does not match the entry's content")
        prev = entry["hash"]
    return Verification(True, count)


def parse_jsonl(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Parse JSON Lines; a malformed line raises ValueError naming its line number."""
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not valid JSON ({error.msg})") from error
        if not isinstance(entry, dict):
            raise ValueError(f"line {number}: expected a JSON object")
        entries.append(entry)
    return entries
