"""Read and write Pol.is exports, so conversations move between Pol.is and Polyvox.

Two layouts are read:

* the CSV export (`comments.csv`, `votes.csv`; where `votes.csv` is absent, the per-participant
  columns of `participants-votes.csv`). In these files 1 = agree, -1 = disagree, 0 = pass, which
  we check against the agree/disagree counts in `comments.csv` (the data's README says so too);
* the JSON the Pol.is API serves (`comments.json`, `votes.json`). The raw API inverts the sign
  (agree = -1), so the sign is decided from the comments' agree/disagree counts when present.

`moderated = -1` marks a statement moderated out. In `votes.csv` a voter's latest vote on a
comment counts, by timestamp. The stdlib `csv`/`json` modules and numpy are used, and pyarrow
reads large `votes.csv` files (`polis_votes_csv`), the stdlib reading standing behind it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from polyvox.analytics.polis_votes_csv import read_votes_csv_fast
from polyvox.analytics.types import IntArray, VoteMatrix

COMMENT_FIELDS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTE_FIELDS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")


class PolisFormatError(ValueError):
    """The directory is not a readable Pol.is export; the message says what is wrong."""


@dataclass(frozen=True)
class PolisComment:
    """One statement as Pol.is exports it."""

    statement_id: int
    author_id: int
    body: str
    moderated: int = 0  # 1 accepted, 0 unmoderated, -1 moderated out
    agrees: int = 0
    disagrees: int = 0
    timestamp: int = 0


def _int(value: str, what: str, path: Path, line: int) -> int:
    try:
        return int(float(value)) if value.strip() else 0
    except ValueError:
        raise PolisFormatError(f"{path}:{line}: {what} is not a number: {value!r}") from None


def _rows(path: Path, required: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise PolisFormatError(f"missing file: {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:  # -sig: a BOM is not a name
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise PolisFormatError(f"{path}: missing column(s) {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                if None in row:
                    raise PolisFormatError(f"{path}:{line}: more fields than the header")
                yield line, row
    except csv.Error as exc:
        raise PolisFormatError(f"{path}: malformed CSV ({exc})") from None
    except UnicodeDecodeError:
        raise PolisFormatError(f"{path}: not UTF-8 text") from None


def read_polis_comments(directory: str | Path) -> list[PolisComment]:
    """Statements from `comments.csv` or `comments.json`."""
    d = Path(directory)
    if (d / "comments.csv").is_file():
        p = d / "comments.csv"
        return [
            PolisComment(
                statement_id=_int(r["comment-id"], "comment-id", p, n),
                author_id=_int(r.get("author-id") or "0", "author-id", p, n),
                body=r.get("comment-body") or "",
                moderated=_int(r.get("moderated") or "0", "moderated", p, n),
                agrees=_int(r.get("agrees") or "0", "agrees", p, n),
                disagrees=_int(r.get("disagrees") or "0", "disagrees", p, n),
                timestamp=_int(r.get("timestamp") or "0", "timestamp", p, n),
            )
            for n, r in _rows(p, ("comment-id",))
        ]
    if (d / "comments.json").is_file():
        return [
            _comment_from_json(c, d / "comments.json") for c in _load_json_list(d / "comments.json")
        ]
    raise PolisFormatError(f"missing file: {d / 'comments.csv'} (or comments.json)")


def _load_json_list(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PolisFormatError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise PolisFormatError(f"{path}: expected a JSON list of objects")
    return data


def _pick(obj: dict[str, Any], keys: Sequence[str], path: Path, default: Any = None) -> Any:
    for k in keys:
        if k in obj and obj[k] is not None:
            return obj[k]
    if default is None:
        raise PolisFormatError(f"{path}: an object lacks {' / '.join(keys)}")
    return default


def _comment_from_json(c: dict[str, Any], path: Path) -> PolisComment:
    try:
        return PolisComment(
            statement_id=int(_pick(c, ("statement_id", "tid", "comment-id"), path)),
            author_id=int(_pick(c, ("participant_id", "pid", "author-id"), path, 0)),
            body=str(_pick(c, ("txt", "comment-body"), path, "")),
            moderated=int(_pick(c, ("moderated", "mod"), path, 0)),
            agrees=int(_pick(c, ("agree_count", "agrees"), path, 0)),
            disagrees=int(_pick(c, ("disagree_count", "disagrees"), path, 0)),
            timestamp=int(_pick(c, ("created", "timestamp"), path, 0)),
        )
    except (TypeError, ValueError) as exc:
        raise PolisFormatError(f"{path}: bad comment {c!r} ({exc})") from None


def _sign_from_counts(
    comments: Sequence[PolisComment], sid: IntArray, val: npt.NDArray[np.int64]
) -> int | None:
    """+1 when the file's 1 means agree, -1 when it means disagree, None when counts can't tell."""
    agrees = {c.statement_id: c.agrees for c in comments}
    disagrees = {c.statement_id: c.disagrees for c in comments}
    if not any(agrees.values()) and not any(disagrees.values()):
        return None
    ids = np.array(sorted(agrees), dtype=np.int64)
    pos = np.bincount(np.searchsorted(ids, sid[val == 1]), minlength=len(ids))
    neg = np.bincount(np.searchsorted(ids, sid[val == -1]), minlength=len(ids))
    a = np.array([agrees[i] for i in ids])
    dis = np.array([disagrees[i] for i in ids])
    same = np.abs(pos - a).sum() + np.abs(neg - dis).sum()
    flipped = np.abs(pos - dis).sum() + np.abs(neg - a).sum()
    return 1 if same <= flipped else -1


def read_polis_export(directory: str | Path) -> VoteMatrix:
    """The votes of a Pol.is export directory (CSV or JSON layout), latest vote per pair."""
    d = Path(directory)
    if not d.is_dir():
        raise PolisFormatError(f"not a directory: {d}")
    if not (d / "comments.csv").is_file() and (d / "comments.json").is_file():
        return _read_json(d)
    comments = read_polis_comments(d)
    all_ids = np.array([c.statement_id for c in comments], dtype=np.int64)
    mod_out = np.array([c.statement_id for c in comments if c.moderated == -1], dtype=np.int64)
    if (d / "votes.csv").is_file():
        pid, sid, val, ts = _read_votes_csv(d / "votes.csv")
    elif (d / "participants-votes.csv").is_file():
        pid, sid, val = _read_participants_votes(d / "participants-votes.csv")
        ts = None
    else:
        raise PolisFormatError(f"missing file: {d / 'votes.csv'} (or participants-votes.csv)")
    sign = _sign_from_counts(comments, sid, val)
    if sign == -1:
        val = -val
    return VoteMatrix.from_votes(
        pid, sid, val, timestamps=ts, all_statement_ids=all_ids, moderated_out_ids=mod_out
    )


def _check_votes(val: npt.NDArray[np.int64], path: Path) -> None:
    if len(val) and (val.min() < -1 or val.max() > 1):
        raise PolisFormatError(f"{path}: votes must be -1, 0 or 1")


def _read_votes_csv(
    path: Path,
) -> tuple[IntArray, IntArray, npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Voter ids, comment ids, votes and timestamps of `votes.csv`.

    pyarrow's reader first (`polis_votes_csv`: about 20x faster at millions of votes); where it
    declines, the strict stdlib reading below, whose errors name the file, line and field.
    """
    fast = read_votes_csv_fast(path)
    if fast is not None:
        _check_votes(fast[2], path)
        return fast
    return _read_votes_csv_stdlib(path)


def _read_votes_csv_stdlib(
    path: Path,
) -> tuple[IntArray, IntArray, npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The reference reading of `votes.csv`, row by row with the stdlib `csv` module."""
    pid: list[int] = []
    sid: list[int] = []
    val: list[int] = []
    ts: list[float] = []
    for n, r in _rows(path, ("comment-id", "voter-id", "vote")):
        pid.append(_int(r["voter-id"], "voter-id", path, n))
        sid.append(_int(r["comment-id"], "comment-id", path, n))
        val.append(_int(r["vote"], "vote", path, n))
        ts.append(float(_int(r.get("timestamp") or "0", "timestamp", path, n)))
    try:
        v = np.array(val, dtype=np.int64)
        _check_votes(v, path)
        return np.array(pid, dtype=np.int64), np.array(sid, dtype=np.int64), v, np.array(ts)
    except OverflowError:
        raise PolisFormatError(f"{path}: a voter-id, comment-id or vote exceeds 64 bits") from None


def _read_participants_votes(path: Path) -> tuple[IntArray, IntArray, npt.NDArray[np.int64]]:
    """Votes from the wide file: one column per comment id after the summary columns."""
    pid: list[int] = []
    sid: list[int] = []
    val: list[int] = []
    rows = _rows(path, ("participant",))
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh), [])
    comment_cols = [h for h in header if h.strip().lstrip("-").isdigit()]
    for n, r in rows:
        p = _int(r["participant"], "participant", path, n)
        for h in comment_cols:
            cell = r.get(h) or ""
            if cell.strip():
                pid.append(p)
                sid.append(int(h))
                val.append(_int(cell, f"vote on {h}", path, n))
    v = np.array(val, dtype=np.int64)
    _check_votes(v, path)
    return np.array(pid, dtype=np.int64), np.array(sid, dtype=np.int64), v


def _read_json(d: Path) -> VoteMatrix:
    comments = read_polis_comments(d)
    path = d / "votes.json"
    if not path.is_file():
        raise PolisFormatError(f"missing file: {path}")
    raw = _load_json_list(path)
    try:
        pid = np.array(
            [int(_pick(v, ("participant_id", "pid", "voter-id"), path)) for v in raw],
            dtype=np.int64,
        )
        sid = np.array(
            [int(_pick(v, ("statement_id", "tid", "comment-id"), path)) for v in raw],
            dtype=np.int64,
        )
        val = np.array([int(_pick(v, ("vote",), path)) for v in raw], dtype=np.int64)
        ts = np.array([float(_pick(v, ("modified", "timestamp"), path, 0)) for v in raw])
    except (TypeError, ValueError) as exc:
        raise PolisFormatError(f"{path}: bad vote ({exc})") from None
    _check_votes(val, path)
    sign = _sign_from_counts(comments, sid, val)
    if sign is None:
        # No counts to check against: the raw API (pid/tid keys) serves agree = -1.
        sign = -1 if raw and "pid" in raw[0] and "participant_id" not in raw[0] else 1
    all_ids = np.array([c.statement_id for c in comments], dtype=np.int64)
    mod_out = np.array([c.statement_id for c in comments if c.moderated == -1], dtype=np.int64)
    return VoteMatrix.from_votes(
        pid, sid, sign * val, timestamps=ts, all_statement_ids=all_ids, moderated_out_ids=mod_out
    )


def read_polis_group_ids(directory: str | Path) -> tuple[IntArray, IntArray]:
    """The `group-id` Pol.is assigned in `participants-votes.csv`: (participant ids, group ids),
    only for participants Pol.is placed in a group (empty cells are skipped)."""
    path = Path(directory) / "participants-votes.csv"
    pid: list[int] = []
    gid: list[int] = []
    for n, r in _rows(path, ("participant", "group-id")):
        if (r["group-id"] or "").strip():
            pid.append(_int(r["participant"], "participant", path, n))
            gid.append(_int(r["group-id"], "group-id", path, n))
    return np.array(pid, dtype=np.int64), np.array(gid, dtype=np.int64)


def write_polis_export(
    directory: str | Path,
    votes: VoteMatrix,
    comments: Sequence[PolisComment] = (),
    *,
    timestamps: npt.ArrayLike | None = None,
) -> None:
    """Write `comments.csv` and `votes.csv` in Pol.is's export format (1 = agree).

    Statements without a `PolisComment` get an empty body; agree/disagree counts and the
    moderation flag are recomputed from `votes` so the files are self-consistent.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    by_id = {c.statement_id: c for c in comments}
    n_s = len(votes.statement_ids)
    agrees = np.bincount(votes.cols[votes.values == 1], minlength=n_s)
    disagrees = np.bincount(votes.cols[votes.values == -1], minlength=n_s)
    with (d / "comments.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COMMENT_FIELDS)
        for j, s in enumerate(votes.statement_ids.tolist()):
            c = by_id.get(s, PolisComment(statement_id=s, author_id=0, body=""))
            moderated = -1 if votes.moderated_out[j] else (c.moderated if c.moderated != -1 else 0)
            w.writerow(
                [
                    c.timestamp,
                    "",
                    s,
                    c.author_id,
                    int(agrees[j]),
                    int(disagrees[j]),
                    moderated,
                    c.body,
                ]
            )
    ts = (
        np.zeros(votes.n_votes, dtype=np.int64)
        if timestamps is None
        else np.asarray(timestamps, dtype=np.int64)
    )
    if len(ts) != votes.n_votes:
        raise ValueError("timestamps must have one entry per vote")
    with (d / "votes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(VOTE_FIELDS)
        pids = votes.participant_ids[votes.rows].tolist()
        sids = votes.statement_ids[votes.cols].tolist()
        w.writerows(
            zip(ts.tolist(), [""] * votes.n_votes, sids, pids, votes.values.tolist(), strict=True)
        )
