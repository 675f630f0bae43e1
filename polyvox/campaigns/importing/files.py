"""Reading import files: CSV or JSONL, columns matched by name (see `importing` for the mapping)."""

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from polyvox.core.text import refuse_unstorable

FIELDS = (
    "text",
    "author_name",
    "organisation",
    "stakeholder_group",
    "country",
    "date",
    "external_id",
    "email_domain",
    "network",
    "language",
)
FORMATS = ("csv", "jsonl")


def parse_mapping(text: str) -> dict[str, str]:
    """`text=body,author_name=name` → {"text": "body", "author_name": "name"}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, sep, column = part.partition("=")
        if not sep or not column.strip():
            raise ValidationError({"mapping": _("Write each mapping as field=column.")})
        mapping[name.strip()] = column.strip()
    return mapping


def column_key(name: str) -> str:
    """Header names match however they are written: "Author name", "author-name", "author_name"."""
    return "_".join(name.strip().casefold().replace("-", " ").split())


def columns_of(mapping: Mapping[str, str] | None) -> dict[str, str]:
    unknown = sorted(set(mapping or {}) - set(FIELDS))
    if unknown:
        raise ValidationError(
            {
                "mapping": _("Unknown fields: %(fields)s (known: %(known)s).")
                % {"fields": ", ".join(unknown), "known": ", ".join(FIELDS)}
            }
        )
    return {name: column_key((mapping or {}).get(name, name)) for name in FIELDS}


def format_of(path: Path, file_format: str | None) -> str:
    chosen = file_format or ("jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv")
    if chosen not in FORMATS:
        raise ValidationError({"format": _("The format must be csv or jsonl.")})
    return chosen


def read_rows(path: Path, file_format: str, columns: dict[str, str]) -> Iterator[tuple[int, Any]]:
    """(line number, row dict — or an error message for a line that is not a row)."""
    if file_format == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            reader.fieldnames = [column_key(name) for name in reader.fieldnames or []]
            if columns["text"] not in reader.fieldnames:
                raise ValidationError(
                    {
                        "path": _("The file has no “%(column)s” column.")
                        % {"column": columns["text"]}
                    }
                )
            for row in reader:
                yield reader.line_num, row
            return
    yield from _jsonl_rows(path)


# What no later step can carry: PostgreSQL refuses NUL, UTF-8 cannot encode a lone surrogate (a
# JSON escape such as "\ud800" makes one). Every other rule (control characters, invisible text)
# is the field cleaners' job, after the same trimming the web form and the API get.
_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable_in(value: Any) -> str | None:
    """The first text of a decoded row that cannot be stored (NUL, lone surrogate): its reason."""
    pending = [value]
    while pending:  # iterative: a row is at most MAX_JSON_DEPTH deep here, but stay flat anyway
        item = pending.pop()
        if isinstance(item, str) and _UNENCODABLE.search(item):
            try:
                refuse_unstorable(item, "text")
            except ValidationError as error:
                return str(error.message_dict["text"][0])
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """JSONL read line by line in bytes, so a line that is not UTF-8, not JSON, nested beyond
    reason or holding text that cannot be stored is rejected by its number and the rest kept."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield (
                    number,
                    _("This line is not UTF-8 (byte %(byte)d).") % {"byte": error.start + 1},
                )
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except RecursionError:
                yield number, _("This line is nested too deeply to be a row.")
                continue
            except json.JSONDecodeError:
                yield number, _("This line is not valid JSON.")
                continue
            if not isinstance(row, dict):
                yield number, _("This line is not a JSON object.")
                continue
            if (reason := _unstorable_in(row)) is not None:
                yield number, reason
                continue
            yield number, {column_key(str(key)): value for key, value in row.items()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
