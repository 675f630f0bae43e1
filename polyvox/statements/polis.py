"""Pol.is interoperability: import a Pol.is export into a process, export a process in its format.

File formats are the engine's business (`polyvox.analytics.polis_io`); this module maps them onto
statements, votes and placeholder participants. Imports are idempotent: statements are keyed by
their Pol.is comment-id, voters by a username derived from their Pol.is participant id.
"""

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from polyvox.analytics.opinion_map_replay import read_vote_events
from polyvox.analytics.polis_io import (
    COMMENT_FIELDS,
    VOTE_FIELDS,
    PolisFormatError,
    read_polis_comments,
    read_polis_export,
)
from polyvox.core.permissions import Actor, require
from polyvox.participants.models import Profile, StakeholderGroup, User
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.record.services import append_entry
from polyvox.statements.models import (
    MAX_STATEMENT_CHARS,
    Statement,
    StatementStatus,
    Vote,
    VoteRevision,
    VoteValue,
)


@dataclass(frozen=True)
class ImportReport:
    statements: int
    participants: int
    votes: int
    truncated: int  # statements longer than the limit, shortened with "…"


def placeholder_username(process: Process, polis_id: int) -> str:
    return f"polis-{process.slug}-{polis_id}"


def _placeholders(process: Process, polis_ids: list[int]) -> tuple[dict[int, int], int]:
    """Pol.is participant id → user id, creating the missing placeholder participants."""
    names = {placeholder_username(process, pid): pid for pid in polis_ids}
    existing = dict(User.objects.filter(username__in=names).values_list("username", "id"))
    missing = [name for name in names if name not in existing]
    unusable = make_password(None)
    User.objects.bulk_create(
        User(username=name, email=f"{name}@polis.invalid", password=unusable) for name in missing
    )
    created = dict(User.objects.filter(username__in=missing).values_list("username", "id"))
    Profile.objects.bulk_create(
        Profile(
            user_id=uid,
            display_name=_("Pol.is participant %(id)s") % {"id": names[name]},
            stakeholder_group=StakeholderGroup.INDIVIDUAL,
        )
        for name, uid in created.items()
    )
    return {names[n]: uid for n, uid in {**existing, **created}.items()}, len(created)


def _statement_text(body: str) -> tuple[str, bool]:
    text = " ".join(body.split()) or _("(empty statement)")
    if len(text) <= MAX_STATEMENT_CHARS:
        return text, False
    return text[: MAX_STATEMENT_CHARS - 1].rstrip() + "…", True


History = dict[tuple[int, int], list[tuple[float, int]]]


def _vote_history(directory: str | Path, *, required: bool) -> History:
    """(Pol.is participant, comment) → every vote cast on it as (epoch ms, value), in time order,
    from the export's vote timestamps; empty when the export has none (e.g. only
    `participants-votes.csv`), or PolisFormatError when `required` (a replay needs them)."""
    try:
        events = read_vote_events(directory)
    except PolisFormatError:
        if required:
            raise
        return {}
    history: History = {}
    for p, s, v, t in zip(
        events.participant_ids.tolist(),
        events.statement_ids.tolist(),
        events.values.tolist(),
        events.timestamps.tolist(),
        strict=True,
    ):
        history.setdefault((p, s), []).append((t, v))
    return history


def _moment(epoch_ms: float) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000.0, tz=UTC)


@transaction.atomic
def import_polis_export(
    *, actor: Actor, process: Process, directory: str | Path, require_times: bool = False
) -> ImportReport:
    """Add a Pol.is conversation's statements, voters and votes; nothing is imported twice.

    `moderated = -1` becomes a rejected statement (moderated out of the map). Votes keep their
    Pol.is time (`Vote.cast_at`), and a vote changed in Pol.is its earlier values
    (`VoteRevision`), so that the map can be rebuilt as Pol.is did (replay). Raises
    `PolisFormatError` when the directory is not a readable export, or when `require_times`
    and its votes have no timestamps.
    """
    require(is_secretariat(actor, process), _("Only the secretariat imports statements."))
    comments = read_polis_comments(directory)
    votes = read_polis_export(directory)
    history = _vote_history(directory, required=require_times)
    users, n_people = _placeholders(process, votes.participant_ids.tolist())
    known = dict(
        Statement.objects.filter(process=process, polis_id__isnull=False).values_list(
            "polis_id", "id"
        )
    )
    truncated = 0
    new: list[Statement] = []
    for comment in comments:
        if comment.statement_id in known:
            continue
        text, cut = _statement_text(comment.body)
        truncated += cut
        rejected = comment.moderated == -1
        new.append(
            Statement(
                process=process,
                text=text,
                author_id=users.get(comment.author_id),
                polis_id=comment.statement_id,
                status=StatementStatus.REJECTED if rejected else StatementStatus.ACCEPTED,
                moderation_reason=_("Moderated out in Pol.is.") if rejected else "",
            )
        )
    Statement.objects.bulk_create(new)
    statement_of = dict(
        Statement.objects.filter(process=process, polis_id__isnull=False).values_list(
            "polis_id", "id"
        )
    )
    existing_votes = set(
        Vote.objects.filter(statement__process=process).values_list(
            "statement_id", "participant_id"
        )
    )
    pids = votes.participant_ids[votes.rows].tolist()
    sids = votes.statement_ids[votes.cols].tolist()
    fresh: list[Vote] = []
    earlier: list[tuple[Vote, list[tuple[float, int]]]] = []
    for p, s, v in zip(pids, sids, votes.values.tolist(), strict=True):
        if s not in statement_of or (statement_of[s], users[p]) in existing_votes:
            continue
        cast = history.get((p, s), [])
        vote = Vote(
            statement_id=statement_of[s],
            participant_id=users[p],
            value=int(v),
            cast_at=_moment(cast[-1][0]) if cast else None,
        )
        fresh.append(vote)
        if len(cast) > 1:
            earlier.append((vote, cast))
    Vote.objects.bulk_create(fresh, batch_size=2000)
    VoteRevision.objects.bulk_create(
        (
            VoteRevision(
                vote=vote, value=value, cast_at=_moment(at), replaced_at=_moment(cast[i + 1][0])
            )
            for vote, cast in earlier
            for i, (at, value) in enumerate(cast[:-1])
        ),
        batch_size=2000,
    )
    report = ImportReport(len(new), n_people, len(fresh), truncated)
    append_entry(
        process=process,
        kind="statements.imported",
        payload={
            "source": "polis",
            "statements": report.statements,
            "participants": report.participants,
            "votes": report.votes,
        },
    )
    return report


# Rows read from the database at a time: the export's memory is that of one chunk, whatever the
# number of votes (a million votes held at once took hundreds of MB).
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class ExportReport:
    statements: int
    votes: int


def export_polis(*, process: Process, directory: str | Path) -> ExportReport:
    """Write `comments.csv` and `votes.csv` in Pol.is format: accepted and rejected statements
    (rejected as moderated = -1), every vote with its time; ids are Polyvox's own.

    Both files are written row by row from ordered queries read in chunks, so memory stays
    constant; the bytes are those `write_polis_export` writes from the whole vote matrix.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    shown = Statement.objects.filter(process=process).exclude(status=StatementStatus.PENDING)
    statements = (
        shown.order_by("id")
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=VoteValue.AGREE)),
            disagrees=Count("votes", filter=Q(votes__value=VoteValue.DISAGREE)),
        )
        .values_list("id", "author_id", "text", "status", "created_at", "agrees", "disagrees")
    )
    n_statements = 0
    with (d / "comments.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COMMENT_FIELDS)
        for pk, author_id, text, status, created_at, agrees, disagrees in statements.iterator(
            chunk_size=EXPORT_CHUNK
        ):
            rejected = status == StatementStatus.REJECTED
            w.writerow(
                [
                    int(created_at.timestamp() * 1000),
                    "",
                    pk,
                    author_id or 0,
                    agrees,
                    disagrees,
                    -1 if rejected else 1,
                    text,
                ]
            )
            n_statements += 1
    votes = (
        Vote.objects.filter(statement__in=shown.values("id"))
        .order_by("id")
        .values_list("updated_at", "statement_id", "participant_id", "value")
    )
    n_votes = 0
    with (d / "votes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(VOTE_FIELDS)
        for when, statement_id, participant_id, value in votes.iterator(chunk_size=EXPORT_CHUNK):
            w.writerow([int(when.timestamp() * 1000), "", statement_id, participant_id, value])
            n_votes += 1
    return ExportReport(statements=n_statements, votes=n_votes)
