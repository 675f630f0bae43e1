"""Pol.is export reading/writing: sign convention, latest vote wins, moderation, JSON layout."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyvox.analytics.polis_io import (
    PolisComment,
    PolisFormatError,
    read_polis_comments,
    read_polis_export,
    read_polis_group_ids,
    write_polis_export,
)
from polyvox.analytics.types import VoteMatrix
from tests.data.polis_data import polis_conversation

CONVERSATIONS = ["vtaiwan.uberx", "canadian-electoral-reform", "15-per-hour-seattle"]


def _write(d: Path, name: str, text: str) -> None:
    (d / name).write_text(text, encoding="utf-8")


COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,x,0,5,1,1,1,First\n"
    '2,x,1,5,0,1,-1,"Second, with comma"\n'
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "10,x,0,7,-1\n"
    "30,x,0,7,1\n"  # later: counts
    "20,x,0,8,-1\n"
    "40,x,1,8,-1\n"
    "5,x,1,7,1\n"
    "1,x,1,7,0\n"  # earlier than the line above though later in the file
)


def test_polis_io_latest_vote_wins_and_moderation(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS)
    _write(tmp_path, "votes.csv", VOTES)
    vm = read_polis_export(tmp_path)
    assert vm.participant_ids.tolist() == [7, 8]
    assert vm.statement_ids.tolist() == [0, 1]
    assert vm.moderated_out.tolist() == [False, True]
    got = {
        (int(vm.participant_ids[r]), int(vm.statement_ids[c])): int(v)
        for r, c, v in zip(vm.rows, vm.cols, vm.values, strict=True)
    }
    assert got == {(7, 0): 1, (8, 0): -1, (8, 1): -1, (7, 1): 1}


def test_polis_io_sign_is_checked_against_counts(tmp_path: Path) -> None:
    # A file whose 1 means disagree (counts say comment 0 has 0 agrees, 2 disagrees).
    _write(tmp_path, "comments.csv", "comment-id,agrees,disagrees,moderated\n0,0,2,1\n")
    _write(tmp_path, "votes.csv", "timestamp,comment-id,voter-id,vote\n1,0,1,1\n2,0,2,1\n")
    vm = read_polis_export(tmp_path)
    assert vm.values.tolist() == [-1, -1]


def test_polis_io_participants_votes_fallback(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS)
    _write(
        tmp_path,
        "participants-votes.csv",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n7,0,0,2,2,0,1,1\n8,,0,2,0,2,-1,-1\n9,1,0,0,0,0,,\n",
    )
    vm = read_polis_export(tmp_path)
    assert vm.n_votes == 4
    assert sorted(vm.values.tolist()) == [-1, -1, 1, 1]
    pids, gids = read_polis_group_ids(tmp_path)
    assert pids.tolist() == [7, 9]
    assert gids.tolist() == [0, 1]


def test_polis_io_json_layout(tmp_path: Path) -> None:
    comments = [
        {"tid": 0, "txt": "a", "mod": 0, "agree_count": 1, "disagree_count": 0},
        {"tid": 1, "txt": "b", "mod": -1},
    ]
    # Raw API sign: agree = -1; the counts tell us to flip.
    votes = [
        {"participant_id": 3, "statement_id": 0, "vote": -1, "modified": 5},
        {"participant_id": 3, "statement_id": 1, "vote": 0, "modified": 6},
    ]
    _write(tmp_path, "comments.json", json.dumps(comments))
    _write(tmp_path, "votes.json", json.dumps(votes))
    vm = read_polis_export(tmp_path)
    assert vm.values.tolist() == [1, 0]
    assert vm.moderated_out.tolist() == [False, True]
    assert [c.body for c in read_polis_comments(tmp_path)] == ["a", "b"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "missing file"),
        ({"comments.csv": COMMENTS}, "votes.csv"),
        (
            {
                "comments.csv": COMMENTS,
                "votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,x,1\n",
            },
            "not a number",
        ),
        (
            {
                "comments.csv": COMMENTS,
                "votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,1,3\n",
            },
            "-1, 0 or 1",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,vote\n1,0,1\n"},
            "missing column",
        ),
        ({"comments.json": "{not json", "votes.json": "[]"}, "not valid JSON"),
    ],
)
def test_polis_io_bad_input_is_a_clear_error(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        _write(tmp_path, name, text)
    with pytest.raises(PolisFormatError, match=message):
        read_polis_export(tmp_path)


def test_polis_io_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(PolisFormatError, match="not a directory"):
        read_polis_export(tmp_path / "nope")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 4), st.sampled_from([-1, 0, 1])), max_size=40
    )
)
def test_polis_io_roundtrip(triples: list[tuple[int, int, int]]) -> None:
    import tempfile

    pid = [t[0] for t in triples]
    sid = [t[1] for t in triples]
    val = [t[2] for t in triples]
    vm = VoteMatrix.from_votes(pid, sid, val, all_statement_ids=range(5), moderated_out_ids=[3])
    with tempfile.TemporaryDirectory() as d:
        write_polis_export(d, vm, [PolisComment(statement_id=0, author_id=1, body='x, "y"\nz')])
        back = read_polis_export(d)
        assert read_polis_comments(d)[0].body == 'x, "y"\nz'
    assert back.statement_ids.tolist() == vm.statement_ids.tolist()
    assert back.moderated_out.tolist() == vm.moderated_out.tolist()
    a = {
        (int(vm.participant_ids[r]), int(vm.statement_ids[c]), int(v))
        for r, c, v in zip(vm.rows, vm.cols, vm.values, strict=True)
    }
    b = {
        (int(back.participant_ids[r]), int(back.statement_ids[c]), int(v))
        for r, c, v in zip(back.rows, back.cols, back.values, strict=True)
    }
    assert a == b


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_polis_io_real_exports_agree_with_participants_votes(name: str) -> None:
    d = polis_conversation(name)
    vm = read_polis_export(d)
    comments = {c.statement_id: c for c in read_polis_comments(d)}
    # Sign check: our agree/disagree counts track comments.csv's (which also count superseded
    # votes, so they run slightly higher) and not the flipped ones.
    agrees = np.bincount(vm.cols[vm.values == 1], minlength=vm.shape[1])
    disagrees = np.bincount(vm.cols[vm.values == -1], minlength=vm.shape[1])
    ref_a = np.array([comments[int(s)].agrees for s in vm.statement_ids])
    ref_d = np.array([comments[int(s)].disagrees for s in vm.statement_ids])
    same = np.abs(agrees - ref_a).sum() + np.abs(disagrees - ref_d).sum()
    flipped = np.abs(agrees - ref_d).sum() + np.abs(disagrees - ref_a).sum()
    assert same < 0.1 * (ref_a.sum() + ref_d.sum()) < flipped
    assert vm.moderated_out.sum() == sum(c.moderated == -1 for c in comments.values())
    # votes.csv (latest vote per pair) equals the wide participants-votes.csv matrix.
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as t:
        shutil.copy(d / "comments.csv", t)
        shutil.copy(d / "participants-votes.csv", t)
        wide = read_polis_export(t)
    assert wide.n_votes == vm.n_votes
