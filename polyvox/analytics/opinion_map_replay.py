"""Replay a conversation as Pol.is's math worker computed it, vote batch by vote batch.

Why: Pol.is's groups depend on the order votes arrived in. Its math worker never computes a
conversation from scratch: a poller fetches the votes created since the last poll, every second,
and the conversation is updated on all votes so far, starting from the previous update's PCA,
base clusters and group clusterings, with the number of groups smoothed over updates. So the
groups in a Pol.is export cannot be reproduced from the final vote matrix alone, only by replaying
its history. Rules and sources (compdemocracy/polis, math/src/polismath; read, not copied, AGPL):

* batches: `poller.clj` `poll` asks for votes with `created` after the last one seen, every
  `polling-interval` (1000 ms by default); `conv_man.clj` `go-act!` takes every batch queued for
  the conversation and runs one `conv-update` on them. Here: votes in time order, one update per
  `interval_ms` window of `created` time that has votes (`update_batches`);
* each update: `compute_opinion_map(..., previous=state)` (see `opinion_map_state` and
  docs/analytics.md, "Replay: Pol.is's update rules"). The rating matrix holds the statements
  voted on so far (Pol.is's named matrix gains a column with a statement's first vote);
* the first update starts from `OpinionMapState.empty()`: random PCA start (seeded), k-means
  from the first k distinct points, as a new Pol.is conversation starts.

Moderation times are not in the export, so the final moderation applies throughout.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from polyvox.analytics.opinion_map import (
    GROUP_K_BUFFER,
    MIN_VOTES,
    PCA_ITERS,
    advance_state,
    compute_opinion_map,
)
from polyvox.analytics.opinion_map_state import OpinionMapState
from polyvox.analytics.polis_io import PolisFormatError, read_polis_export
from polyvox.analytics.types import IntArray, OpinionMap, VoteMatrix

POLL_INTERVAL_MS = 1000  # Pol.is poller.clj: `polling-interval` default, in milliseconds


@dataclass(frozen=True, eq=False)
class VoteEvents:
    """Every vote as cast (superseded ones included), with its time in epoch milliseconds."""

    participant_ids: IntArray
    statement_ids: IntArray
    values: npt.NDArray[np.int64]
    timestamps: npt.NDArray[np.float64]
    moderated_out_ids: IntArray

    def __post_init__(self) -> None:
        n = len(self.values)
        if not (len(self.participant_ids) == len(self.statement_ids) == len(self.timestamps) == n):
            raise ValueError(
                "participant_ids, statement_ids, values and timestamps differ in length"
            )
        if n and (self.values.min() < -1 or self.values.max() > 1):
            raise ValueError("votes must be -1, 0 or 1")
        if not np.isfinite(self.timestamps).all():
            raise ValueError("timestamps must be finite")

    def in_time_order(self) -> VoteEvents:
        """The same votes sorted by time (stable: equal times keep their order)."""
        o = np.argsort(self.timestamps, kind="stable")
        return VoteEvents(
            self.participant_ids[o],
            self.statement_ids[o],
            self.values[o],
            self.timestamps[o],
            self.moderated_out_ids,
        )

    def matrix(self, end: int | None = None) -> VoteMatrix:
        """The vote matrix of the first `end` votes in time order (latest vote per pair); its
        statements are those voted on so far, as in Pol.is's rating matrix."""
        e = len(self.values) if end is None else end
        return VoteMatrix.from_votes(
            self.participant_ids[:e],
            self.statement_ids[:e],
            self.values[:e],
            timestamps=self.timestamps[:e],
            moderated_out_ids=self.moderated_out_ids,
        )


def _epoch_ms(value: Any, where: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        return float(text) if text else 0.0
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000.0
    except ValueError:
        raise PolisFormatError(f"{where}: timestamp is not a time: {text!r}") from None


def _raw_csv(path: Path) -> tuple[list[int], list[int], list[int], list[float]]:
    pid: list[int] = []
    sid: list[int] = []
    val: list[int] = []
    ts: list[float] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if "timestamp" not in (reader.fieldnames or []):
            raise PolisFormatError(
                f"{path}: no timestamp column; --replay needs the time of each vote"
            )
        for line, row in enumerate(reader, start=2):
            try:
                pid.append(int(float(row["voter-id"])))
                sid.append(int(float(row["comment-id"])))
                val.append(int(float(row["vote"])))
            except (KeyError, TypeError, ValueError):
                raise PolisFormatError(f"{path}:{line}: bad vote row") from None
            ts.append(_epoch_ms(row.get("timestamp") or "", f"{path}:{line}"))
    return pid, sid, val, ts


def _raw_json(path: Path) -> tuple[list[int], list[int], list[int], list[float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PolisFormatError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise PolisFormatError(f"{path}: expected a JSON list of objects")

    def pick(v: dict[str, Any], keys: tuple[str, ...], i: int) -> Any:
        for k in keys:
            if v.get(k) is not None:
                return v[k]
        raise PolisFormatError(f"{path}: vote {i} lacks {' / '.join(keys)}")

    pid, sid, val, ts = [], [], [], []
    for i, v in enumerate(data):
        if not isinstance(v, dict):
            raise PolisFormatError(f"{path}: vote {i} is not an object")
        try:
            pid.append(int(pick(v, ("participant_id", "pid", "voter-id"), i)))
            sid.append(int(pick(v, ("statement_id", "tid", "comment-id"), i)))
            val.append(int(pick(v, ("vote",), i)))
        except (TypeError, ValueError):
            raise PolisFormatError(f"{path}: vote {i} is not numeric") from None
        stamp = next((v[k] for k in ("modified", "created", "timestamp") if v.get(k)), 0)
        ts.append(_epoch_ms(stamp, f"{path}: vote {i}"))
    return pid, sid, val, ts


def read_vote_events(directory: str | Path) -> VoteEvents:
    """Every vote of a Pol.is export with its time (`votes.csv` `timestamp`, or `votes.json`
    `modified`/`created`, epoch milliseconds or ISO-8601).

    The agree sign and the moderation come from `read_polis_export`, so both layouts read as
    that reader reads them. PolisFormatError, naming the file, when the votes have no times
    (e.g. only `participants-votes.csv`): a replay needs them.
    """
    d = Path(directory)
    reference = read_polis_export(d)  # validates the export; sign and moderation
    if (d / "votes.csv").is_file():
        path = d / "votes.csv"
        pid, sid, val, ts = _raw_csv(path)
    elif (d / "votes.json").is_file():
        path = d / "votes.json"
        pid, sid, val, ts = _raw_json(path)
    else:
        raise PolisFormatError(
            f"{d}: no votes.csv or votes.json; --replay needs the time of each vote "
            "(participants-votes.csv has none)"
        )
    stamps = np.array(ts, dtype=np.float64)
    if len(stamps) and not stamps.any():
        raise PolisFormatError(f"{path}: every vote timestamp is empty or 0; --replay needs them")
    values = np.array(val, dtype=np.int64)
    if len(values) and (values.min() < -1 or values.max() > 1):
        raise PolisFormatError(f"{path}: votes must be -1, 0 or 1")
    events = VoteEvents(
        np.array(pid, dtype=np.int64),
        np.array(sid, dtype=np.int64),
        values,
        stamps,
        reference.statement_ids[reference.moderated_out],
    )
    # the reader decided which sign means agree: follow it
    mine = events.matrix()
    key_ref = (
        reference.participant_ids[reference.rows] * (1 << 32)
        + reference.statement_ids[reference.cols]
    )
    key_mine = mine.participant_ids[mine.rows] * (1 << 32) + mine.statement_ids[mine.cols]
    order = np.argsort(key_ref)
    pos = np.clip(np.searchsorted(key_ref, key_mine, sorter=order), 0, max(len(order) - 1, 0))
    match = len(order) > 0
    if match:
        hit = key_ref[order[pos]] == key_mine
        agreement = int(
            (mine.values[hit].astype(np.int64) * reference.values[order[pos[hit]]]).sum()
        )
        if agreement < 0:
            events = VoteEvents(
                events.participant_ids,
                events.statement_ids,
                -events.values,
                events.timestamps,
                events.moderated_out_ids,
            )
    return events.in_time_order()


def update_batches(timestamps: npt.ArrayLike, interval_ms: float = POLL_INTERVAL_MS) -> IntArray:
    """End index (exclusive) of each update's votes, for votes sorted by time: one update per
    `interval_ms` window (counted from the first vote) that has votes, as Pol.is's poller
    fetches the votes created since its last poll every `polling-interval`."""
    ts = np.asarray(timestamps, dtype=np.float64)
    if len(ts) == 0:
        return np.zeros(0, dtype=np.int64)
    if interval_ms <= 0:
        raise ValueError("interval_ms must be positive")
    window = np.floor((ts - ts[0]) / interval_ms).astype(np.int64)
    ends = np.flatnonzero(np.diff(window) != 0) + 1
    return np.append(ends, len(ts)).astype(np.int64)


def replay_states(
    events: VoteEvents,
    *,
    seed: int = 0,
    interval_ms: float = POLL_INTERVAL_MS,
    max_groups: int = 5,
    min_votes: int = MIN_VOTES,
    group_k_buffer: int = GROUP_K_BUFFER,
    pca_iters: int = PCA_ITERS,
) -> Iterator[tuple[int, OpinionMapState]]:
    """(votes so far, state) after each update but the last, in time order."""
    ev = events.in_time_order()
    state = OpinionMapState.empty()
    for end in update_batches(ev.timestamps, interval_ms)[:-1]:
        state = advance_state(
            ev.matrix(int(end)),
            state,
            seed=seed,
            max_groups=max_groups,
            min_votes=min_votes,
            group_k_buffer=group_k_buffer,
            pca_iters=pca_iters,
        )
        yield int(end), state


def replay_opinion_map(
    events: VoteEvents,
    *,
    seed: int = 0,
    interval_ms: float = POLL_INTERVAL_MS,
    max_groups: int = 5,
    min_votes: int = MIN_VOTES,
    confidence: float = 0.90,
    pick_max: int = 5,
    group_k_buffer: int = GROUP_K_BUFFER,
    pca_iters: int = PCA_ITERS,
) -> OpinionMap:
    """The opinion map Pol.is's math worker would show after the last vote: every update of the
    conversation's history replayed in time order, each started from the previous one.

    Deterministic for a seed (the seed draws the first update's random PCA start). The result's
    `parameters` record `replay_updates` and `interval_ms`; its `state` continues the history.
    """
    ev = events.in_time_order()
    state = OpinionMapState.empty()
    n_updates = 0
    for _, after in replay_states(
        ev,
        seed=seed,
        interval_ms=interval_ms,
        max_groups=max_groups,
        min_votes=min_votes,
        group_k_buffer=group_k_buffer,
        pca_iters=pca_iters,
    ):
        state, n_updates = after, n_updates + 1
    om = compute_opinion_map(
        ev.matrix(),
        seed=seed,
        max_groups=max_groups,
        min_votes=min_votes,
        confidence=confidence,
        pick_max=pick_max,
        previous=state,
        group_k_buffer=group_k_buffer,
        pca_iters=pca_iters,
    )
    om.parameters.update(replay_updates=n_updates + 1, interval_ms=interval_ms)
    return om
