"""`polyvox analyse campaigns FILE`: campaigns of near-duplicate submissions in a CSV or JSONL file.

Prints `{"clusters": [{"template_id", "member_ids", "size"}], "singletons": n, "seconds": t}`,
clusters largest first. Bad input is one line on stderr naming the line, and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from polyvox.analytics.near_duplicates import (
    DEFAULT_NUM_PERM,
    DEFAULT_SHINGLE_SIZE,
    DEFAULT_THRESHOLD,
    Groups,
    available_cpus,
    group_near_duplicates,
)

__all__ = ["InputError", "add_arguments", "read_submissions", "run"]


class InputError(ValueError):
    """A problem with the input file, reported to the user as one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the `campaigns` subcommand."""
    parser.add_argument("file", type=Path, help="submissions as CSV (with a header) or JSONL")
    parser.add_argument("--text-column", default="text", help="column or key holding the text")
    parser.add_argument("--id-column", default="id", help="column or key holding the id")
    parser.add_argument("--format", choices=["json", "text"], default="json", dest="output")
    parser.add_argument(
        "--input-format",
        choices=["auto", "csv", "jsonl"],
        default="auto",
        help="default: by extension (.csv, .jsonl, .ndjson), else by the first character",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"Jaccard similarity of word shingles to join a campaign (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument("--num-perm", type=int, default=DEFAULT_NUM_PERM)
    parser.add_argument("--shingle-size", type=int, default=DEFAULT_SHINGLE_SIZE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--jobs", type=int, default=min(2, available_cpus()), help="processes for sketching"
    )


def run(args: argparse.Namespace) -> int:
    """Read, cluster, print; 2 on bad input."""
    start = time.perf_counter()
    try:
        if not 0.0 < args.threshold <= 1.0:
            raise InputError(f"--threshold must be in (0, 1], got {args.threshold}")
        ids, texts = read_submissions(
            args.file, args.text_column, args.id_column, args.input_format
        )
        groups = group_near_duplicates(
            texts,
            ids,
            threshold=args.threshold,
            num_perm=args.num_perm,
            shingle_size=args.shingle_size,
            seed=args.seed,
            n_jobs=max(1, args.jobs),
        )
    except (InputError, ValueError) as exc:
        sys.stderr.write(f"polyvox analyse campaigns: error: {exc}\n")
        return 2
    seconds = time.perf_counter() - start
    if args.output == "json":
        json.dump(as_json(groups, seconds), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(as_text(groups, texts, seconds))
    return 0


def as_json(groups: Groups, seconds: float) -> dict[str, object]:
    """The documented JSON shape."""
    return {
        "clusters": [
            {"template_id": c.template_id, "member_ids": list(c.member_ids), "size": c.size}
            for c in groups.clusters
        ],
        "singletons": groups.singletons,
        "seconds": round(seconds, 3),
    }


def as_text(groups: Groups, texts: list[str], seconds: float) -> str:
    """A short human-readable summary: one line per campaign."""
    in_clusters = sum(c.size for c in groups.clusters)
    lines = [
        f"{len(groups.clusters)} campaigns with {in_clusters} submissions, "
        f"{groups.singletons} singletons, {seconds:.2f} s",
    ]
    for c in groups.clusters:
        preview = " ".join(texts[c.template_index].split())[:70]
        lines.append(f"{c.size:>8}  {c.template_id:<16}  {preview}")
    return "\n".join(lines) + "\n"


def read_submissions(
    path: Path, text_column: str, id_column: str, input_format: str = "auto"
) -> tuple[list[str], list[str]]:
    """(ids, texts) from a CSV or JSONL file; `InputError` names the file and line."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = input_format if input_format != "auto" else _sniff(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            if fmt == "jsonl":
                return _read_jsonl(handle, path, text_column, id_column)
            return _read_csv(handle, path, text_column, id_column)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc


def _sniff(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


def _read_csv(
    handle: TextIO, path: Path, text_column: str, id_column: str
) -> tuple[list[str], list[str]]:
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path}: empty file, expected a header line")
    for column in (text_column, id_column):
        if column not in header:
            raise InputError(f"{path}:1: no column {column!r} in header {header}")
    t, i = header.index(text_column), header.index(id_column)
    need = max(t, i)
    ids: list[str] = []
    texts: list[str] = []
    try:
        for row in reader:
            if len(row) <= need:
                if not row:
                    continue
                raise InputError(
                    f"{path}:{reader.line_num}: {len(row)} fields, expected {len(header)}"
                )
            ids.append(row[i])
            texts.append(row[t])
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: bad CSV: {exc}") from exc
    return ids, texts


def _read_jsonl(
    handle: TextIO, path: Path, text_column: str, id_column: str
) -> tuple[list[str], list[str]]:
    ids: list[str] = []
    texts: list[str] = []
    loads = json.loads
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: expected a JSON object")
        try:
            text, ident = record[text_column], record[id_column]
        except KeyError as exc:
            raise InputError(f"{path}:{number}: no key {exc.args[0]!r}") from exc
        if not isinstance(text, str):
            raise InputError(f"{path}:{number}: {text_column!r} is not a string")
        ids.append(str(ident))
        texts.append(text)
    return ids, texts
