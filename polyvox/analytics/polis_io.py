"""Read and write Pol.is exports, so conversations move between Pol.is and Polyvox.

Two layouts are read:

* the CSV export (`comments.csv`, `votes.csv`; where `votes.csv` is absent, the per-participant
  columns of `participants-votes.csv`). In these files 1 = agree, -1 = disagree, 0 = pass, which
  we check against the agree/disagree counts in `comments.csv` (the data's README says so too);
* the JSON the Pol.is API serves (`conversation.json` optional, `comments.json`, `votes.json`;
  Pol.is's math output `math-pca2.json` is read by `polis_math`). Keys are the raw API's
  (`tid`, `pid`, `txt`, `mod`, `created`, `modified`) or red-dwarf's (`statement_id`,
  `participant_id`, `moderated`, ...); other fields are ignored. Times are epoch milliseconds
  or ISO-8601 strings, both read as epoch ms. The raw API inverts the sign (agree = -1), so the
  sign is decided from the comments' agree/disagree counts when present.

A wrong or missing field is a `PolisFormatError` naming the file, the item and the field.

`moderated = -1` marks a statement moderated out. In `votes.csv` a voter's latest vote on a
comment counts, by timestamp. The stdlib `csv`/`json` modules and numpy are used, and pyarrow
reads large `votes.csv` files (`polis_votes_csv`), the stdlib reading standing behind it.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from polyvox.analytics.polis_votes_csv import read_votes_csv_fast
from polyvox.analytics.types import FloatArray, IntArray, VoteMatrix

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
    # Pol.is's "meta" statements (about the conversation itself) stay out of its math: its
    # worker adds them to mod-out (`conversation.clj`, `mod-update`), and so do we.
    is_meta: bool = False

    @property
    def out_of_map(self) -> bool:
        """Moderated out, or meta: Pol.is leaves it out of the groups, repness and consensus."""
        return self.moderated == -1 or self.is_meta


def _int(value: str, what: str, path: Path, line: int) -> int:
    try:
        return int(float(value)) if value.strip() else 0
    except ValueError:
        raise PolisFormatError(f"{path}:{line}: {what} is not a number: {value!r}") from None


_TRUE, _FALSE = ("true", "1", "t", "yes"), ("false", "0", "f", "no", "")


def _flag(value: str, what: str, path: Path, line: int) -> bool:
    text = value.strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise PolisFormatError(f"{path}:{line}: {what} is not true or false: {value!r}")


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
                is_meta=_flag(r.get("is-meta") or r.get("is_meta") or "", "is-meta", p, n),
            )
            for n, r in _rows(p, ("comment-id",))
        ]
    if (d / "comments.json").is_file():
        path = d / "comments.json"
        return [_comment_from_json(c, path, i) for i, c in enumerate(_load_json_list(path))]
    raise PolisFormatError(f"missing file: {d / 'comments.csv'} (or comments.json)")


# File names of Pol.is's math output we accept, in order: red-dwarf's loader saves the API's
# `/api/v3/math/pca2` answer as `math-pca2.json`; a plain download keeps the URL's last part.
MATH_FILE_NAMES = ("math-pca2.json", "math-pca2")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def load_json(path: Path) -> Any:
    """The parsed JSON of `path`; gzip is undone first (the Pol.is API serves its math output
    gzip-compressed, and a download without decompression keeps it so)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolisFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise PolisFormatError(f"{path}: broken gzip data ({exc})") from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PolisFormatError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise PolisFormatError(f"{path}: not valid JSON ({exc})") from None


def json_type(value: object) -> str:
    """How an error message names a JSON value's type."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def shown(value: object) -> str:
    """A value as an error message quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _load_json_list(path: Path) -> list[dict[str, Any]]:
    data = load_json(path)
    if not isinstance(data, list):
        raise PolisFormatError(f"{path}: expected a JSON list of objects, got {json_type(data)}")
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise PolisFormatError(f"{path}: item {i}: expected an object, got {json_type(item)}")
    return data


def as_int(value: object) -> int | None:
    """An integer from a JSON number or digit string (the API serves bigints as strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    return None


def timestamp_ms(value: object) -> float | None:
    """Epoch milliseconds of a Pol.is time, None when it is not one.

    Numbers and digit strings are epoch milliseconds already (Pol.is stores times as bigint
    ms; the CSV export's `timestamp` columns are ms too). Other strings are ISO-8601
    (`2023-05-01T08:27:26.239000Z`, with or without fraction, `Z` or an offset; without an
    offset, UTC), converted exactly to the microsecond.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _NUMBER.fullmatch(text):
        return float(text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return ((when - _EPOCH) // timedelta(microseconds=1)) / 1000


def _found(obj: dict[str, Any], keys: Sequence[str]) -> tuple[str, Any] | None:
    for k in keys:
        if obj.get(k) is not None:
            return k, obj[k]
    return None


def _missing(keys: Sequence[str], path: Path, index: int) -> PolisFormatError:
    names = " or ".join(repr(k) for k in keys)
    return PolisFormatError(f"{path}: item {index}: missing field {names}")


def _json_int(
    obj: dict[str, Any], keys: Sequence[str], path: Path, index: int, default: int | None = None
) -> int:
    found = _found(obj, keys)
    if found is None:
        if default is None:
            raise _missing(keys, path, index)
        return default
    n = as_int(found[1])
    if n is None:
        raise PolisFormatError(
            f"{path}: item {index}: field {found[0]!r} must be an integer, got {shown(found[1])}"
        )
    return n


def _json_choice(
    obj: dict[str, Any],
    keys: Sequence[str],
    path: Path,
    index: int,
    default: int | None = None,
) -> int:
    """-1, 0 or 1 (a vote, a moderation state)."""
    found = _found(obj, keys)
    if found is None:
        if default is None:
            raise _missing(keys, path, index)
        return default
    n = as_int(found[1])
    if n not in (-1, 0, 1):
        raise PolisFormatError(
            f"{path}: item {index}: field {found[0]!r} must be -1, 0 or 1, got {shown(found[1])}"
        )
    return n


def _json_time(obj: dict[str, Any], keys: Sequence[str], path: Path, index: int) -> float:
    """Epoch ms; 0 when the object has no time (as an empty CSV cell)."""
    found = _found(obj, keys)
    if found is None:
        return 0.0
    ms = timestamp_ms(found[1])
    if ms is None:
        raise PolisFormatError(
            f"{path}: item {index}: field {found[0]!r} is neither epoch milliseconds nor an "
            f"ISO-8601 time: {shown(found[1])}"
        )
    return ms


def _json_flag(obj: dict[str, Any], keys: Sequence[str], path: Path, index: int) -> bool:
    found = _found(obj, keys)
    if found is None:
        return False
    value = found[1]
    if isinstance(value, bool):
        return value
    if value in (0, 1) or (isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE):
        return value == 1 or (isinstance(value, str) and value.strip().lower() in _TRUE)
    raise PolisFormatError(
        f"{path}: item {index}: field {found[0]!r} must be true or false, got {shown(value)}"
    )


def _json_str(obj: dict[str, Any], keys: Sequence[str], path: Path, index: int) -> str:
    found = _found(obj, keys)
    if found is None:
        return ""
    if not isinstance(found[1], str):
        raise PolisFormatError(
            f"{path}: item {index}: field {found[0]!r} must be text, got {json_type(found[1])}"
        )
    return found[1]


def _comment_from_json(c: dict[str, Any], path: Path, index: int) -> PolisComment:
    return PolisComment(
        statement_id=_json_int(c, ("statement_id", "tid", "comment-id"), path, index),
        author_id=_json_int(c, ("participant_id", "pid", "author-id"), path, index, 0),
        body=_json_str(c, ("txt", "comment-body"), path, index),
        moderated=_json_choice(c, ("moderated", "mod"), path, index, 0),
        agrees=_json_int(c, ("agree_count", "agrees"), path, index, 0),
        disagrees=_json_int(c, ("disagree_count", "disagrees"), path, index, 0),
        timestamp=round(_json_time(c, ("created", "timestamp"), path, index)),
        is_meta=_json_flag(c, ("is_meta", "is-meta"), path, index),
    )


@dataclass(frozen=True)
class PolisConversation:
    """`conversation.json`, as the API's `/api/v3/conversations` serves it (other fields ignored)."""

    conversation_id: str
    topic: str
    description: str
    created: float | None  # epoch ms
    modified: float | None


def read_polis_conversation(directory: str | Path) -> PolisConversation | None:
    """The conversation's topic and description from `conversation.json`; None without one."""
    path = Path(directory) / "conversation.json"
    if not path.is_file():
        return None
    data = load_json(path)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]  # the API answers a list when asked without a conversation_id
    if not isinstance(data, dict):
        raise PolisFormatError(f"{path}: expected a JSON object, got {json_type(data)}")

    def text(key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
        raise PolisFormatError(f"{path}: field {key!r} must be text, got {json_type(value)}")

    def when(key: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        ms = timestamp_ms(value)
        if ms is None:
            raise PolisFormatError(
                f"{path}: field {key!r} is neither epoch milliseconds nor an ISO-8601 time: "
                f"{shown(value)}"
            )
        return ms

    return PolisConversation(
        conversation_id=text("conversation_id"),
        topic=text("topic"),
        description=text("description"),
        created=when("created"),
        modified=when("modified"),
    )


def find_math_file(directory: str | Path) -> Path | None:
    """Pol.is's math output in `directory` (`math-pca2.json` or `math-pca2`), None without."""
    for name in MATH_FILE_NAMES:
        path = Path(directory) / name
        if path.is_file():
            return path
    return None


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
    mod_out = np.array([c.statement_id for c in comments if c.out_of_map], dtype=np.int64)
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


_VOTE_PID = ("participant_id", "pid", "voter-id")
_VOTE_TID = ("statement_id", "tid", "comment-id")
_VOTE_TIME = ("modified", "timestamp", "created")


def _column_key(raw: list[dict[str, Any]], keys: Sequence[str]) -> str | None:
    """The key every item uses for this field, None when items differ (a fast path's test)."""
    key = next((k for k in keys if raw[0].get(k) is not None), None)
    if key is None:
        return None
    earlier = keys[: keys.index(key)]
    if any(e in v for v in raw for e in earlier):
        return None
    return key


def _int_column(raw: list[dict[str, Any]], keys: Sequence[str]) -> IntArray | None:
    """All items' field as plain JSON integers under one key, else None (per-item path)."""
    key = _column_key(raw, keys)
    if key is None:
        return None
    col = [v.get(key) for v in raw]
    if any(type(x) is not int for x in col):
        return None
    return np.array(col, dtype=np.int64)


def _time_column(raw: list[dict[str, Any]], keys: Sequence[str]) -> FloatArray | None:
    """All items' time under one key as epoch ms, else None (per-item path)."""
    key = _column_key(raw, keys)
    if key is None:
        return None
    col = [v.get(key) for v in raw]
    if all(type(x) is int or type(x) is float for x in col):
        out = np.array(col, dtype=np.float64)
        return out if np.isfinite(out).all() else None
    texts = [x for x in col if type(x) is str and x.endswith("Z") and x[4:5] == "-"]
    if len(texts) == len(col):
        # UTC ISO-8601 throughout (what the API and red-dwarf write): numpy parses it in C
        try:
            us = np.array([x[:-1] for x in texts], dtype="datetime64[us]").astype(np.int64)
        except ValueError:
            return None  # the per-item path names the bad item
        return us / 1000
    ms = [timestamp_ms(x) for x in col]
    if any(x is None for x in ms):
        return None
    return np.array(ms, dtype=np.float64)


def _read_votes_json(
    path: Path,
) -> tuple[IntArray, IntArray, npt.NDArray[np.int64], FloatArray, bool]:
    """(participants, statements, votes, epoch ms, whether the keys are the raw API's).

    Whole columns are converted at once when every item is regular (same key, plain integers);
    otherwise, and to report the first bad item, the file is read item by item."""
    raw = _load_json_list(path)
    raw_api = bool(raw) and "pid" in raw[0] and "participant_id" not in raw[0]
    if raw:
        pid_c, sid_c = _int_column(raw, _VOTE_PID), _int_column(raw, _VOTE_TID)
        val_c, ts_c = _int_column(raw, ("vote",)), _time_column(raw, _VOTE_TIME)
        if (
            pid_c is not None
            and sid_c is not None
            and val_c is not None
            and ts_c is not None
            and val_c.min() >= -1
            and val_c.max() <= 1
        ):
            return pid_c, sid_c, val_c, ts_c, raw_api
    n = len(raw)
    pid = np.empty(n, dtype=np.int64)
    sid = np.empty(n, dtype=np.int64)
    val = np.empty(n, dtype=np.int64)
    ts = np.empty(n, dtype=np.float64)
    for i, v in enumerate(raw):
        pid[i] = _json_int(v, _VOTE_PID, path, i)
        sid[i] = _json_int(v, _VOTE_TID, path, i)
        val[i] = _json_choice(v, ("vote",), path, i)
        ts[i] = _json_time(v, _VOTE_TIME, path, i)
    return pid, sid, val, ts, raw_api


def _read_json(d: Path) -> VoteMatrix:
    read_polis_conversation(d)  # a malformed conversation.json is reported, not skipped
    comments = read_polis_comments(d)
    path = d / "votes.json"
    if not path.is_file():
        raise PolisFormatError(f"missing file: {path}")
    pid, sid, val, ts, raw_api = _read_votes_json(path)
    sign = _sign_from_counts(comments, sid, val)
    if sign is None:
        # No counts to check against: the raw API (pid/tid keys) serves agree = -1.
        sign = -1 if raw_api else 1
    all_ids = np.array([c.statement_id for c in comments], dtype=np.int64)
    mod_out = np.array([c.statement_id for c in comments if c.out_of_map], dtype=np.int64)
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
