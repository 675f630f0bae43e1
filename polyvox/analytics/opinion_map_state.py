"""The engine state an opinion-map update starts from, as Pol.is's math worker keeps it.

Why: Pol.is never recomputes a conversation from nothing. Each update starts from the previous
one: PCA from the last components, base clusters from the last base clusters' members, each
group clustering (one per k tried) from the last clustering for that k, and k changes only
after the new k has won several updates in a row (compdemocracy/polis,
math/src/polismath/math/conversation.clj, `small-conv-update-graph`; clusters.clj, `kmeans`,
`clean-start-clusters`). `OpinionMapState` is that memory, explicit and JSON-serialisable, so a
map can be updated warm (`compute_opinion_map(..., previous=state)`) and stored between updates.

Plain data only (numpy arrays, ints); `to_json`/`from_json` use lists, ints and floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

STATE_VERSION = 1


@dataclass(frozen=True, eq=False)
class GroupClustering:
    """One group clustering of the base clusters, for one k tried (Pol.is `group-clusterings`).

    `base_labels[i]` is the group (row of `centers`) of the state's base cluster `base_ids[i]`.
    Fewer than k groups are possible when base centres coincide.
    """

    k: int
    centers: FloatArray  # (groups, 2)
    base_labels: IntArray  # (n_base,), parallel to OpinionMapState.base_ids


@dataclass(frozen=True, eq=False)
class OpinionMapState:
    """What one opinion-map update leaves for the next (see the module docstring).

    * PCA: `statement_ids`, `components` (2, statements) and `center` (statements,);
    * `in_conv_ids`: participants in the conversation, sorted (Pol.is: once in, always in);
    * base clusters: `base_ids` (sorted, stable across updates), `base_centers` (n_base, 2), and
      `base_of` (base id of each in-conversation participant, parallel to `in_conv_ids`);
    * `group_clusterings`: one per k tried, k ascending;
    * the k smoother (Pol.is `group-k-smoother`): `last_k` (the best k by silhouette at the last
      update), `last_k_count` (how many consecutive updates it has been best) and `smoothed_k`
      (the k shown);
    * `n_updates`: updates so far (0 for `empty()`).
    """

    statement_ids: IntArray
    components: FloatArray
    center: FloatArray
    in_conv_ids: IntArray
    base_ids: IntArray
    base_centers: FloatArray
    base_of: IntArray
    group_clusterings: tuple[GroupClustering, ...]
    last_k: int
    last_k_count: int
    smoothed_k: int
    n_updates: int = 1

    def __post_init__(self) -> None:
        n_s, n_b = len(self.statement_ids), len(self.base_ids)
        _check(self.components.ndim == 2 and self.components.shape[1] == n_s, "components")
        _check(self.center.shape == (n_s,), "center")
        _check(_strictly_increasing(self.statement_ids), "statement_ids")
        _check(_strictly_increasing(self.in_conv_ids), "in_conv_ids")
        _check(_strictly_increasing(self.base_ids), "base_ids")
        _check(self.base_centers.shape == (n_b, 2), "base_centers")
        _check(self.base_of.shape == self.in_conv_ids.shape, "base_of")
        _check(bool(np.isin(self.base_of, self.base_ids).all()), "base_of")
        _check(bool(np.isfinite(self.components).all()), "components")
        _check(bool(np.isfinite(self.center).all()), "center")
        _check(bool(np.isfinite(self.base_centers).all()), "base_centers")
        ks = [g.k for g in self.group_clusterings]
        _check(ks == sorted(set(ks)) and all(k >= 2 for k in ks), "group_clusterings")
        for g in self.group_clusterings:
            _check(g.centers.ndim == 2 and g.centers.shape[1] == 2, "group_clusterings.centers")
            _check(bool(np.isfinite(g.centers).all()), "group_clusterings.centers")
            _check(g.base_labels.shape == (n_b,), "group_clusterings.base_labels")
            _check(
                n_b == 0 or (g.base_labels.min() >= 0 and g.base_labels.max() < len(g.centers)),
                "group_clusterings.base_labels",
            )
        _check(self.last_k_count >= 0 and self.n_updates >= 0, "last_k_count / n_updates")

    @classmethod
    def empty(cls) -> OpinionMapState:
        """The state before the first update: a warm update from it starts as Pol.is starts a
        new conversation (random PCA start, first-k-distinct k-means starts)."""
        return cls(
            statement_ids=np.zeros(0, dtype=np.int64),
            components=np.zeros((2, 0)),
            center=np.zeros(0),
            in_conv_ids=np.zeros(0, dtype=np.int64),
            base_ids=np.zeros(0, dtype=np.int64),
            base_centers=np.zeros((0, 2)),
            base_of=np.zeros(0, dtype=np.int64),
            group_clusterings=(),
            last_k=0,
            last_k_count=0,
            smoothed_k=0,
            n_updates=0,
        )

    def clustering(self, k: int) -> GroupClustering | None:
        """The group clustering kept for `k`, if that k was tried."""
        return next((g for g in self.group_clusterings if g.k == k), None)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types only (lists, ints, floats), for storage between updates."""
        return {
            "version": STATE_VERSION,
            "statement_ids": self.statement_ids.tolist(),
            "components": self.components.tolist(),
            "center": self.center.tolist(),
            "in_conv_ids": self.in_conv_ids.tolist(),
            "base_ids": self.base_ids.tolist(),
            "base_centers": self.base_centers.tolist(),
            "base_of": self.base_of.tolist(),
            "group_clusterings": [
                {"k": g.k, "centers": g.centers.tolist(), "base_labels": g.base_labels.tolist()}
                for g in self.group_clusterings
            ],
            "last_k": self.last_k,
            "last_k_count": self.last_k_count,
            "smoothed_k": self.smoothed_k,
            "n_updates": self.n_updates,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> OpinionMapState:
        """Rebuild from `to_json`; ValueError naming the field when the document is not one."""
        if not isinstance(d, Mapping):
            raise ValueError("opinion-map state: expected a JSON object")
        if d.get("version") != STATE_VERSION:
            raise ValueError(f"opinion-map state: version must be {STATE_VERSION}")
        n_s = len(_list(d, "statement_ids"))
        groups = _list(d, "group_clusterings")
        clusterings = []
        for i, g in enumerate(groups):
            if not isinstance(g, Mapping):
                raise ValueError(f"opinion-map state: group_clusterings[{i}] is not an object")
            clusterings.append(
                GroupClustering(
                    k=_int(g, "k", f"group_clusterings[{i}].k"),
                    centers=_floats(g, "centers", (-1, 2), f"group_clusterings[{i}].centers"),
                    base_labels=_ints(g, "base_labels", f"group_clusterings[{i}].base_labels"),
                )
            )
        try:
            return cls(
                statement_ids=_ints(d, "statement_ids"),
                components=_floats(d, "components", (-1, n_s)),
                center=_floats(d, "center", (n_s,)),
                in_conv_ids=_ints(d, "in_conv_ids"),
                base_ids=_ints(d, "base_ids"),
                base_centers=_floats(d, "base_centers", (-1, 2)),
                base_of=_ints(d, "base_of"),
                group_clusterings=tuple(clusterings),
                last_k=_int(d, "last_k"),
                last_k_count=_int(d, "last_k_count"),
                smoothed_k=_int(d, "smoothed_k"),
                n_updates=_int(d, "n_updates"),
            )
        except ValueError as exc:
            msg = str(exc)
            raise ValueError(
                msg if msg.startswith("opinion-map state") else f"opinion-map state: {msg}"
            ) from None


def _check(ok: bool, field: str) -> None:
    if not ok:
        raise ValueError(f"opinion-map state: {field} is inconsistent")


def _strictly_increasing(a: IntArray) -> bool:
    return a.ndim == 1 and bool((np.diff(a) > 0).all())


def _list(d: Mapping[str, Any], key: str, name: str | None = None) -> list[Any]:
    value = d.get(key)
    if not isinstance(value, list):
        raise ValueError(f"opinion-map state: {name or key} must be a list")
    return value


def _int(d: Mapping[str, Any], key: str, name: str | None = None) -> int:
    value = d.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"opinion-map state: {name or key} must be an integer")
    return value


def _ints(d: Mapping[str, Any], key: str, name: str | None = None) -> IntArray:
    value = _list(d, key, name)
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in value):
        raise ValueError(f"opinion-map state: {name or key} must be a list of integers")
    return np.array(value, dtype=np.int64).reshape(len(value))


def _floats(
    d: Mapping[str, Any], key: str, shape: tuple[int, ...], name: str | None = None
) -> FloatArray:
    value = _list(d, key, name)
    try:
        a = np.array(value, dtype=np.float64)
        if len(shape) == 2 and a.ndim == 1 and a.size == 0:
            a = a.reshape(0, shape[1] if shape[1] >= 0 else 0)
        if a.ndim != len(shape) or any(
            s >= 0 and s != n for s, n in zip(shape, a.shape, strict=True)
        ):
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(
            f"opinion-map state: {name or key} must be numbers of shape "
            f"{tuple('n' if s < 0 else s for s in shape)}"
        ) from None
    if not np.isfinite(a).all():
        raise ValueError(f"opinion-map state: {name or key} must be finite numbers")
    return a
