"""`polyvox analyse compare-polis`: agreement figures against Pol.is's own math output."""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from polyvox.analytics import polis_compare_cli
from polyvox.analytics.cli import main
from polyvox.analytics.opinion_map import compute_opinion_map
from polyvox.analytics.polis_compare import adjusted_rand_index, jaccard
from polyvox.analytics.polis_io import read_polis_export, write_polis_export
from polyvox.analytics.types import VoteMatrix
from tests.analytics.polis_api_layout import polis_group_ids, to_api_layout, write_math
from tests.data.polis_data import polis_conversation


def _ari_by_pairs(a: list[int], b: list[int]) -> float:
    """The adjusted Rand index by enumerating every pair (no contingency table): the pairs
    together in both, in a, in b; expected = (in a)(in b)/pairs (Hubert & Arabie 1985)."""
    both = in_a = in_b = 0
    for i, j in itertools.combinations(range(len(a)), 2):
        same_a, same_b = a[i] == a[j], b[i] == b[j]
        both += same_a and same_b
        in_a += same_a
        in_b += same_b
    pairs = len(a) * (len(a) - 1) / 2
    expected = in_a * in_b / pairs
    return (both - expected) / ((in_a + in_b) / 2 - expected)


def test_adjusted_rand_index_hand_values_and_pair_count() -> None:
    # [0,0,1,1] vs [0,0,1,2]: 1 pair together in both, 2 in a, 1 in b, of 6: (1-1/3)/(1.5-1/3)
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 3, 3]) == 1.0  # relabelled
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    assert adjusted_rand_index([3, 3, 3], [1, 1, 1]) == 1.0  # both trivial: identical
    rng = np.random.default_rng(14)
    for n, k in [(30, 2), (50, 3), (80, 5)]:
        a, b = rng.integers(0, k, n).tolist(), rng.integers(0, k, n).tolist()
        assert adjusted_rand_index(a, b) == pytest.approx(_ari_by_pairs(a, b))


def test_jaccard() -> None:
    assert jaccard([1, 2, 3], [2, 3, 4]) == 0.5
    assert jaccard([], []) == 1.0
    assert jaccard([1], []) == 0.0


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    polis_compare_cli.add_arguments(parser)
    code = polis_compare_cli.run(parser.parse_args(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["15-per-hour-seattle", "canadian-electoral-reform"])
def test_compare_polis_ari_on_a_converted_conversation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    src = polis_conversation(name)
    dst = to_api_layout(src, tmp_path / name, math=True, consensus={"agree": [], "disagree": []})
    code, out, err = _run([str(dst), "--seed", "3"], capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    # What the user would check by hand: our map (same seed) against Pol.is's group-id.
    om = compute_opinion_map(read_polis_export(src), seed=3)
    ours = dict(zip(om.participant_ids.tolist(), om.labels.tolist(), strict=True))
    theirs = polis_group_ids(src)
    common = sorted(set(ours) & set(theirs))
    expected = _ari_by_pairs([theirs[p] for p in common], [ours[p] for p in common])
    assert doc["source"] == "math-pca2.json"
    assert doc["groups"]["ari"] == pytest.approx(expected, abs=1e-4)
    assert doc["groups"]["participants_compared"] == len(common)
    assert doc["groups"]["polis"] == len(set(theirs.values()))
    assert doc["groups"]["polyvox"] == len(om.groups)
    assert doc["representative"] is None  # the export has no repness to convert
    # the same figure from participants-votes.csv alone (CSV export, no math file)
    code, out, _ = _run([str(src), "--seed", "3"], capsys)
    assert code == 0
    csv_doc = json.loads(out)
    assert csv_doc["source"] == "participants-votes.csv"
    assert csv_doc["groups"] == doc["groups"]
    assert csv_doc["consensus"] is None


def _two_camps_with_shared_statements() -> VoteMatrix:
    """20 participants, two camps of 10. Statements 0 and 1: camp A agrees, B disagrees; 2 and
    3: B agrees, A disagrees; 4: everyone agrees; 5: everyone disagrees."""
    pid, sid, val = [], [], []
    for p in range(20):
        a = 1 if p < 10 else -1
        for s, v in enumerate([a, a, -a, -a, 1, -1]):
            pid.append(p)
            sid.append(s)
            val.append(v)
    return VoteMatrix.from_votes(pid, sid, val)


def test_compare_polis_on_a_hand_built_conversation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pol.is's figures worked out by hand from repness.clj's rules:
    consensus: a statement is listed when its smoothed share (1 + n) / (2 + seen) > 0.5 and its
    proportion test is significant at 90 %. Statement 4: 21/22 agree; 5: 21/22 disagree;
    0-3: 11/22 = 0.5 either way. So agree = [4], disagree = [5].
    repness, camp A: 0 and 1 (agree, 11/12 in A against 1/12 outside) and 2 and 3 (disagree)
    pass both tests; 4 and 5 have the same share in and out (repness test 0). The "best agree"
    statement Pol.is puts first is 0, already in the list. Camp B likewise: {0, 1, 2, 3}."""
    vm = _two_camps_with_shared_statements()
    write_polis_export(tmp_path, vm)
    camps = {p: (0 if p < 10 else 1) for p in range(20)}
    rep: list[dict[str, object]] = [
        {"tid": t, "repful-for": "agree" if t < 2 else "disagree"} for t in range(4)
    ]
    rep_b: list[dict[str, object]] = [
        {"tid": t, "repful-for": "disagree" if t < 2 else "agree"} for t in range(4)
    ]
    write_math(
        tmp_path, camps, repness={0: rep, 1: rep_b}, consensus={"agree": [4], "disagree": [5]}
    )
    code, out, err = _run([str(tmp_path)], capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["groups"]["ari"] == 1.0
    assert doc["groups"]["participants_compared"] == 20
    assert [r["jaccard"] for r in doc["representative"]] == [1.0, 1.0]
    assert sorted(r["shared_members"] for r in doc["representative"]) == [10, 10]
    assert doc["consensus"] == {
        "agree": {"jaccard": 1.0, "polis": [4], "polyvox": [4]},
        "disagree": {"jaccard": 1.0, "polis": [5], "polyvox": [5]},
    }
    code, out, _ = _run([str(tmp_path), "--format", "text"], capsys)
    assert code == 0
    assert "adjusted Rand index 1.000 over 20 participants" in out
    assert "consensus agree: Jaccard 1.00" in out


def test_compare_polis_without_pol_is_output_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_polis_export(tmp_path, _two_camps_with_shared_statements())
    assert main(["compare-polis", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"polyvox analyse compare-polis: error: {tmp_path} has no math-pca2.json: "
        "nothing to compare\n"
    )


@pytest.mark.parametrize(
    ("math_text", "message"),
    [
        ("{", "math-pca2.json: not valid JSON"),
        ('{"group-clusters": []}', "math-pca2.json: missing key 'base-clusters'"),
    ],
)
def test_compare_polis_bad_math_output_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], math_text: str, message: str
) -> None:
    write_polis_export(tmp_path, _two_camps_with_shared_statements())
    (tmp_path / "math-pca2.json").write_text(math_text, encoding="utf-8")
    code, out, err = _run([str(tmp_path)], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
