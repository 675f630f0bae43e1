"""`polyvox analyse opinion-map DIR`: an opinion map of a Pol.is export, no database needed.

Prints JSON (`--format json`, default) or a short human summary (`--format text`). Bad input is
one line on stderr and exit status 2, so scripts can tell it from a crash.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.opinion_map_replay import read_vote_events, replay_opinion_map
from polyvox.analytics.polis_io import PolisFormatError, read_polis_comments, read_polis_export
from polyvox.analytics.types import OpinionMap


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the subcommand's arguments."""
    parser.add_argument(
        "directory", type=Path, help="Pol.is export: comments.csv + votes.csv (or the JSON layout)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed for k-means (default 0)")
    parser.add_argument(
        "--max-groups", type=int, default=5, help="largest number of opinion groups (default 5)"
    )
    parser.add_argument(
        "--format", choices=("json", "text"), default="json", help="output format (default json)"
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="rebuild the map as Pol.is's math worker did: votes in time order, one warm-started "
        "update per polling interval (needs votes.csv timestamps)",
    )
    parser.add_argument(
        "--replay-interval",
        type=float,
        default=1000.0,
        metavar="MS",
        help="with --replay: milliseconds of votes per update (default 1000, Pol.is's poller)",
    )


def as_json(om: OpinionMap, seconds: float) -> dict[str, object]:
    """The CLI's JSON document (statement ids, best first). `consensus` is Pol.is's, laid out as its
    math output lists it; `group_informed_consensus` the measure of Small et al. 2021."""
    return {
        "participants_in_map": len(om.participant_ids),
        "groups": [
            {
                "id": g.id,
                "members": g.member_ids.tolist(),
                "representative": [r.statement_id for r in g.representative],
            }
            for g in om.groups
        ],
        "consensus": {
            "agree": [c.statement_id for c in om.consensus.agree],
            "disagree": [c.statement_id for c in om.consensus.disagree],
        },
        "group_informed_consensus": [c.statement_id for c in om.group_informed_consensus],
        "divisive": [d.statement_id for d in om.divisive],
        "seconds": round(seconds, 3),
    }


def as_text(om: OpinionMap, seconds: float, bodies: dict[int, str]) -> str:
    """A human summary: groups with their representative statements, consensus, divisive."""

    def body(sid: int) -> str:
        text = " ".join(bodies.get(sid, "").split())
        return f"#{sid} {text[:90]}" if text else f"#{sid}"

    lines = [
        f"{len(om.participant_ids)} participants in the map, {len(om.groups)} opinion groups ({seconds:.2f} s)"
    ]
    for g in om.groups:
        lines.append(f"\nGroup {g.id}: {len(g.member_ids)} participants")
        lines.extend(
            f"  {r.direction:8} {100 * r.n_success / max(r.n_seen, 1):3.0f}% of {r.n_seen:<5} {body(r.statement_id)}"
            for r in g.representative
        )
    lines.append("\nConsensus (Pol.is: most of everyone, by a test on all votes):")
    lines.extend(
        f"  {c.direction:8} {100 * c.p_success:3.0f}% of {c.n_trials:<5} {body(c.statement_id)}"
        for c in (*om.consensus.agree, *om.consensus.disagree)
    )
    lines.append("\nGroup-informed consensus (every opinion group leans the same way):")
    lines.extend(
        f"  {c.direction:8} {c.score:.3f}  {body(c.statement_id)}"
        for c in om.group_informed_consensus
    )
    lines.append("\nDivisive (variance of group agreement):")
    lines.extend(
        f"  {d.score:.3f} [{', '.join(f'{x:.2f}' for x in d.agree_rates)}]  {body(d.statement_id)}"
        for d in om.divisive
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Read the export, compute the map, print it; 2 on bad input."""
    started = time.perf_counter()
    try:
        votes = read_polis_export(args.directory)
        events = read_vote_events(args.directory) if getattr(args, "replay", False) else None
        bodies = (
            {c.statement_id: c.body for c in read_polis_comments(args.directory)}
            if args.format == "text"
            else {}
        )
    except PolisFormatError as exc:
        sys.stderr.write(f"polyvox analyse opinion-map: error: {exc}" + "\n")
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(
            f"polyvox analyse opinion-map: error: cannot read {args.directory}: {exc}" + "\n"
        )
        return 2
    if args.max_groups < 2:
        sys.stderr.write(
            "polyvox analyse opinion-map: error: --max-groups must be at least 2" + "\n"
        )
        return 2
    if events is not None:
        if args.replay_interval <= 0:
            sys.stderr.write(
                "polyvox analyse opinion-map: error: --replay-interval must be positive" + "\n"
            )
            return 2
        om = replay_opinion_map(
            events, seed=args.seed, max_groups=args.max_groups, interval_ms=args.replay_interval
        )
    else:
        om = compute_opinion_map(votes, seed=args.seed, max_groups=args.max_groups)
    seconds = time.perf_counter() - started
    if args.format == "json":
        sys.stdout.write(json.dumps(as_json(om, seconds)) + "\n")
    else:
        sys.stdout.write(as_text(om, seconds, bodies) + "\n")
    return 0
