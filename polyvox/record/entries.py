"""The bytes of a record entry and the export format (pure; stdlib and ``rfc8785``).

A leaf of the record's Merkle tree (RFC 9162 §2.1.1) is the RFC 8785 (JSON Canonicalization
Scheme) serialisation of exactly ``{"index", "kind", "recorded_at", "payload"}``: keys sorted
by UTF-16 code units (§3.2.3), numbers in ECMAScript's shortest round-trip form (§3.2.2.3),
strings with the minimal escaping (§3.2.2.2). Every language with a JCS library gets the same
bytes, so anyone can recompute the tree from an export. The canonical form comes from the
maintained ``rfc8785`` package; nothing here re-implements it.

An export is JSON Lines: one canonical entry per line, in index order (``entry_line``).
"""

import json
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import rfc8785

ENTRY_FIELDS = ("index", "kind", "recorded_at", "payload")


def _first_problem(value: Any) -> str:
    """A short path to the first part of ``value`` that cannot be canonicalised."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f" (key {key!r} is not a string)"
            try:
                rfc8785.dumps(item)
            except rfc8785.CanonicalizationError:
                return f".{key}" + _first_problem(item)
    elif isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            try:
                rfc8785.dumps(item)
            except rfc8785.CanonicalizationError:
                return f"[{position}]" + _first_problem(item)
    return ""


def leaf_bytes(entry: Mapping[str, Any]) -> bytes:
    """The RFC 8785 canonical JSON of the entry's four public fields (UTF-8 bytes).

    Raises ValueError with a clear message when a field is missing or a value has no JSON
    canonical form: NaN or infinity, an integer beyond +-(2^53 - 1), a non-string object key,
    a lone surrogate in a string, or a value that is not JSON at all (a date, a Decimal…).
    """
    missing = [field for field in ENTRY_FIELDS if field not in entry]
    if missing:
        raise ValueError(f"record entry is missing {', '.join(missing)}")
    body = {field: entry[field] for field in ENTRY_FIELDS}
    try:
        return rfc8785.dumps(body)
    except rfc8785.CanonicalizationError as error:
        _refuse(body, error)


def _refuse(body: dict[str, Any], error: Exception) -> NoReturn:
    where = "entry" + _first_problem(body)
    raise ValueError(
        f"record entry cannot be written as canonical JSON (RFC 8785) at {where}: {error}"
    ) from error


def entry_line(entry: Mapping[str, Any]) -> str:
    """One line of an export: the entry's canonical JSON and a newline."""
    return leaf_bytes(entry).decode("utf-8") + "\n"


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON value")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_jsonl(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Parse JSON Lines; a malformed line raises ValueError naming its line number.

    Blank lines are skipped. Stricter than ``json.loads``: NaN and Infinity and an object
    with a repeated key are refused (each would make the line's meaning ambiguous).
    """
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(
                line, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicate_keys
            )
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not valid JSON ({error.msg})") from error
        except (ValueError, RecursionError) as error:
            raise ValueError(f"line {number}: not valid JSON ({error})") from error
        if not isinstance(entry, dict):
            raise ValueError(f"line {number}: expected a JSON object")
        entries.append(entry)
    return entries
