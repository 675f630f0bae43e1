"""Test helper: a shared Pol.is conversation in the CSV export layout, rewritten in the API's JSON
layout, so the JSON reader can be checked against the CSV reader on real data.

It reads the CSV files with the `csv` module only (not with the reader under test) and writes:

* `comments.json`: the raw API's keys (`tid`, `pid`, `txt`, `mod`, `created`, counts, plus
  fields the reader must ignore) or red-dwarf's (`statement_id`, `participant_id`,
  `moderated`, ...); `created` as an ISO-8601 string (`...T08:27:26.239000Z`) or epoch ms;
* `votes.json`: every row of `votes.csv` (superseded votes included), `modified` as epoch ms
  or ISO-8601; with the raw API's keys the sign is the raw API's (agree = -1);
* `conversation.json`: id and topic from `summary.csv`;
* optionally `math-pca2.json` in the served layout, whose groups are Pol.is's real `group-id`
  from `participants-votes.csv`. The export does not carry Pol.is's base clusters, so this file
  has one base cluster per Pol.is group (id = group id): the participant -> group map is
  exactly Pol.is's, the base-cluster level is not. Repness and consensus are whatever the caller
  passes (the export carries neither).
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def iso(ms: int) -> str:
    """Epoch ms as the API's ISO-8601 text, e.g. `2023-05-01T08:27:26.239000Z` (exact)."""
    return (EPOCH + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _summary(src: Path) -> dict[str, str]:
    path = src / "summary.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {r[0]: r[1] for r in csv.reader(fh) if len(r) >= 2}


def polis_group_ids(src: Path) -> dict[int, int]:
    """Participant -> Pol.is `group-id`, from `participants-votes.csv` (placed participants)."""
    return {
        int(r["participant"]): int(r["group-id"])
        for r in _rows(src / "participants-votes.csv")
        if r["group-id"].strip()
    }


def to_api_layout(
    src: Path,
    dst: Path,
    *,
    times: Literal["iso", "epoch"] = "iso",
    keys: Literal["raw", "red-dwarf"] = "raw",
    math: bool = False,
    repness: dict[int, list[dict[str, Any]]] | None = None,
    consensus: dict[str, list[int]] | None = None,
) -> Path:
    """Write `src` (CSV export) into `dst` in the API JSON layout; returns `dst`."""
    dst.mkdir(parents=True, exist_ok=True)
    summary = _summary(src)
    conv_id = summary.get("url", "https://pol.is/test").rsplit("/", 1)[-1]
    raw = keys == "raw"

    def when(cell: str, *, as_text: bool) -> object:
        ms = int(cell)
        if times == "iso":
            return iso(ms)
        return str(ms) if as_text else ms  # the raw API serves bigints as strings

    comments = []
    for r in _rows(src / "comments.csv"):
        c: dict[str, Any] = {
            ("tid" if raw else "statement_id"): int(r["comment-id"]),
            ("pid" if raw else "participant_id"): int(r["author-id"]),
            "txt": r["comment-body"],
            ("mod" if raw else "moderated"): int(r["moderated"]),
            "agree_count": int(r["agrees"]),
            "disagree_count": int(r["disagrees"]),
            "is_meta": False,
            "is_seed": False,
            "lang": None,
            "conversation_id": conv_id,
        }
        if r["timestamp"].strip():
            c["created"] = when(r["timestamp"], as_text=raw)
        comments.append(c)
    (dst / "comments.json").write_text(json.dumps(comments, ensure_ascii=False), encoding="utf-8")

    votes = []
    for r in _rows(src / "votes.csv"):
        v: dict[str, Any] = {
            ("pid" if raw else "participant_id"): int(r["voter-id"]),
            ("tid" if raw else "statement_id"): int(r["comment-id"]),
            "vote": -int(r["vote"]) if raw else int(r["vote"]),
            "weight_x_32767": 0,
            "conversation_id": conv_id,
        }
        if r["timestamp"].strip():
            v["modified"] = when(r["timestamp"], as_text=False)
        votes.append(v)
    (dst / "votes.json").write_text(json.dumps(votes), encoding="utf-8")

    created = min((int(r["timestamp"]) for r in _rows(src / "comments.csv")), default=0)
    conversation = {
        "conversation_id": conv_id,
        "topic": summary.get("topic", ""),
        "description": summary.get("conversation-description", ""),
        "created": iso(created) if times == "iso" else created,
        "modified": iso(created) if times == "iso" else created,
        "is_anon": True,
        "participant_count": int(summary.get("voters", "0") or 0),
    }
    (dst / "conversation.json").write_text(
        json.dumps(conversation, ensure_ascii=False), encoding="utf-8"
    )
    if math:
        write_math(dst, polis_group_ids(src), repness=repness, consensus=consensus)
    return dst


def write_math(
    dst: Path,
    group_of: dict[int, int],
    *,
    repness: dict[int, list[dict[str, Any]]] | None = None,
    consensus: dict[str, list[int]] | None = None,
    name: str = "math-pca2.json",
) -> Path:
    """A `math-pca2.json` in the served layout for the given participant -> group map (one base
    cluster per group); repness items are `{"tid", "repful-for", ...}`, consensus lists tids."""
    gids = sorted(set(group_of.values()))
    members = {g: sorted(p for p, h in group_of.items() if h == g) for g in gids}
    data: dict[str, Any] = {
        "n": len(group_of),
        "in-conv": sorted(group_of),
        "base-clusters": {
            "id": gids,
            "members": [members[g] for g in gids],
            "x": [0.0] * len(gids),
            "y": [0.0] * len(gids),
            "count": [len(members[g]) for g in gids],
        },
        "group-clusters": [{"id": g, "center": [0.0, 0.0], "members": [g]} for g in gids],
        "math_tick": 1,
        "lastVoteTimestamp": 0,
    }
    if repness is not None:
        data["repness"] = {str(g): items for g, items in repness.items()}
    if consensus is not None:
        data["consensus"] = {
            side: [{"tid": t, "n-success": 0, "n-trials": 0} for t in consensus.get(side, [])]
            for side in ("agree", "disagree")
        }
    path = dst / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
