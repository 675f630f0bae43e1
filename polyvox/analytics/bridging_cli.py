"""`polyvox analyse bridging DIR`: two bridging measures of a Pol.is export, side by side.

For every statement: the matrix-factorisation bridging score (Community Notes' note intercept,
`bridging_mf.bridging_scores`) and group-informed consensus (Small et al. 2021, the product over
opinion groups of the smoothed agree share, from `compute_opinion_map`), with each opinion
group's agree share so a reader can see why the two differ. JSON (default) or a text table,
best bridging score first; statements without a score come last. Bad input is one line on
stderr and exit status 2, as in `opinion-map`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from polyvox.analytics.bridging_mf import BridgingScores, bridging_scores
from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.opinion_map_stats import group_agreement
from polyvox.analytics.polis_io import PolisFormatError, read_polis_comments, read_polis_export
from polyvox.analytics.types import FloatArray, OpinionMap, VoteMatrix


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the subcommand's arguments."""
    parser.add_argument(
        "directory", type=Path, help="Pol.is export: comments.csv + votes.csv (or the JSON layout)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed for k-means and the fit (default 0)"
    )
    parser.add_argument(
        "--max-groups", type=int, default=5, help="largest number of opinion groups (default 5)"
    )
    parser.add_argument(
        "--min-ratings",
        type=int,
        default=5,
        help="ratings a statement needs for a score (default 5, as Community Notes)",
    )
    parser.add_argument(
        "--min-participant-ratings",
        type=int,
        default=10,
        help="ratings a participant needs to enter the fit (default 10, as Community Notes)",
    )
    parser.add_argument(
        "--format", choices=("json", "text"), default="json", help="output format (default json)"
    )


def _num(x: float, digits: int = 4) -> float | None:
    """JSON has no NaN: an unscored value is null."""
    return None if math.isnan(x) else round(float(x), digits)


def _order(scores: BridgingScores, gic: FloatArray) -> list[int]:
    """Scored statements by bridging score, then the rest by group-informed consensus."""
    ranked = scores.ranked().tolist()
    rest = np.flatnonzero(~scores.scored)
    rest = rest[np.lexsort((scores.statement_ids[rest], -gic[rest]))]
    return ranked + rest.tolist()


def _group_shares(votes: VoteMatrix, om: OpinionMap) -> FloatArray:
    """(groups, statements) agree share among each opinion group's votes (passes included)."""
    labels = np.full(votes.shape[0], -1, dtype=np.int64)
    labels[np.searchsorted(votes.participant_ids, om.participant_ids)] = om.labels
    return group_agreement(votes, labels).agree_rate


def as_json(
    votes: VoteMatrix, scores: BridgingScores, om: OpinionMap, seconds: float
) -> dict[str, object]:
    """The CLI's JSON document: one entry per statement, best bridging score first."""
    gic = om.group_aware_consensus_agree
    shares = _group_shares(votes, om)
    both = scores.scored & ~votes.moderated_out
    rho = (
        float(spearmanr(scores.intercept[both], gic[both]).statistic)
        if both.sum() > 2
        else float("nan")
    )
    return {
        "groups": [{"id": g.id, "members": len(g.member_ids)} for g in om.groups],
        "global_intercept": _num(scores.global_intercept),
        "converged": scores.converged,
        "iterations": scores.iterations,
        "spearman_with_group_informed_consensus": _num(rho, 3),
        "statements": [
            {
                "statement_id": int(scores.statement_ids[j]),
                "score": _num(scores.intercept[j]),
                "factor": _num(scores.factor[j]),
                "n_ratings": int(scores.n_ratings[j]),
                "group_informed_consensus": _num(gic[j]),
                "group_agree_rates": [_num(x, 3) for x in shares[:, j]],
                "moderated_out": bool(votes.moderated_out[j]),
            }
            for j in _order(scores, gic)
        ],
        "parameters": scores.parameters,
        "seconds": round(seconds, 3),
    }


def as_text(
    votes: VoteMatrix,
    scores: BridgingScores,
    om: OpinionMap,
    seconds: float,
    bodies: dict[int, str],
) -> str:
    """A table: bridging score, factor, ratings, group-informed consensus, group agree shares."""
    gic = om.group_aware_consensus_agree
    shares = _group_shares(votes, om)

    def cell(x: float, spec: str) -> str:
        return "-" if math.isnan(x) else format(x, spec)

    groups = " ".join(f"g{g.id:<3}" for g in om.groups)
    lines = [
        f"{int(scores.scored.sum())} of {len(scores.statement_ids)} statements scored, "
        f"{len(om.groups)} opinion groups ({seconds:.2f} s)",
        "score = matrix-factorisation bridging score (Community Notes intercept); "
        "GIC = group-informed consensus; g* = agree share per opinion group",
        f"{'score':>7} {'factor':>7} {'n':>5} {'GIC':>6}  {groups}  statement",
    ]
    for j in _order(scores, gic):
        sid = int(scores.statement_ids[j])
        text = " ".join(bodies.get(sid, "").split())[:70]
        rates = " ".join(f"{cell(100 * x, '3.0f')}%" for x in shares[:, j])
        mark = " (moderated out)" if votes.moderated_out[j] else ""
        lines.append(
            f"{cell(scores.intercept[j], '7.3f'):>7} {cell(scores.factor[j], '7.3f'):>7} "
            f"{int(scores.n_ratings[j]):>5} {cell(gic[j], '6.3f'):>6}  {rates}  #{sid} {text}{mark}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Read the export, compute both measures, print them; 2 on bad input."""
    started = time.perf_counter()
    prog = "polyvox analyse bridging"
    try:
        votes = read_polis_export(args.directory)
        bodies = (
            {c.statement_id: c.body for c in read_polis_comments(args.directory)}
            if args.format == "text"
            else {}
        )
    except PolisFormatError as exc:
        sys.stderr.write(f"{prog}: error: {exc}\n")
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"{prog}: error: cannot read {args.directory}: {exc}\n")
        return 2
    if args.max_groups < 2:
        sys.stderr.write(f"{prog}: error: --max-groups must be at least 2\n")
        return 2
    if args.min_ratings < 1 or args.min_participant_ratings < 1:
        sys.stderr.write(
            f"{prog}: error: --min-ratings and --min-participant-ratings must be at least 1\n"
        )
        return 2
    scores = bridging_scores(
        votes,
        seed=args.seed,
        min_ratings=args.min_ratings,
        min_participant_ratings=args.min_participant_ratings,
    )
    om = compute_opinion_map(votes, seed=args.seed, max_groups=args.max_groups)
    seconds = time.perf_counter() - started
    if args.format == "json":
        sys.stdout.write(json.dumps(as_json(votes, scores, om, seconds)) + "\n")
    else:
        sys.stdout.write(as_text(votes, scores, om, seconds, bodies) + "\n")
    return 0
