"""`python -m bench opinion-map-replay [--seeds 0-9] [--interval-ms 1000] [--conversations ...]`.

Agreement with Pol.is's `group-id` (adjusted Rand index on the participants both place), with
and without replay, on the shared Pol.is conversations (tests/data/polis), per seed:

* without: `compute_opinion_map(read_polis_export(dir), seed=s)`, the batch engine;
* with: `replay_opinion_map(read_vote_events(dir), seed=s, interval_ms=...)`, every update of
  the conversation's history replayed as Pol.is's math worker computed it
  (docs/analytics.md, "Replay: Pol.is's update rules").

ARI is scikit-learn's `adjusted_rand_score` when installed, else the same formula (Hubert &
Arabie 1985) in numpy. Pol.is data: CC BY 4.0, The Computational Democracy Project (see
tests/data/polis/README.md).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.opinion_map_replay import (
    POLL_INTERVAL_MS,
    read_vote_events,
    replay_opinion_map,
    update_batches,
)
from polyvox.analytics.polis_io import read_polis_export, read_polis_group_ids
from polyvox.analytics.types import OpinionMap

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "polis"
REAL = ["vtaiwan.uberx", "canadian-electoral-reform", "15-per-hour-seattle"]


def adjusted_rand(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """scikit-learn's adjusted_rand_score if installed, else the same formula in numpy."""
    try:
        from sklearn.metrics import adjusted_rand_score
    except ImportError:
        _, ai = np.unique(np.asarray(a), return_inverse=True)
        _, bi = np.unique(np.asarray(b), return_inverse=True)
        table = np.zeros((ai.max() + 1, bi.max() + 1))
        np.add.at(table, (ai, bi), 1)

        def pairs(x: npt.NDArray[np.float64]) -> float:
            return float((x * (x - 1) / 2).sum())

        n = len(ai)
        index, rows, cols = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
        expected = rows * cols / (n * (n - 1) / 2)
        denom = (rows + cols) / 2 - expected
        return 1.0 if denom == 0 else (index - expected) / denom
    return float(adjusted_rand_score(a, b))


def ari_vs_polis(om: OpinionMap, ref: dict[int, int]) -> float:
    ours = dict(zip(om.participant_ids.tolist(), om.labels.tolist(), strict=True))
    common = [p for p in ref if p in ours]
    return adjusted_rand([ref[p] for p in common], [ours[p] for p in common])


def _seeds(text: str) -> list[int]:
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(x) for x in text.split(",")]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench opinion-map-replay")
    ap.add_argument("--seeds", default="0-9", help="e.g. 0-9 or 0,3,7 (default 0-9)")
    ap.add_argument("--interval-ms", type=float, default=float(POLL_INTERVAL_MS))
    ap.add_argument("--conversations", default=",".join(REAL))
    ap.add_argument("--no-replay", action="store_true", help="only the batch engine")
    args = ap.parse_args(argv)
    seeds = _seeds(args.seeds)
    rows = []
    for name in args.conversations.split(","):
        d = DATA / name
        votes = read_polis_export(d)
        events = read_vote_events(d)
        pid, gid = read_polis_group_ids(d)
        ref = dict(zip(pid.tolist(), gid.tolist(), strict=True))
        n_updates = len(update_batches(events.timestamps, args.interval_ms))
        print(
            f"{name}: {len(events.values)} votes, {n_updates} updates of {args.interval_ms:g} ms",
            flush=True,
        )
        batch, replay = [], []
        for s in seeds:
            batch.append(ari_vs_polis(compute_opinion_map(votes, seed=s), ref))
            line = f"  seed {s}: without replay {batch[-1]:.3f}"
            if not args.no_replay:
                t = time.perf_counter()
                om = replay_opinion_map(events, seed=s, interval_ms=args.interval_ms)
                replay.append(ari_vs_polis(om, ref))
                line += f", with replay {replay[-1]:.3f} ({len(om.groups)} groups, "
                line += f"{time.perf_counter() - t:.0f} s)"
            print(line, flush=True)
        rows.append((name, batch, replay))
    print(f"\nARI vs Pol.is group-id, seeds {args.seeds}, replay interval {args.interval_ms:g} ms")
    print(f"{'conversation':28} {'without (min-max)':>20} {'with replay (min-max)':>24}")
    for name, batch, replay in rows:
        r = f"{min(replay):.3f}-{max(replay):.3f}" if replay else "-"
        print(f"{name:28} {min(batch):>9.3f}-{max(batch):.3f}{'':5} {r:>24}")
    return 0
