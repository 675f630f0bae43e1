"""Opinion-map engine: hand-built matrices, properties (hypothesis) and real Pol.is data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyvox.analytics.opinion_map import (
    OpinionProjector,
    bridging_statements,
    closest_groups,
    compute_opinion_map,
    group_agreement,
    in_conversation,
)
from polyvox.analytics.polis_io import read_polis_export, read_polis_group_ids
from polyvox.analytics.types import VoteMatrix
from tests.data.polis_data import polis_conversation

# ARI vs Pol.is's group-id measured for red-dwarf 0.4.0 (run_pipeline, random_state 0..2 all
# equal) with `python -m bench opinion-map`, recorded in bench/RESULTS.md.
RED_DWARF_ARI = {
    "vtaiwan.uberx": 0.826,
    "canadian-electoral-reform": 1.000,
    "15-per-hour-seattle": 0.459,
}


def _dense(matrix: list[list[float]], mod: list[int] = ()) -> VoteMatrix:  # type: ignore[assignment]
    """VoteMatrix from a dense list (NaN = not voted); participant i has id 100 + i."""
    a = np.array(matrix, dtype=float)
    r, c = np.nonzero(~np.isnan(a))
    return VoteMatrix.from_votes(
        100 + r, c, a[r, c].astype(int), all_statement_ids=range(a.shape[1]), moderated_out_ids=mod
    )


def _two_camps(n: int = 10, s: int = 8, seed: int = 1) -> VoteMatrix:
    """Camp A agrees with statements 0-3 and disagrees with 4-6; camp B the reverse; all agree
    with statement 7. A few cells are left unvoted so projections differ within a camp."""
    rng = np.random.default_rng(seed)
    rows: list[list[float]] = []
    for i in range(2 * n):
        sign = 1.0 if i < n else -1.0
        row = ([sign] * 4 + [-sign] * 3 + [1.0])[:s]
        row[int(rng.integers(0, 7))] = np.nan
        rows.append(row)
    return _dense(rows)


def test_opinion_map_two_clear_camps_split() -> None:
    om = compute_opinion_map(_two_camps(), seed=0)
    assert len(om.groups) == 2
    members = [set(g.member_ids.tolist()) for g in om.groups]
    assert set(range(100, 110)) in members
    assert set(range(110, 120)) in members
    # each camp's representative statements are the ones it agrees with
    for g in om.groups:
        reps = {r.statement_id: r.direction for r in g.representative}
        assert reps
        camp_a = 100 in g.member_ids
        for sid, direction in reps.items():
            assert sid != 7
            agrees = (sid < 4) == camp_a
            assert direction == ("agree" if agrees else "disagree")


def test_opinion_map_unanimous_statement_is_consensus_not_divisive() -> None:
    om = compute_opinion_map(_two_camps(), seed=0)
    assert [c.statement_id for c in om.consensus.agree] == [7]
    assert om.consensus.disagree == ()
    agree_consensus = [
        c.statement_id for c in om.group_informed_consensus if c.direction == "agree"
    ]
    assert agree_consensus[0] == 7
    assert 7 not in [d.statement_id for d in om.divisive]
    assert om.divisive[0].statement_id in range(7)
    # group-informed consensus is the product over groups of (agree + 1) / (seen + 2)
    j = 7
    expected = 1.0
    for g in om.groups:
        rows = np.isin(om.participant_ids, g.member_ids)
        assert rows.any()
    vm = _two_camps()
    for g in om.groups:
        in_g = np.isin(vm.participant_ids[vm.rows], g.member_ids) & (vm.cols == j)
        expected *= ((vm.values[in_g] == 1).sum() + 1) / (in_g.sum() + 2)
    assert om.group_aware_consensus_agree[j] == pytest.approx(expected)


def test_opinion_map_moderated_statement_is_ignored() -> None:
    vm = _two_camps()
    mod = VoteMatrix(
        vm.participant_ids, vm.statement_ids, vm.rows, vm.cols, vm.values, vm.statement_ids == 0
    )
    om = compute_opinion_map(mod, seed=0)
    assert om.components[:, 0].tolist() == [0.0, 0.0]
    listed = [r.statement_id for g in om.groups for r in g.representative]
    listed += [c.statement_id for c in (*om.consensus.agree, *om.consensus.disagree)]
    listed += [c.statement_id for c in om.group_informed_consensus]
    listed += [d.statement_id for d in om.divisive]
    assert 0 not in listed


def test_opinion_map_in_conversation_rule() -> None:
    # 20 statements: 7 votes needed; nobody has 7, so the 15 most active are taken.
    rng = np.random.default_rng(0)
    pid, sid, val = [], [], []
    for p in range(30):
        for s in rng.choice(20, size=1 + p % 6, replace=False):
            pid.append(p)
            sid.append(int(s))
            val.append(1)
    vm = VoteMatrix.from_votes(pid, sid, val, all_statement_ids=range(20))
    mask = in_conversation(vm)
    assert mask.sum() == 15
    counts = vm.votes_per_participant()
    assert counts[mask].min() >= counts[~mask].max()
    # with only 3 statements, 3 votes are enough
    small = VoteMatrix.from_votes([1, 1, 1, 2], [0, 1, 2, 0], [1, 1, 1, 1])
    assert in_conversation(small, min_participants=0).tolist() == [True, False]


def test_opinion_map_projection_is_sparsity_aware() -> None:
    """A participant who voted on half the statements lands as far out as one who voted on all."""
    full = [[1.0, 1.0, -1.0, -1.0]] * 5 + [[-1.0, -1.0, 1.0, 1.0]] * 5
    half = [[1.0, 1.0, np.nan, np.nan]]
    vm = _dense([*full, *half])
    proj = OpinionProjector().fit(vm)
    xy = proj.transform(vm)
    assert np.linalg.norm(xy[-1]) == pytest.approx(np.linalg.norm(xy[0]), rel=0.35)
    assert np.sign(xy[-1, 0]) == np.sign(xy[0, 0])


def test_opinion_projector_places_late_participant() -> None:
    vm = _two_camps()
    proj = OpinionProjector(random_state=0).fit(vm)
    late = VoteMatrix.from_votes([999] * 4, [0, 1, 2, 99], [1, 1, 1, 1])
    xy = proj.transform(late)
    camp_a = proj.transform(vm)[:10].mean(0)
    camp_b = proj.transform(vm)[10:].mean(0)
    assert np.linalg.norm(xy[0] - camp_a) < np.linalg.norm(xy[0] - camp_b)


def test_opinion_map_group_agreement_bridging_and_closest() -> None:
    vm = _two_camps()
    om = compute_opinion_map(vm, seed=0)
    opinion = np.full(vm.shape[0], -1)
    for g in om.groups:
        opinion[np.isin(vm.participant_ids, g.member_ids)] = g.id
    stakeholder = np.arange(vm.shape[0]) % 2  # cuts across camps
    ga = group_agreement(vm, stakeholder)
    assert ga.n_seen.sum() == vm.n_votes
    assert ga.n_members.tolist() == [10, 10]
    bridges = bridging_statements(vm, [opinion, stakeholder], min_voters=5)
    assert [b.statement_id for b in bridges] == [7]
    # camp A's participant is closest to camp A's group; groups under 5 people are suppressed
    profiles = group_agreement(vm, opinion)
    row = np.array([1, 1, 1, 1, -1, -1, -1, 1], dtype=float)
    ranked = closest_groups(row, profiles)
    a_label = int(opinion[0])
    assert ranked[0].group_label == a_label
    assert ranked[0].similarity > 0 > ranked[-1].similarity
    tiny = group_agreement(vm, np.where(np.arange(20) < 3, 0, -1))
    assert closest_groups(row, tiny) == ()


def _random_votes(draw_pids: list[int], draw_sids: list[int], draw_vals: list[int]) -> VoteMatrix:
    return VoteMatrix.from_votes(draw_pids, draw_sids, draw_vals, all_statement_ids=range(6))


votes_strategy = st.lists(
    st.tuples(st.integers(0, 25), st.integers(0, 5), st.sampled_from([-1, 0, 1])),
    min_size=0,
    max_size=120,
)


@settings(max_examples=40, deadline=None)
@given(votes_strategy, st.integers(0, 3))
def test_opinion_map_properties(triples: list[tuple[int, int, int]], seed: int) -> None:
    vm = _random_votes([t[0] for t in triples], [t[1] for t in triples], [t[2] for t in triples])
    om = compute_opinion_map(vm, seed=seed)
    n = len(om.participant_ids)
    assert om.coordinates.shape == (n, 2)
    assert om.labels.shape == (n,)
    assert np.isfinite(om.coordinates).all()
    assert om.components.shape == (2, 6)
    assert len(om.groups) <= 5
    # every participant in the map is in exactly one group
    members = np.concatenate([g.member_ids for g in om.groups]) if om.groups else np.zeros(0)
    assert sorted(members.tolist()) == sorted(om.participant_ids.tolist())
    again = compute_opinion_map(vm, seed=seed)
    assert np.array_equal(om.labels, again.labels)
    assert np.array_equal(om.coordinates, again.coordinates)
    assert om.consensus == again.consensus
    assert om.group_informed_consensus == again.group_informed_consensus


def test_opinion_map_edge_cases() -> None:
    empty = VoteMatrix.from_votes([], [], [])
    om = compute_opinion_map(empty)
    assert om.groups == ()
    assert len(om.participant_ids) == 0
    one = compute_opinion_map(VoteMatrix.from_votes([1] * 3, [0, 1, 2], [1, -1, 0]))
    assert len(one.groups) == 1
    assert one.groups[0].member_ids.tolist() == [1]
    all_pass = compute_opinion_map(
        VoteMatrix.from_votes(np.repeat(np.arange(20), 8), np.tile(np.arange(8), 20), np.zeros(160))
    )
    assert np.allclose(all_pass.coordinates, 0)
    assert all_pass.consensus.agree == all_pass.consensus.disagree == ()
    assert all_pass.group_informed_consensus == ()
    dup = VoteMatrix.from_votes([1, 1, 2], [0, 0, 0], [1, -1, 1], timestamps=[2, 1, 0])
    assert dup.n_votes == 2
    assert sorted(dup.values.tolist()) == [1, 1]  # the later vote (timestamp 2) wins
    with pytest.raises(ValueError, match="two votes"):
        VoteMatrix(
            dup.participant_ids,
            dup.statement_ids,
            np.array([0, 0], np.int32),
            np.array([0, 0], np.int32),
            np.array([1, 1], np.int8),
            dup.moderated_out,
        )


CONVERSATIONS = list(RED_DWARF_ARI)
SEEDS = range(10)

# Our ARI over seeds 0-9, measured with this module's `_aris` (same figures as bench/RESULTS.md):
#   vtaiwan.uberx              .905 .903 .939 .899 .919 .959 .836 .894 .873 .710  mean .8837
#   canadian-electoral-reform  1.000 on every seed                                mean 1.000
#   15-per-hour-seattle        .750 .856 .499 .856 .750 .856 .856 .802 .856 .520  mean .7603
# The bounds sit just below: a drop of .01 on any one seed fails the mean, a lower worst seed
# fails the worst. The worst seed is *not* always at red-dwarf's level: vtaiwan seed 9.
MEAN_ARI_AT_LEAST = {
    "vtaiwan.uberx": 0.883,
    "canadian-electoral-reform": 0.999,
    "15-per-hour-seattle": 0.760,
}
WORST_ARI_AT_LEAST = {
    "vtaiwan.uberx": 0.709,
    "canadian-electoral-reform": 0.999,
    "15-per-hour-seattle": 0.499,
}


def _aris(name: str) -> list[float]:
    """ARI of our groups against Pol.is's `group-id` for each seed, on participants both place."""
    d = polis_conversation(name)
    vm = read_polis_export(d)
    pids, gids = read_polis_group_ids(d)
    ref = dict(zip(pids.tolist(), gids.tolist(), strict=True))
    out = []
    for seed in SEEDS:
        om = compute_opinion_map(vm, seed=seed)
        ours = dict(zip(om.participant_ids.tolist(), om.labels.tolist(), strict=True))
        common = sorted(set(ours) & set(ref))
        assert len(common) >= 0.95 * len(ref), seed  # we place (almost) everyone Pol.is placed
        a = np.array([ours[p] for p in common])
        b = np.array([ref[p] for p in common])
        out.append(_adjusted_rand(a, b))
    return out


def _adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985), so the test needs no scikit-learn."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index, rows, cols, total = (
        pairs(table),
        pairs(table.sum(1)),
        pairs(table.sum(0)),
        len(a) * (len(a) - 1) / 2,
    )
    expected = rows * cols / total
    return (index - expected) / ((rows + cols) / 2 - expected)


def test_the_tests_adjusted_rand_index_matches_hand_computed_values() -> None:
    # [0,0,1,1] vs [0,0,1,2]: pair index 1, row pairs 2, column pairs 1, of 6 pairs;
    # expected 2*1/6 = 1/3, so ARI = (1 - 1/3) / (1.5 - 1/3) = 4/7.
    assert _adjusted_rand(np.array([0, 0, 1, 1]), np.array([0, 0, 1, 2])) == pytest.approx(4 / 7)
    assert _adjusted_rand(np.array([0, 0, 1, 1]), np.array([5, 5, 3, 3])) == 1.0  # relabelled
    # [0,0,1,1] vs [0,1,0,1]: no agreeing pair, index 0 < expected 1/3 -> ARI = -1/2
    assert _adjusted_rand(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])) == pytest.approx(-0.5)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_opinion_map_agrees_with_polis_groups_over_ten_seeds(name: str) -> None:
    """Mean and worst ARI over seeds 0-9 hold their measured level; the mean and the default
    seed (0) are at least red-dwarf's."""
    aris = _aris(name)
    mean, worst = sum(aris) / len(aris), min(aris)
    figures = f"ARI by seed {[round(x, 3) for x in aris]}"
    assert mean >= MEAN_ARI_AT_LEAST[name], figures
    assert worst >= WORST_ARI_AT_LEAST[name], figures
    assert mean >= RED_DWARF_ARI[name] - 1e-3, figures
    assert aris[0] >= RED_DWARF_ARI[name] - 1e-3, figures


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    import argparse

    from polyvox.analytics import opinion_map_cli

    parser = argparse.ArgumentParser()
    opinion_map_cli.add_arguments(parser)
    code = opinion_map_cli.run(parser.parse_args(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_opinion_map_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from polyvox.analytics.polis_io import write_polis_export

    write_polis_export(tmp_path, _two_camps())
    code, out, _ = _cli([str(tmp_path), "--seed", "0"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "participants_in_map",
        "groups",
        "consensus",
        "group_informed_consensus",
        "divisive",
        "seconds",
    }
    assert doc["participants_in_map"] == 20
    assert sorted(len(g["members"]) for g in doc["groups"]) == [10, 10]
    assert set(doc["groups"][0]) == {"id", "members", "representative"}
    assert doc["consensus"] == {"agree": [7], "disagree": []}
    assert doc["group_informed_consensus"][0] == 7
    code, out, _ = _cli([str(tmp_path), "--format", "text"], capsys)
    assert code == 0
    assert "2 opinion groups" in out


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "not a directory"),
        ({}, "missing file"),
        ({"comments.csv": "comment-id\n0\n"}, "votes.csv"),
        (
            {"comments.csv": "comment-id\n0\n", "votes.csv": "voter-id,comment-id,vote\n1,0,1,9\n"},
            "more fields",
        ),
        (
            {"comments.csv": "comment-id\n0\n", "votes.csv": 'voter-id,comment-id,vote\n1,0,"x\n'},
            "not a number",
        ),
    ],
)
def test_opinion_map_cli_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str] | None, message: str
) -> None:
    target = tmp_path / "export"
    if files is not None:
        target.mkdir()
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
    code, out, err = _cli([str(target)], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
