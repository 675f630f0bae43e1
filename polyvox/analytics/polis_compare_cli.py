"""`polyvox analyse compare-polis DIR`: how Polyvox's opinion map agrees with Pol.is's own.

DIR is a Pol.is export with Pol.is's math output (`math-pca2.json` or `math-pca2`). Without
it, a CSV export whose `participants-votes.csv` carries Pol.is's `group-id` still gives the
group agreement (representative and consensus are then null). Bad input or nothing to
compare is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.polis_compare import (
    ListAgreement,
    PolisComparison,
    compare_groups,
    compare_with_polis,
)
from polyvox.analytics.polis_io import (
    PolisFormatError,
    find_math_file,
    read_polis_export,
    read_polis_group_ids,
)
from polyvox.analytics.polis_math import read_polis_math

PROG = "polyvox analyse compare-polis"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the subcommand's arguments."""
    parser.add_argument(
        "directory", type=Path, help="Pol.is export with Pol.is's math output (math-pca2.json)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed for k-means (default 0)")
    parser.add_argument(
        "--max-groups", type=int, default=5, help="largest number of opinion groups (default 5)"
    )
    parser.add_argument(
        "--format", choices=("json", "text"), default="json", help="output format (default json)"
    )


def _number(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


def _list(x: ListAgreement | None) -> dict[str, object] | None:
    if x is None:
        return None
    return {"jaccard": round(x.jaccard, 4), "polis": list(x.polis), "polyvox": list(x.polyvox)}


def as_json(c: PolisComparison, source: str) -> dict[str, object]:
    """The CLI's JSON document."""
    g = c.groups
    return {
        "source": source,
        "groups": {
            "ari": _number(g.ari),
            "polis": g.polis_groups,
            "polyvox": g.polyvox_groups,
            "participants_compared": g.participants_compared,
            "polis_placed": g.polis_placed,
            "polyvox_placed": g.polyvox_placed,
        },
        "representative": None
        if c.representative is None
        else [
            {
                "polis_group": r.polis_group,
                "polyvox_group": r.polyvox_group,
                "shared_members": r.shared_members,
                "jaccard": round(r.jaccard, 4),
                "polis": list(r.polis),
                "polyvox": list(r.polyvox),
            }
            for r in c.representative
        ],
        "consensus": None
        if c.consensus_agree is None and c.consensus_disagree is None
        else {"agree": _list(c.consensus_agree), "disagree": _list(c.consensus_disagree)},
    }


def as_text(c: PolisComparison, source: str) -> str:
    """A short human summary of the same figures."""
    g = c.groups
    lines = [
        f"Compared with Pol.is's {source}:",
        f"  groups: adjusted Rand index {g.ari:.3f} over {g.participants_compared} participants "
        f"({g.polis_groups} Pol.is groups, {g.polyvox_groups} Polyvox groups)",
    ]
    lines.extend(
        f"  representative, Pol.is group {r.polis_group} ~ Polyvox group {r.polyvox_group} "
        f"({r.shared_members} shared): Jaccard {r.jaccard:.2f}"
        for r in c.representative or ()
    )
    for name, x in (("agree", c.consensus_agree), ("disagree", c.consensus_disagree)):
        if x is not None:
            lines.append(
                f"  consensus {name}: Jaccard {x.jaccard:.2f} "
                f"(Pol.is {list(x.polis)}, Polyvox {list(x.polyvox)})"
            )
    return "\n".join(lines)


def _fail(message: str) -> int:
    sys.stderr.write(f"{PROG}: error: {message}" + "\n")
    return 2


def run(args: argparse.Namespace) -> int:
    """Read the export and Pol.is's result, compute our map, print the comparison; 2 on bad
    input or nothing to compare."""
    d: Path = args.directory
    if args.max_groups < 2:
        return _fail("--max-groups must be at least 2")
    try:
        votes = read_polis_export(d)
        math_file = find_math_file(d)
        polis = read_polis_math(d)
        group_ids = None
        if polis is None:
            if not (d / "participants-votes.csv").is_file():
                return _fail(f"{d} has no math-pca2.json: nothing to compare")
            group_ids = read_polis_group_ids(d)
            if len(group_ids[0]) == 0:
                return _fail(
                    f"{d} has no math-pca2.json and no group-id in participants-votes.csv: "
                    "nothing to compare"
                )
    except PolisFormatError as exc:
        return _fail(str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {d}: {exc}")
    om = compute_opinion_map(votes, seed=args.seed, max_groups=args.max_groups)
    if polis is not None and math_file is not None:
        comparison, source = compare_with_polis(om, polis), math_file.name
    elif group_ids is not None:
        polis_group_of = dict(zip(group_ids[0].tolist(), group_ids[1].tolist(), strict=True))
        groups, _ = compare_groups(om, polis_group_of)
        comparison = PolisComparison(groups, None, None, None)
        source = "participants-votes.csv"
    else:  # unreachable: one of the two was read above
        return _fail(f"{d} has no math-pca2.json: nothing to compare")
    if args.format == "json":
        sys.stdout.write(json.dumps(as_json(comparison, source)) + "\n")
    else:
        sys.stdout.write(as_text(comparison, source) + "\n")
    return 0
