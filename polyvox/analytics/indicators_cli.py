"""`polyvox analyse indicators FILE.json`: a process's indicators from counts, no database needed.

FILE.json holds counts (what the database's GROUP BY queries give):
`{"participation": [{"stakeholder_group", "region", "global_south", "gender", "count"}],
"groups": [...], "targets": [{"dimension", "value", "min_share"}], "inputs", "answered",
"answered_with_reason", "days_to_answer": {"DAYS": COUNT}, "replies", "cross_group_replies",
"by_organisation": {"NAME": COUNT}, "campaign_inputs"}`; every key is optional. Prints the
figures as JSON, small cells suppressed (null). Bad input: one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from polyvox.analytics.indicators import concentration, interaction, responsiveness
from polyvox.analytics.indicators_participation import Slice, Target, participation

__all__ = ["add_arguments", "figures", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the `indicators` subcommand."""
    parser.add_argument("file", type=Path, help="JSON file of counts (see --help of the module)")


def run(args: argparse.Namespace) -> int:
    """Read, compute, print; 2 on bad input."""
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the file must hold a JSON object")
        result = figures(data)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        sys.stderr.write(f"polyvox analyse indicators: error: {exc}\n")
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def figures(data: dict[str, Any]) -> dict[str, Any]:
    """The indicators of the counts in `data` (the module's format)."""
    slices = [
        Slice(
            stakeholder_group=str(row["stakeholder_group"]),
            region=str(row.get("region", "")),
            global_south=bool(row.get("global_south", False)),
            gender=str(row.get("gender", "")),
            count=_count(row["count"]),
        )
        for row in data.get("participation", [])
    ]
    targets = [
        Target(str(t["dimension"]), str(t.get("value", "")), float(t["min_share"]))
        for t in data.get("targets", [])
    ]
    found = participation(slices, targets=targets, groups=list(data.get("groups", [])))
    inputs = _count(data.get("inputs", found.inputs))
    answered = _count(data.get("answered", 0))
    days = {float(k): _count(v) for k, v in dict(data.get("days_to_answer", {})).items()}
    return {
        "participation": asdict(found),
        "responsiveness": asdict(
            responsiveness(
                inputs=inputs,
                answered=answered,
                answered_with_reason=_count(data.get("answered_with_reason", 0)),
                days_to_answer=days,
            )
        ),
        "interaction": asdict(
            interaction(
                replies=_count(data.get("replies", 0)),
                cross_group_replies=_count(data.get("cross_group_replies", 0)),
                answers_given=answered,
            )
        ),
        "concentration": asdict(
            concentration(
                by_organisation={
                    str(k): _count(v) for k, v in dict(data.get("by_organisation", {})).items()
                },
                inputs=inputs,
                campaign_inputs=_count(data.get("campaign_inputs", 0)),
            )
        ),
    }


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count must be a whole number ≥ 0, got {value!r}")
    return value
