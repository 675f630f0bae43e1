"""Pol.is's own math output (`math-pca2.json`), read into typed results to compare with ours.

The layout was learnt from the Pol.is math worker, `math/src/polismath/math/conversation.clj`
and `repness.clj` (compdemocracy/polis, AGPL: read, not copied), the server's `pca.ts`, which
serves it at `/api/v3/math/pca2`, and red-dwarf's loader (polis-community/red-dwarf,
`reddwarf/data_loader.py`), which saves it as `math-pca2.json`:

* `in-conv`: participant ids placed on the map;
* `base-clusters`: `{"id": [bid...], "members": [[pid...]...], "x", "y", "count"}` (the
  served, column-wise form) or a list of `{"id", "members"}` (the worker's own form);
* `group-clusters`: a list of `{"id", "center", "members": [bid...]}`; a group's members are
  base-cluster ids, and a base cluster's members are participant ids;
* `repness`: `{gid: [{"tid", "repful-for": "agree"|"disagree", "n-success", "n-trials",
  "p-success", "p-test", "repness", "repness-test"}...]}` (or `[{"id", "val"}]`);
* `consensus`: `{"agree": [{"tid", ...}...], "disagree": [...]}` in Pol.is's order (best first);
  plain statement ids are accepted too;
* `group-aware-consensus`: `{tid: value}`.

Tolerated: a wrapper object (`{"data": {...}}`, `{"math": ...}`, `{"pca2": ...}`, as a database
row or a script may save it), gzip, the `{"id", "val"}` normal form `pca.ts` uses, and
missing optional parts (None). Required: `group-clusters` and `base-clusters`. Errors name the
file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from polyvox.analytics.polis_io import (
    PolisFormatError,
    as_int,
    find_math_file,
    json_type,
    load_json,
    shown,
)
from polyvox.analytics.types import IntArray

_WRAPPERS = ("data", "math", "pca2", "math_main")


@dataclass(frozen=True)
class PolisRepness:
    """One representative statement of a Pol.is group (`repness.clj`, `finalize-cmt-stats`)."""

    statement_id: int
    repful_for: Literal["agree", "disagree"]
    n_success: int | None = None
    n_trials: int | None = None
    p_success: float | None = None
    p_test: float | None = None
    repness: float | None = None
    repness_test: float | None = None


@dataclass(frozen=True)
class PolisMathGroup:
    """One Pol.is opinion group: its base clusters and, through them, its participants."""

    id: int
    base_cluster_ids: tuple[int, ...]
    member_ids: IntArray  # participant ids, sorted


@dataclass(frozen=True)
class PolisMath:
    """What Polyvox compares from Pol.is's math output; parts the file lacks are None."""

    groups: tuple[PolisMathGroup, ...]
    in_conv: IntArray | None  # participant ids, sorted
    repness: dict[int, tuple[PolisRepness, ...]] | None  # group id -> Pol.is's order
    consensus_agree: tuple[int, ...] | None  # statement ids, Pol.is's order (best first)
    consensus_disagree: tuple[int, ...] | None
    group_aware_consensus: dict[int, float] | None
    math_tick: int | None = None

    def group_of(self) -> dict[int, int]:
        """Participant id -> Pol.is group id, for every participant in a group."""
        return {int(p): g.id for g in self.groups for p in g.member_ids.tolist()}


def read_polis_math(directory: str | Path) -> PolisMath | None:
    """Pol.is's math output in `directory`, None when there is none (see `find_math_file`)."""
    path = find_math_file(directory)
    return None if path is None else parse_polis_math(load_json(path), path)


def _unwrap(data: object, path: Path) -> dict[str, Any]:
    for _ in range(3):
        if not isinstance(data, dict):
            raise PolisFormatError(f"{path}: expected a JSON object, got {json_type(data)}")
        if "group-clusters" in data or "base-clusters" in data:
            return data
        inner = [data[k] for k in _WRAPPERS if isinstance(data.get(k), dict)]
        if len(inner) != 1:
            break
        data = inner[0]
    raise PolisFormatError(f"{path}: not Pol.is math output: no key 'group-clusters'")


def _ints(value: object, path: Path, where: str) -> list[int]:
    if not isinstance(value, list):
        raise PolisFormatError(
            f"{path}: {where} must be a list of integers, got {json_type(value)}"
        )
    out = [as_int(v) for v in value]
    for v, n in zip(value, out, strict=True):
        if n is None:
            raise PolisFormatError(f"{path}: {where} must be a list of integers, got {shown(v)}")
    return [n for n in out if n is not None]


def _int(value: object, path: Path, where: str) -> int:
    n = as_int(value)
    if n is None:
        raise PolisFormatError(f"{path}: {where} must be an integer, got {shown(value)}")
    return n


def _number(value: object, path: Path, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolisFormatError(f"{path}: {where} must be a number, got {shown(value)}")
    return float(value)


def _entries(value: object, path: Path, key: str) -> list[tuple[int, Any]]:
    """(id, value) pairs of a map keyed by id or of `pca.ts`'s `[{"id", "val"}]` form."""
    if isinstance(value, Mapping):
        return [(_int(k, path, f"key {key!r}: id"), v) for k, v in value.items()]
    if isinstance(value, list):
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or "id" not in item or "val" not in item:
                raise PolisFormatError(f"{path}: key {key!r} item {i}: expected {{'id', 'val'}}")
            out.append((_int(item["id"], path, f"key {key!r} item {i}: 'id'"), item["val"]))
        return out
    raise PolisFormatError(f"{path}: key {key!r} must be an object, got {json_type(value)}")


def _base_clusters(value: object, path: Path) -> dict[int, list[int]]:
    key = "key 'base-clusters'"
    if isinstance(value, dict):  # column-wise, as served
        if "id" not in value or "members" not in value:
            raise PolisFormatError(f"{path}: {key} lacks 'id' or 'members'")
        ids = _ints(value["id"], path, f"{key}: 'id'")
        members = value["members"]
        if not isinstance(members, list) or len(members) != len(ids):
            raise PolisFormatError(
                f"{path}: {key}: 'members' must be a list with one list per id ({len(ids)})"
            )
        return {
            b: _ints(m, path, f"{key}: 'members' of {b}") for b, m in zip(ids, members, strict=True)
        }
    if isinstance(value, list):  # one object per base cluster
        out: dict[int, list[int]] = {}
        for i, item in enumerate(value):
            if not isinstance(item, dict) or "id" not in item or "members" not in item:
                raise PolisFormatError(f"{path}: {key} item {i}: expected {{'id', 'members'}}")
            bid = _int(item["id"], path, f"{key} item {i}: 'id'")
            out[bid] = _ints(item["members"], path, f"{key} item {i}: 'members'")
        return out
    raise PolisFormatError(f"{path}: {key} must be an object or a list, got {json_type(value)}")


def _groups(value: object, bases: dict[int, list[int]], path: Path) -> tuple[PolisMathGroup, ...]:
    key = "key 'group-clusters'"
    if isinstance(value, dict):
        items: list[Any] = [
            {"id": gid, **v} if isinstance(v, dict) else v for gid, v in value.items()
        ]
    elif isinstance(value, list):
        items = [
            {"id": it["id"], **it["val"]}
            if isinstance(it, dict) and isinstance(it.get("val"), dict)
            else it
            for it in value
        ]
    else:
        raise PolisFormatError(f"{path}: {key} must be a list, got {json_type(value)}")
    groups = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item or "members" not in item:
            raise PolisFormatError(f"{path}: {key} item {i}: expected {{'id', 'members'}}")
        gid = _int(item["id"], path, f"{key} item {i}: 'id'")
        bids = _ints(item["members"], path, f"{key} item {i}: 'members'")
        unknown = [b for b in bids if b not in bases]
        if unknown:
            raise PolisFormatError(
                f"{path}: {key} item {i}: base cluster {unknown[0]} is not in 'base-clusters'"
            )
        pids = np.unique(np.array([p for b in bids for p in bases[b]], dtype=np.int64))
        groups.append(PolisMathGroup(id=gid, base_cluster_ids=tuple(bids), member_ids=pids))
    return tuple(sorted(groups, key=lambda g: g.id))


def _repness(value: object, path: Path) -> dict[int, tuple[PolisRepness, ...]]:
    out = {}
    for gid, items in _entries(value, path, "repness"):
        where = f"key 'repness' group {gid}"
        if not isinstance(items, list):
            raise PolisFormatError(f"{path}: {where} must be a list, got {json_type(items)}")
        reps = []
        for i, r in enumerate(items):
            if not isinstance(r, dict) or "tid" not in r:
                raise PolisFormatError(f"{path}: {where} item {i}: expected an object with 'tid'")
            direction = r.get("repful-for")
            if direction not in ("agree", "disagree"):
                raise PolisFormatError(
                    f"{path}: {where} item {i}: 'repful-for' must be 'agree' or 'disagree', "
                    f"got {shown(direction)}"
                )
            n_success, n_trials = r.get("n-success"), r.get("n-trials")
            reps.append(
                PolisRepness(
                    statement_id=_int(r["tid"], path, f"{where} item {i}: 'tid'"),
                    repful_for=direction,
                    n_success=None
                    if n_success is None
                    else _int(n_success, path, f"{where} item {i}: 'n-success'"),
                    n_trials=None
                    if n_trials is None
                    else _int(n_trials, path, f"{where} item {i}: 'n-trials'"),
                    p_success=_number(r.get("p-success"), path, f"{where} item {i}: 'p-success'"),
                    p_test=_number(r.get("p-test"), path, f"{where} item {i}: 'p-test'"),
                    repness=_number(r.get("repness"), path, f"{where} item {i}: 'repness'"),
                    repness_test=_number(
                        r.get("repness-test"), path, f"{where} item {i}: 'repness-test'"
                    ),
                )
            )
        out[gid] = tuple(reps)
    return out


def _consensus_list(value: object, path: Path, side: str) -> tuple[int, ...]:
    where = f"key 'consensus': {side!r}"
    if not isinstance(value, list):
        raise PolisFormatError(f"{path}: {where} must be a list, got {json_type(value)}")
    out = []
    for i, item in enumerate(value):
        tid = item.get("tid") if isinstance(item, dict) else item
        out.append(_int(tid, path, f"{where} item {i}: 'tid'"))
    return tuple(out)


def parse_polis_math(data: object, path: Path) -> PolisMath:
    """Typed `PolisMath` from parsed JSON; `path` only names the file in errors."""
    d = _unwrap(data, path)
    for key in ("base-clusters", "group-clusters"):
        if d.get(key) is None:
            raise PolisFormatError(f"{path}: missing key {key!r}")
    groups = _groups(d["group-clusters"], _base_clusters(d["base-clusters"], path), path)
    in_conv = d.get("in-conv")
    consensus = d.get("consensus")
    if consensus is not None and not isinstance(consensus, dict):
        raise PolisFormatError(f"{path}: key 'consensus' must be an object, got {shown(consensus)}")
    gac = d.get("group-aware-consensus")
    tick = d.get("math_tick")
    return PolisMath(
        groups=groups,
        in_conv=None
        if in_conv is None
        else np.unique(np.array(_ints(in_conv, path, "key 'in-conv'"), dtype=np.int64)),
        repness=None if d.get("repness") is None else _repness(d["repness"], path),
        consensus_agree=None
        if consensus is None or consensus.get("agree") is None
        else _consensus_list(consensus["agree"], path, "agree"),
        consensus_disagree=None
        if consensus is None or consensus.get("disagree") is None
        else _consensus_list(consensus["disagree"], path, "disagree"),
        group_aware_consensus=None
        if gac is None
        else {
            tid: v
            for tid, raw in _entries(gac, path, "group-aware-consensus")
            if (v := _number(raw, path, f"key 'group-aware-consensus': {tid}")) is not None
        },
        math_tick=None if tick is None else _int(tick, path, "key 'math_tick'"),
    )
