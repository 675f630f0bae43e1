"""The Pol.is API's JSON layout: real conversations load as from their CSV export; times in
epoch ms or ISO-8601; malformed files are errors that name the file and the field."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from polyvox.analytics import opinion_map_cli
from polyvox.analytics.polis_io import (
    PolisFormatError,
    read_polis_comments,
    read_polis_conversation,
    read_polis_export,
    timestamp_ms,
)
from polyvox.analytics.polis_math import read_polis_math
from polyvox.analytics.types import VoteMatrix
from tests.analytics.polis_api_layout import iso, polis_group_ids, to_api_layout, write_math
from tests.data.polis_data import polis_conversation

CONVERSATIONS = ["vtaiwan.uberx", "canadian-electoral-reform", "15-per-hour-seattle"]
VARIANTS = [("iso", "raw"), ("epoch", "raw"), ("iso", "red-dwarf"), ("epoch", "red-dwarf")]


def _same(a: VoteMatrix, b: VoteMatrix) -> None:
    for field in ("participant_ids", "statement_ids", "rows", "cols", "values", "moderated_out"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


@pytest.mark.parametrize("name", CONVERSATIONS)
@pytest.mark.parametrize(("times", "keys"), VARIANTS)
def test_a_shared_conversation_loads_the_same_from_json_as_from_csv(
    tmp_path: Path, name: str, times: str, keys: str
) -> None:
    src = polis_conversation(name)
    dst = to_api_layout(src, tmp_path / name, times=times, keys=keys)  # type: ignore[arg-type]
    _same(read_polis_export(dst), read_polis_export(src))
    assert read_polis_comments(dst) == read_polis_comments(src)  # ids, bodies, times, counts


def test_an_irregular_votes_file_reads_like_a_regular_one(tmp_path: Path) -> None:
    """Mixed time forms and keys take the item-by-item path; the result is the same."""
    src = polis_conversation("15-per-hour-seattle")
    dst = to_api_layout(src, tmp_path, times="epoch", keys="raw")
    votes = json.loads((dst / "votes.json").read_text(encoding="utf-8"))
    for i, v in enumerate(votes):
        if i % 3 == 1:
            v["modified"] = iso(v["modified"])
        elif i % 3 == 2:
            v["modified"] = str(v["modified"])
        if i % 5 == 0:
            v["voter-id"] = str(v.pop("pid"))
    (dst / "votes.json").write_text(json.dumps(votes), encoding="utf-8")
    _same(read_polis_export(dst), read_polis_export(src))


def test_iso_and_epoch_times_are_the_same_milliseconds() -> None:
    ms = 1682929646239  # 2023-05-01T08:27:26.239Z
    assert timestamp_ms("2023-05-01T08:27:26.239000Z") == ms
    assert timestamp_ms("2023-05-01T08:27:26.239Z") == ms
    assert timestamp_ms("2023-05-01T10:27:26.239+02:00") == ms
    assert timestamp_ms("2023-05-01T08:27:26.239") == ms  # no offset: UTC
    assert timestamp_ms("2023-05-01T08:27:26Z") == ms - 239
    assert timestamp_ms(str(ms)) == ms
    assert timestamp_ms(ms) == ms
    assert timestamp_ms(float(ms)) == ms
    assert iso(ms) == "2023-05-01T08:27:26.239000Z"
    for bad in ("yesterday", "2023-13-01T00:00:00Z", True, None, [1], float("nan")):
        assert timestamp_ms(bad) is None


def test_comment_created_as_iso_reads_as_epoch_ms(tmp_path: Path) -> None:
    # The case: an ISO `created` stopped the import with "invalid literal for int()".
    comments = [
        {"tid": 0, "pid": 3, "txt": "a", "created": "2023-05-01T08:27:26.239000Z", "mod": 1},
        {"tid": 1, "pid": 4, "txt": "b", "created": "1682929646240", "mod": 0},
    ]
    votes = [{"pid": 3, "tid": 0, "vote": -1, "modified": "2023-05-01T08:30:00Z"}]
    (tmp_path / "comments.json").write_text(json.dumps(comments), encoding="utf-8")
    (tmp_path / "votes.json").write_text(json.dumps(votes), encoding="utf-8")
    assert [c.timestamp for c in read_polis_comments(tmp_path)] == [1682929646239, 1682929646240]
    vm = read_polis_export(tmp_path)
    assert vm.values.tolist() == [1]  # raw API keys and no counts: agree = -1, flipped


def test_meta_statements_stay_out_of_the_map_as_in_pol_is(tmp_path: Path) -> None:
    comments = [
        {"tid": 0, "txt": "a", "mod": 1, "is_meta": False},
        {"tid": 1, "txt": "how old are you?", "mod": 1, "is_meta": True},
        {"tid": 2, "txt": "c", "mod": -1},
    ]
    votes = [{"participant_id": 1, "statement_id": t, "vote": 1} for t in range(3)]
    (tmp_path / "comments.json").write_text(json.dumps(comments), encoding="utf-8")
    (tmp_path / "votes.json").write_text(json.dumps(votes), encoding="utf-8")
    assert read_polis_export(tmp_path).moderated_out.tolist() == [False, True, True]
    assert [c.is_meta for c in read_polis_comments(tmp_path)] == [False, True, False]
    # the CSV export's `is-meta` column, where present, counts the same
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "comments.csv").write_text(
        "comment-id,moderated,is-meta,comment-body\n0,1,false,a\n1,1,true,b\n2,-1,false,c\n",
        encoding="utf-8",
    )
    (csv_dir / "votes.csv").write_text(
        "timestamp,comment-id,voter-id,vote\n1,0,1,1\n2,1,1,1\n3,2,1,1\n", encoding="utf-8"
    )
    assert read_polis_export(csv_dir).moderated_out.tolist() == [False, True, True]


def test_conversation_json_gives_topic_and_description(tmp_path: Path) -> None:
    src = polis_conversation("15-per-hour-seattle")
    to_api_layout(src, tmp_path, times="iso")
    conv = read_polis_conversation(tmp_path)
    assert conv is not None
    assert (conv.conversation_id, conv.topic) == ("2demo", "$15/hour")
    assert conv.created is not None
    assert conv.created > 1e12
    assert read_polis_conversation(tmp_path / "nowhere") is None


def test_math_output_groups_are_polis_group_ids(tmp_path: Path) -> None:
    src = polis_conversation("15-per-hour-seattle")
    to_api_layout(src, tmp_path, math=True)
    math = read_polis_math(tmp_path)
    assert math is not None
    assert math.group_of() == polis_group_ids(src)
    assert math.in_conv is not None
    assert len(math.in_conv) == len(polis_group_ids(src))
    assert math.repness is None
    assert math.consensus_agree is None


def test_math_output_forms_pol_is_serves_and_stores(tmp_path: Path) -> None:
    """Column-wise or per-object base clusters, `{"id", "val"}` normal forms, a wrapper, gzip,
    and the name without extension all read the same."""
    served = {
        "base-clusters": {"id": [0, 1, 2], "members": [[10, 11], [12], [13, 14]]},
        "group-clusters": [{"id": 0, "members": [0, 2]}, {"id": 1, "members": [1]}],
        "repness": {"0": [{"tid": 5, "repful-for": "agree", "n-success": 3, "n-trials": 4}]},
        "consensus": {"agree": [{"tid": 7, "n-success": 5}, {"tid": 2}], "disagree": []},
        "group-aware-consensus": {"7": 0.8, "2": 0.5},
        "in-conv": [14, 10, 11, 12, 13],
    }
    stored = {
        "data": {
            "base-clusters": [
                {"id": 0, "members": [10, 11]},
                {"id": 1, "members": [12]},
                {"id": 2, "members": [13, 14]},
            ],
            "group-clusters": [
                {"id": 0, "val": {"id": 0, "members": [0, 2]}},
                {"id": 1, "val": {"id": 1, "members": [1]}},
            ],
            "repness": [{"id": 0, "val": [{"tid": 5, "repful-for": "agree"}]}],
            "consensus": {"agree": [7, 2], "disagree": []},
            "group-aware-consensus": {"7": 0.8, "2": 0.5},
            "in-conv": [10, 11, 12, 13, 14],
        }
    }
    results = []
    for i, (data, name, zipped) in enumerate(
        [
            (served, "math-pca2.json", False),
            (stored, "math-pca2", False),
            (served, "math-pca2", True),
        ]
    ):
        d = tmp_path / str(i)
        d.mkdir()
        raw = json.dumps(data).encode()
        (d / name).write_bytes(gzip.compress(raw) if zipped else raw)
        math = read_polis_math(d)
        assert math is not None
        results.append(math)
    for math in results:
        assert math.group_of() == {10: 0, 11: 0, 13: 0, 14: 0, 12: 1}
        assert math.in_conv is not None
        assert math.in_conv.tolist() == [10, 11, 12, 13, 14]
        assert math.consensus_agree == (7, 2)
        assert math.consensus_disagree == ()
        assert math.repness is not None
        assert [r.statement_id for r in math.repness[0]] == [5]
        assert math.group_aware_consensus == {7: 0.8, 2: 0.5}
    assert results[0].repness is not None
    assert results[0].repness[0][0].n_trials == 4
    assert read_polis_math(tmp_path) is None  # no math file: None, not an error


def _layout(tmp_path: Path) -> Path:
    d = tmp_path / "export"
    d.mkdir()
    (d / "comments.json").write_text(
        json.dumps([{"tid": 0, "txt": "a"}, {"tid": 1, "txt": "b"}]), encoding="utf-8"
    )
    votes = [
        {"pid": p, "tid": t, "vote": 1, "modified": 1000 + p} for p in range(3) for t in (0, 1)
    ]
    (d / "votes.json").write_text(json.dumps(votes), encoding="utf-8")
    return d


def _vote(**fields: object) -> str:
    rows: list[dict[str, object]] = [{"pid": 1, "tid": 0, "vote": 1, "modified": 5}] * 12
    return json.dumps([*rows, {"pid": 1, "tid": 0, "vote": 1, "modified": 5, **fields}])


MALFORMED = [
    ("votes.json", "{not json", r"votes\.json: not valid JSON"),
    ("votes.json", '{"votes": []}', r"votes\.json: expected a JSON list of objects, got an object"),
    ("votes.json", "[1, 2]", r"votes\.json: item 0: expected an object, got a number"),
    ("votes.json", '[{"tid": 0, "vote": 1}]', r"votes\.json: item 0: missing field .*'pid'"),
    (
        "votes.json",
        _vote(vote="yes"),
        r"votes\.json: item 12: field 'vote' must be -1, 0 or 1, got 'yes'",
    ),
    ("votes.json", _vote(vote=2), r"votes\.json: item 12: field 'vote' must be -1, 0 or 1, got 2"),
    ("votes.json", _vote(pid="anna"), r"votes\.json: item 12: field 'pid' must be an integer"),
    (
        "votes.json",
        _vote(modified="yesterday"),
        r"votes\.json: item 12: field 'modified' is neither epoch milliseconds nor an ISO-8601",
    ),
    (
        "comments.json",
        '[{"tid": 0, "txt": "a", "created": "2023-02-30T00:00:00Z"}]',
        r"comments\.json: item 0: field 'created' is neither epoch milliseconds nor an ISO",
    ),
    ("comments.json", '[{"txt": "a"}]', r"comments\.json: item 0: missing field .*'tid'"),
    (
        "comments.json",
        '[{"tid": 0, "txt": 5}]',
        r"comments\.json: item 0: field 'txt' must be text",
    ),
    (
        "comments.json",
        '[{"tid": 0, "mod": 7}]',
        r"comments\.json: item 0: field 'mod' must be -1, 0 or 1",
    ),
    (
        "comments.json",
        '[{"tid": 0, "is_meta": "maybe"}]',
        r"comments\.json: item 0: field 'is_meta' must be true or false, got 'maybe'",
    ),
    ("conversation.json", "[1]", r"conversation\.json: expected a JSON object, got a number"),
    (
        "conversation.json",
        '{"topic": "x", "created": "soon"}',
        r"conversation\.json: field 'created' is neither epoch milliseconds",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), MALFORMED)
def test_malformed_json_names_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    d = _layout(tmp_path)
    (d / name).write_text(text, encoding="utf-8")
    with pytest.raises(PolisFormatError, match=message):
        read_polis_export(d)
    parser = argparse.ArgumentParser()
    opinion_map_cli.add_arguments(parser)
    assert opinion_map_cli.run(parser.parse_args([str(d)])) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert name in err


MALFORMED_MATH = [
    ("{", r"math-pca2\.json: not valid JSON"),
    ("[]", r"math-pca2\.json: expected a JSON object, got a list"),
    ('{"n": 3}', r"math-pca2\.json: not Pol\.is math output: no key 'group-clusters'"),
    ('{"group-clusters": []}', r"math-pca2\.json: missing key 'base-clusters'"),
    (
        '{"base-clusters": {"id": [0], "members": [[1]]}, "group-clusters": [{"id": 0, "members": [4]}]}',
        r"math-pca2\.json: key 'group-clusters' item 0: base cluster 4 is not in 'base-clusters'",
    ),
    (
        '{"base-clusters": {"id": [0, 1], "members": [[1]]}, "group-clusters": []}',
        r"math-pca2\.json: key 'base-clusters': 'members' must be a list with one list per id",
    ),
    (
        '{"base-clusters": {"id": [0], "members": [["x"]]}, "group-clusters": []}',
        r"math-pca2\.json: key 'base-clusters': 'members' of 0 must be a list of integers, got 'x'",
    ),
    (
        '{"base-clusters": [], "group-clusters": [], "repness": {"0": [{"tid": 1, "repful-for": "maybe"}]}}',
        r"math-pca2\.json: key 'repness' group 0 item 0: 'repful-for' must be 'agree' or 'disagree'",
    ),
    (
        '{"base-clusters": [], "group-clusters": [], "consensus": {"agree": [{"n-success": 1}]}}',
        r"math-pca2\.json: key 'consensus': 'agree' item 0: 'tid' must be an integer",
    ),
    (
        '{"base-clusters": [], "group-clusters": [], "group-aware-consensus": {"3": "high"}}',
        r"math-pca2\.json: key 'group-aware-consensus': 3 must be a number",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED_MATH)
def test_malformed_math_output_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "math-pca2.json").write_text(text, encoding="utf-8")
    with pytest.raises(PolisFormatError, match=message):
        read_polis_math(tmp_path)


def test_write_math_helper_round_trips(tmp_path: Path) -> None:
    write_math(tmp_path, {1: 0, 2: 0, 3: 1}, consensus={"agree": [4], "disagree": []})
    math = read_polis_math(tmp_path)
    assert math is not None
    assert math.group_of() == {1: 0, 2: 0, 3: 1}
    assert (math.consensus_agree, math.consensus_disagree) == ((4,), ())
