"""The pyarrow votes.csv reader gives exactly what the strict stdlib reading gives, or steps aside."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from polyvox.analytics import polis_io
from polyvox.analytics.polis_io import PolisFormatError, read_polis_export
from polyvox.analytics.polis_votes_csv import read_votes_csv_fast
from polyvox.analytics.types import VoteMatrix
from tests.data.polis_data import polis_conversation

CONVERSATIONS = ["vtaiwan.uberx", "canadian-electoral-reform", "15-per-hour-seattle"]
COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,x,0,5,2,1,1,First\n"
    "2,x,1,5,0,1,-1,Second\n"
    "3,x,2,6,1,0,0,Third\n"
)


def _stdlib_export(d: Path, monkeypatch: pytest.MonkeyPatch) -> VoteMatrix:
    """The export read with the fast reader switched off: the reference."""
    with monkeypatch.context() as m:
        m.setattr(polis_io, "read_votes_csv_fast", lambda path: None)
        return read_polis_export(d)


def _same(a: VoteMatrix, b: VoteMatrix) -> None:
    for name in ("participant_ids", "statement_ids", "rows", "cols", "values", "moderated_out"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert x.tolist() == y.tolist(), name


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_fast_reader_equals_stdlib_on_real_exports(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = polis_conversation(name)
    for f in ("comments.csv", "votes.csv"):
        shutil.copy(src / f, tmp_path)
    assert read_votes_csv_fast(tmp_path / "votes.csv") is not None  # the fast path did read it
    _same(read_polis_export(tmp_path), _stdlib_export(tmp_path, monkeypatch))


EDGE_CASES = {
    # a later timestamp wins even when it comes first in the file; equal times: file order
    "duplicates": "timestamp,datetime,comment-id,voter-id,vote\n"
    "30,x,0,7,1\n10,x,0,7,-1\n5,x,1,7,1\n5,x,1,7,-1\n20,x,0,8,-1\n1,x,2,8,1\n",
    "empty": "timestamp,datetime,comment-id,voter-id,vote\n",
    "bom": "\ufefftimestamp,datetime,comment-id,voter-id,vote\n9,x,0,7,1\n3,x,0,7,-1\n",
    "quoted": 'timestamp,datetime,comment-id,voter-id,vote\n"9","Tue, 30 Jun",0,"7",1\n'
    '3,"a ""b""",1,7,"-1"\n',
    "no timestamp": "datetime,comment-id,voter-id,vote\nx,0,7,1\nx,0,7,-1\nx,1,8,0\n",
    "crlf": "timestamp,datetime,comment-id,voter-id,vote\r\n9,x,0,7,1\r\n3,x,2,8,-1\r\n",
    "empty cells": "timestamp,datetime,comment-id,voter-id,vote\n,,0,7,1\n4,,2,,-1\n",
    "column order": "vote,voter-id,comment-id,timestamp,extra\n1,7,0,4,q\n-1,7,0,2,r\n0,8,1,1,s\n",
    "blank line": "timestamp,datetime,comment-id,voter-id,vote\n9,x,0,7,1\n\n3,x,2,8,-1\n",
    "non-ascii text": "timestamp,datetime,comment-id,voter-id,vote\n9,é ü 中,0,7,1\n",
    # values only the stdlib reading accepts: the fast reader steps aside, the result is the same
    "float text": "timestamp,datetime,comment-id,voter-id,vote\n1.4e3,x,0,7,1.0\n",
    "spaces": "timestamp,datetime,comment-id,voter-id,vote\n 9,x, 0,7 ,1\n",
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_fast_reader_equals_stdlib_on_edge_cases(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    (tmp_path / "votes.csv").write_bytes(EDGE_CASES[case].encode("utf-8"))
    _same(read_polis_export(tmp_path), _stdlib_export(tmp_path, monkeypatch))


def test_latest_vote_by_timestamp(tmp_path: Path) -> None:
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    (tmp_path / "votes.csv").write_text(EDGE_CASES["duplicates"], encoding="utf-8")
    vm = read_polis_export(tmp_path)
    got = {
        (int(vm.participant_ids[r]), int(vm.statement_ids[c])): int(v)
        for r, c, v in zip(vm.rows, vm.cols, vm.values, strict=True)
    }
    assert got == {(7, 0): 1, (7, 1): -1, (8, 0): -1, (8, 2): 1}


def test_bom_header_keeps_timestamps(tmp_path: Path) -> None:
    """With a BOM the first column is still `timestamp`, so the later vote wins."""
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    (tmp_path / "votes.csv").write_text(EDGE_CASES["bom"], encoding="utf-8")
    vm = read_polis_export(tmp_path)
    assert vm.values.tolist() == [1]


MALFORMED = {
    "not a number": ("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,1\n2,x,0,abc,1\n", r"votes\.csv:3: voter-id is not a number: 'abc'"),
    "vote out of range": ("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,2\n", r"votes\.csv: votes must be -1, 0 or 1"),
    "vote overflow": ("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,99999999999999999999\n", r"votes\.csv: a voter-id, comment-id or vote exceeds 64 bits"),
    "missing column": ("timestamp,comment-id,vote\n1,0,1\n", r"votes\.csv: missing column\(s\) voter-id"),
    "extra field": ("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,1,9\n", r"votes\.csv:2: more fields than the header"),
    "not utf-8": (b"timestamp,datetime,comment-id,voter-id,vote\n1,\xff\xfe,0,7,1\n", r"votes\.csv: not UTF-8 text"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_votes_errors_name_file_line_and_field(case: str, tmp_path: Path) -> None:
    text, message = MALFORMED[case]
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (tmp_path / "votes.csv").write_bytes(data)
    with pytest.raises(PolisFormatError, match=message):
        read_polis_export(tmp_path)


def test_large_random_export_matches_stdlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many votes with repeats and shuffled timestamps: the same matrix by both readers."""
    rng = np.random.default_rng(7)
    n = 20_000
    pid = rng.integers(0, 500, n)
    sid = rng.integers(0, 3, n)
    val = rng.integers(-1, 2, n)
    ts = rng.integers(0, 1000, n)  # many equal timestamps: file order breaks ties
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    lines += [f"{t},d,{s},{p},{v}" for t, s, p, v in zip(ts, sid, pid, val, strict=True)]
    (tmp_path / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    (tmp_path / "votes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = read_polis_export(tmp_path)
    _same(fast, _stdlib_export(tmp_path, monkeypatch))
    assert fast.n_votes == len({(p, s) for p, s in zip(pid.tolist(), sid.tolist(), strict=True)})
