"""`polyvox analyse decision POSITIONS.csv --rules NAME[,NAME…]`: what positions decide.

POSITIONS.csv has the header `voter,group,position` (other columns are ignored), positions spelled
`support`, `can-live-with`, `oppose`, `block`, `abstain`, `absent`. Prints
`{"results": [{"rule", "passed", "reason", "groups": {GROUP: {"in_favour", "against", "abstain",
"absent", "members"}}}]}` in the order of `--rules` (every preset when `--rules` is left out), or a
table with `--format table`. Bad input is one line on stderr naming the line, and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from polyvox.analytics.decision_rules import (
    POSITIONS,
    RULES,
    ChamberRule,
    GroupTally,
    Result,
    parse_chamber,
    tally,
    what_if,
)

__all__ = ["InputError", "add_arguments", "as_json", "as_table", "read_positions", "run"]

COLUMNS = ("voter", "group", "position")


class InputError(ValueError):
    """A problem with the input or the options, reported to the user as one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the `decision` subcommand."""
    parser.add_argument("file", type=Path, help="CSV with the header voter,group,position")
    parser.add_argument(
        "--rules",
        default=",".join(RULES),
        help=f"rule sets, comma-separated, in the order to print (default: all: {', '.join(RULES)})",
    )
    parser.add_argument(
        "--chamber",
        action="append",
        default=[],
        metavar="GROUP=THRESHOLD",
        help='for the chambers rule: a group\'s threshold, e.g. "government=2/3:members" or '
        '"civil-society=>1/2:votes" (repeatable; default: more than half of votes cast)',
    )
    parser.add_argument(
        "--format", choices=("json", "table"), default="json", help="output format (default json)"
    )


def run(args: argparse.Namespace) -> int:
    """Read, decide, print; 2 on bad input."""
    try:
        rules = parse_rules(args.rules)
        chambers = parse_chambers(args.chamber)
        groups = read_positions(args.file)
    except InputError as exc:
        sys.stderr.write(f"polyvox analyse decision: error: {exc}\n")
        return 2
    results = what_if(groups, rules=rules, chambers=chambers)
    if args.format == "json":
        json.dump(as_json(results), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(as_table(results, groups, chambers))
    return 0


def parse_rules(text: str) -> list[str]:
    """`NAME[,NAME…]` → names, in order; InputError listing the known rules."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise InputError(f"--rules names no rule, known rules: {', '.join(RULES)}")
    for name in names:
        if name not in RULES:
            raise InputError(f"unknown rule {name!r}, known rules: {', '.join(RULES)}")
    return names


def parse_chambers(specs: Sequence[str]) -> dict[str, ChamberRule]:
    """`GROUP=THRESHOLD` options → `{group: ChamberRule}`."""
    chambers: dict[str, ChamberRule] = {}
    for spec in specs:
        group, sep, threshold = spec.partition("=")
        group = group.strip()
        if not sep or not group:
            raise InputError(f'--chamber {spec!r}: expected GROUP=THRESHOLD, e.g. "x=2/3:members"')
        if group in chambers:
            raise InputError(f"--chamber {spec!r}: group {group!r} is given twice")
        try:
            chambers[group] = parse_chamber(threshold)
        except ValueError as exc:
            raise InputError(f"--chamber {spec!r}: {exc}") from None
    return chambers


def read_positions(path: Path) -> dict[str, GroupTally]:
    """The tally of a positions CSV; InputError naming the file and line."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    rows: list[tuple[str, str, str]] = []
    first_line: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            csv.field_size_limit(1 << 20)
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: empty file, expected the header voter,group,position")
            header = [name.strip().lower() for name in header]
            missing = [column for column in COLUMNS if column not in header]
            if missing:
                raise InputError(
                    f"{path}:1: missing column {missing[0]!r}, "
                    f"the header must name voter,group,position (it has {','.join(header)})"
                )
            v, g, p = (header.index(column) for column in COLUMNS)
            need = max(v, g, p)
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= need:
                    raise InputError(f"{path}:{line}: {len(row)} fields, expected {len(header)}")
                voter, group, position = row[v].strip(), row[g].strip(), row[p].strip().lower()
                if "\x00" in voter + group + position:
                    raise InputError(f"{path}:{line}: a NUL character")
                if not voter:
                    raise InputError(f"{path}:{line}: the voter is empty")
                if not group:
                    raise InputError(f"{path}:{line}: the group of {voter!r} is empty")
                if position not in POSITIONS:
                    raise InputError(
                        f"{path}:{line}: unknown position {row[p].strip()!r}, "
                        f"known positions: {', '.join(POSITIONS)}"
                    )
                if voter in first_line:
                    raise InputError(
                        f"{path}:{line}: duplicate voter {voter!r} "
                        f"(already on line {first_line[voter]})"
                    )
                first_line[voter] = line
                rows.append((voter, group, position))
    except csv.Error as exc:
        raise InputError(f"{path}: bad CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return tally(rows)


def as_json(results: Sequence[Result]) -> dict[str, object]:
    """The documented JSON shape."""
    return {"results": [result.to_json() for result in results]}


def as_table(
    results: Sequence[Result],
    groups: Mapping[str, GroupTally],
    chambers: Mapping[str, ChamberRule] | None = None,
) -> str:
    """A readable table: the tally by group, then one line per rule with its reason."""
    columns = ("in_favour", "against", "abstain", "absent", "members")
    titles = ("group", "in favour", "against", "abstain", "absent", "members")
    rows = [[name, *(str(group.to_json()[c]) for c in columns)] for name, group in groups.items()]
    if len(groups) > 1:
        total = GroupTally()
        for group in groups.values():
            total = total + group
        rows.append(["(all)", *(str(total.to_json()[c]) for c in columns)])
    widths = [max(len(row[i]) for row in [list(titles), *rows]) for i in range(len(titles))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = "  ".join(
            cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)
        )
        return f"{first}  {rest}".rstrip()

    out = [line(titles), *(line(row) for row in rows)]
    if not groups:
        out.append("(no positions)")
    if chambers:
        out.append("")
        out.extend(f"chamber {name}: {rule.describe()}" for name, rule in chambers.items())
    out.append("")
    rule_width = max(len(result.rule) for result in results)
    for result in results:
        verdict = "passed" if result.passed else "not passed"
        out.append(f"{result.rule.ljust(rule_width)}  {verdict.ljust(10)}  {result.reason}")
    return "\n".join(out) + "\n"
