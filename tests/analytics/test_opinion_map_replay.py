"""Warm-started opinion maps (OpinionMapState) and the replay of a conversation as Pol.is's math
worker computes it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.opinion_map_state import OpinionMapState
from polyvox.analytics.polis_io import read_polis_export
from polyvox.analytics.types import VoteMatrix
from tests.analytics.test_opinion_map import _adjusted_rand

DATA = Path(__file__).resolve().parents[1] / "data" / "polis"


def _camps(
    n: int, s: int = 10, seed: int = 3, camps: int = 2, *, opposed: bool = False
) -> VoteMatrix:
    """`camps` camps of n participants with opposite views on most statements; each
    participant skips a few statements at random (so positions differ within a camp)."""
    rng = np.random.default_rng(seed)
    pid, sid, val = [], [], []
    for c in range(camps):
        lean = np.where(rng.random(s) < 0.5, 1, -1) if c else np.ones(s, dtype=int)
        if opposed:
            lean = np.full(s, 1 if c == 0 else -1)
        for i in range(n):
            for j in range(s):
                if rng.random() < 0.2:
                    continue
                pid.append(1000 * c + i)
                sid.append(j)
                val.append(int(lean[j]) if rng.random() < 0.9 else -int(lean[j]))
    return VoteMatrix.from_votes(pid, sid, val)


def test_a_warm_update_on_unchanged_votes_equals_the_cold_map() -> None:
    votes = read_polis_export(DATA / "canadian-electoral-reform")
    cold = compute_opinion_map(votes, seed=0)
    assert cold.state is not None
    warm = compute_opinion_map(votes, seed=0, previous=cold.state)
    assert np.array_equal(warm.participant_ids, cold.participant_ids)
    assert _adjusted_rand(warm.labels, cold.labels) == pytest.approx(1.0)
    cos = np.abs((warm.components * cold.components).sum(1))
    assert cos == pytest.approx(np.ones(2), abs=1e-6)
    assert np.allclose(np.abs(warm.coordinates), np.abs(cold.coordinates), atol=1e-5)
    assert warm.state is not None
    assert warm.state.n_updates == 2


def test_the_state_round_trips_through_json() -> None:
    om = compute_opinion_map(_camps(30), seed=1)
    assert om.state is not None
    doc = json.loads(json.dumps(om.state.to_json()))
    back = OpinionMapState.from_json(doc)
    assert back.to_json() == om.state.to_json()
    again = compute_opinion_map(_camps(30), seed=1, previous=back)
    same = compute_opinion_map(_camps(30), seed=1, previous=om.state)
    assert np.array_equal(again.labels, same.labels)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("base_ids"), "base_ids"),
        (lambda d: d.update(version=99), "version"),
        (lambda d: d.update(center=d["center"][:-1]), "center"),
        (lambda d: d.update(components=[["x"] * len(d["center"])] * 2), "components"),
        (lambda d: d.update(last_k="2"), "last_k"),
        (lambda d: d.update(base_of=[-5] * len(d["base_of"])), "base_of"),
        (lambda d: d["group_clusterings"][0].update(base_labels=[99]), "base_labels"),
        (lambda d: d.update(in_conv_ids=d["in_conv_ids"][::-1]), "in_conv_ids"),
    ],
)
def test_a_malformed_state_is_refused_naming_the_field(change: object, field: str) -> None:
    om = compute_opinion_map(_camps(30), seed=0)
    assert om.state is not None
    doc = om.state.to_json()
    change(doc)  # type: ignore[operator]
    with pytest.raises(ValueError, match=field):
        OpinionMapState.from_json(doc)


def test_a_warm_update_places_newcomers_and_new_statements_and_keeps_members_in() -> None:
    first = _camps(30)
    om = compute_opinion_map(first, seed=0)
    assert om.state is not None
    # a newcomer of camp 0 with 8 votes, one on a new statement 10; and participant 0, already
    # in, appears with only 2 votes (Pol.is: once in the conversation, always in)
    keep = first.participant_ids[first.rows] != 0
    pid = np.concatenate([first.participant_ids[first.rows][keep], [0, 0], [77] * 8])
    sid = np.concatenate([first.statement_ids[first.cols][keep], [0, 1], [*range(7), 10]])
    val = np.concatenate([first.values[keep], [1, 1], [1] * 8])
    later = VoteMatrix.from_votes(pid, sid, val)
    warm = compute_opinion_map(later, seed=0, previous=om.state)
    placed = dict(zip(warm.participant_ids.tolist(), warm.labels.tolist(), strict=True))
    assert 0 in placed
    assert 77 in placed
    assert placed[77] == placed[1]  # the newcomer joins camp 0
    assert len(warm.components[0]) == 11


def test_the_number_of_groups_changes_only_after_four_updates_in_a_row() -> None:
    """Plant a state that shows 3 groups on two clear camps: the 2 groups the silhouette prefers
    are shown at the fourth consecutive update that prefers them (Pol.is group-k-buffer)."""
    votes = _camps(30)
    om = compute_opinion_map(votes, seed=0)
    assert om.state is not None
    assert om.state.clustering(3) is not None
    state = dataclasses.replace(om.state, last_k=3, last_k_count=7, smoothed_k=3)
    shown, counts = [], []
    for _ in range(5):
        om = compute_opinion_map(votes, seed=0, previous=state)
        assert om.state is not None
        assert om.state.last_k == 2
        shown.append(len(om.groups))
        counts.append(om.state.last_k_count)
        state = om.state
    assert counts == [1, 2, 3, 4, 5]
    assert shown == [3, 3, 3, 2, 2]


def _timed_export(tmp_path: Path, *, timestamps: bool = True) -> Path:
    """Two opposed camps written as a Pol.is CSV export, votes a minute apart in random order."""
    from polyvox.analytics.polis_io import write_polis_export

    votes = _camps(20, seed=5, opposed=True)
    rng = np.random.default_rng(0)
    ts = 1_500_000_000_000 + rng.permutation(votes.n_votes) * 60_000
    write_polis_export(tmp_path, votes, timestamps=ts if timestamps else None)
    return tmp_path


def test_update_batches_follow_the_polling_interval() -> None:
    from polyvox.analytics.opinion_map_replay import update_batches

    ts = [0, 10, 999, 1000, 1500, 5000, 5001]
    assert update_batches(ts, 1000).tolist() == [3, 5, 7]
    assert update_batches(ts, 10_000).tolist() == [7]
    assert update_batches([], 1000).tolist() == []


def test_replay_is_deterministic_and_finds_the_camps(tmp_path: Path) -> None:
    from polyvox.analytics.opinion_map_replay import read_vote_events, replay_opinion_map

    events = read_vote_events(_timed_export(tmp_path))
    a = replay_opinion_map(events, seed=3, interval_ms=600_000)
    b = replay_opinion_map(events, seed=3, interval_ms=600_000)
    assert np.array_equal(a.participant_ids, b.participant_ids)
    assert np.array_equal(a.labels, b.labels)
    assert a.parameters["replay_updates"] > 10
    camp = (a.participant_ids >= 1000).astype(int)
    assert _adjusted_rand(camp, a.labels) == pytest.approx(1.0)


def test_replay_keeps_everyone_pol_is_placed_once_in_always_in() -> None:
    """On a shared conversation (daily updates, to stay quick): the map holds exactly the
    participants who met Pol.is's in-conv rule at some update, which include everyone Pol.is
    placed in a group."""
    from polyvox.analytics.opinion_map_replay import (
        read_vote_events,
        replay_opinion_map,
        update_batches,
    )
    from polyvox.analytics.polis_io import read_polis_group_ids

    d = DATA / "15-per-hour-seattle"
    events = read_vote_events(d)
    day = 86_400_000.0
    om = replay_opinion_map(events, seed=0, interval_ms=day)
    expected: set[int] = set()
    for end in update_batches(events.timestamps, day):
        m = events.matrix(int(end))
        counts = m.votes_per_participant()
        ids = m.participant_ids
        expected |= set(ids[counts >= min(7, m.shape[1])].tolist())
        if len(expected) < 15:  # the most active make up 15
            rest = [i for i in np.argsort(-counts, kind="stable") if ids[i] not in expected]
            expected |= {int(ids[i]) for i in rest[: 15 - len(expected)]}
    assert set(om.participant_ids.tolist()) == expected
    placed, _ = read_polis_group_ids(d)
    assert set(placed.tolist()) <= expected


def test_cli_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.analytics.test_opinion_map import _cli

    export = _timed_export(tmp_path / "timed")
    code, out, err = _cli([str(export), "--replay", "--replay-interval", "600000"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["groups"]) == 2
    for g in doc["groups"]:  # each group is one camp (ids below 1000, or from 1000)
        assert len({m >= 1000 for m in g["members"]}) == 1


def test_cli_replay_without_timestamps_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.analytics.test_opinion_map import _cli

    export = _timed_export(tmp_path / "untimed", timestamps=False)
    code, out, err = _cli([str(export), "--replay"], capsys)
    assert code == 2
    assert out == ""
    assert "votes.csv" in err
    assert "timestamp" in err
    # the same export computes fine without --replay
    assert _cli([str(export)], capsys)[0] == 0


def test_vote_events_from_the_api_json_layout_keep_time_order_and_sign(tmp_path: Path) -> None:
    """votes.json with epoch-millisecond `modified`: events come back in time order, the
    agree sign as the export reader decides it, the superseded vote kept as an event."""
    from polyvox.analytics.opinion_map_replay import read_vote_events

    comments = [
        {"statement_id": 1, "txt": "a", "agree_count": 1, "disagree_count": 1, "created": 1},
        {"statement_id": 2, "txt": "b", "agree_count": 1, "disagree_count": 0, "created": 2},
    ]
    votes = [
        {"participant_id": 7, "statement_id": 1, "vote": 1, "modified": 3000},
        {"participant_id": 8, "statement_id": 1, "vote": -1, "modified": 1000},
        {"participant_id": 7, "statement_id": 2, "vote": 1, "modified": 2000},
        {"participant_id": 8, "statement_id": 2, "vote": -1, "modified": 500},
        {"participant_id": 8, "statement_id": 2, "vote": 1, "modified": 4000},
    ]
    (tmp_path / "comments.json").write_text(json.dumps(comments), encoding="utf-8")
    (tmp_path / "votes.json").write_text(json.dumps(votes), encoding="utf-8")
    ev = read_vote_events(tmp_path)
    assert ev.timestamps.tolist() == [500, 1000, 2000, 3000, 4000]
    assert ev.participant_ids.tolist() == [8, 8, 7, 7, 8]
    assert ev.values.tolist() == [-1, -1, 1, 1, 1]
    final = ev.matrix()
    assert final.n_votes == 4  # participant 8's later vote on 2 replaces the earlier one
