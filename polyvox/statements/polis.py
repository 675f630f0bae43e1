"""Pol.is interoperability: import a Pol.is export into a process, export a process in its format.

File formats are the engine's business (`polyvox.analytics.polis_io`); this module maps them onto
statements, votes and placeholder participants. Imports are idempotent: statements are keyed by
their Pol.is comment-id, voters by a username derived from their Pol.is participant id.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from polyvox.analytics.polis_io import (
    PolisComment,
    read_polis_comments,
    read_polis_export,
    write_polis_export,
)
from polyvox.analytics.types import VoteMatrix
from polyvox.core.permissions import Actor, require
from polyvox.participants.models import Profile, StakeholderGroup, User
from polyvox.processes.models import Process
from polyvox.processes.permissions import is_secretariat
from polyvox.record.services import append_entry
from polyvox.statements.models import MAX_STATEMENT_CHARS, Statement, StatementStatus, Vote


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


@transaction.atomic
def import_polis_export(*, actor: Actor, process: Process, directory: str | Path) -> ImportReport:
    """Add a Pol.is conversation's statements, voters and votes; nothing is imported twice.

    `moderated = -1` becomes a rejected statement (moderated out of the map). Raises
    `PolisFormatError` when the directory is not a readable export.
    """
    require(is_secretariat(actor, process), _("Only the secretariat imports statements."))
    comments = read_polis_comments(directory)
    votes = read_polis_export(directory)
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
    fresh = [
        Vote(statement_id=statement_of[s], participant_id=users[p], value=int(v))
        for p, s, v in zip(pids, sids, votes.values.tolist(), strict=True)
        if s in statement_of and (statement_of[s], users[p]) not in existing_votes
    ]
    Vote.objects.bulk_create(fresh, batch_size=2000)
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


def export_polis(*, process: Process, directory: str | Path) -> VoteMatrix:
    """Write `comments.csv` and `votes.csv` in Pol.is format: accepted and rejected statements
    (rejected as moderated = -1), every vote with its time; ids are Polyvox's own."""
    statements = list(
        Statement.objects.filter(process=process)
        .exclude(status=StatementStatus.PENDING)
        .order_by("id")
    )
    rows = list(
        Vote.objects.filter(statement__in=statements)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    pid, sid, val, when = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [])
    matrix = VoteMatrix.from_votes(
        pid,
        sid,
        val,
        all_statement_ids=[s.pk for s in statements],
        moderated_out_ids=[s.pk for s in statements if s.status == StatementStatus.REJECTED],
    )
    # one vote per (participant, statement) in the database, so from_votes keeps input order
    stamps = np.array([int(t.timestamp() * 1000) for t in when], dtype=np.int64)
    comments = [
        PolisComment(
            statement_id=s.pk,
            author_id=s.author_id or 0,
            body=s.text,
            moderated=-1 if s.status == StatementStatus.REJECTED else 1,
            timestamp=int(s.created_at.timestamp() * 1000),
        )
        for s in statements
    ]
    write_polis_export(directory, matrix, comments, timestamps=stamps)
    return matrix
