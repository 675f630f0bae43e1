"""The Pol.is export streams rows from the database: the same bytes as the in-memory export it
replaced, and a peak memory that does not grow with the number of votes."""

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from polyvox.analytics.polis_io import PolisComment, read_polis_export, write_polis_export
from polyvox.analytics.types import VoteMatrix
from polyvox.demo.deliberation import build_deliberation_process
from polyvox.participants.models import Profile, User
from polyvox.processes.models import Process
from polyvox.statements.models import Statement, StatementStatus, Vote
from polyvox.statements.polis import export_polis
from tests.factories import UserFactory, make_statement

FILES = ("comments.csv", "votes.csv")


def in_memory_export(process: Process, directory: Path) -> None:
    """The export as it was before it streamed (commit 8ae7e95): every vote read into a matrix,
    then written by `write_polis_export`. The reference the streamed files must equal."""
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


def files(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES}


@pytest.fixture
def deliberation(db: None) -> Process:
    """The demo deliberation, plus a rejected statement with a vote, a pending one with a vote
    (left out of the export) and one without an author or votes, with a comma and a quote."""
    sofia = UserFactory(username="sofia", is_staff=True)
    process = build_deliberation_process(secretariat=sofia, seed=0)
    voter = User.objects.get(username="delegate01")
    rejected = make_statement(process, "Moderated out.", status=StatementStatus.REJECTED)
    pending = make_statement(process, "Not yet moderated.", status=StatementStatus.PENDING)
    make_statement(process, 'No author, "quoted", with a comma')
    Vote.objects.create(statement=rejected, participant=voter, value=-1)
    Vote.objects.create(statement=pending, participant=voter, value=1)
    return process


def test_the_demo_deliberation_exports_the_same_bytes_as_the_in_memory_export(
    deliberation, tmp_path
):
    in_memory_export(deliberation, tmp_path / "before")
    export_polis(process=deliberation, directory=tmp_path / "after")

    before, after = files(tmp_path / "before"), files(tmp_path / "after")
    assert after == before
    assert (
        after["votes.csv"].count(b"\n")
        == 1
        + Vote.objects.filter(statement__process=deliberation)
        .exclude(statement__status=StatementStatus.PENDING)
        .count()
    )
    assert after["comments.csv"].count(b"\n") == 1 + 12 + 2


def test_the_command_reports_what_it_wrote_and_the_files_read_back(deliberation, tmp_path, capsys):
    call_command("export_polis", deliberation.slug, str(tmp_path))

    votes = Vote.objects.filter(statement__process=deliberation).exclude(
        statement__status=StatementStatus.PENDING
    )
    exported = read_polis_export(tmp_path)
    assert exported.shape[1] == 14
    assert exported.n_votes == votes.count()
    assert (
        f"Wrote 14 statements and {votes.count()} votes to {tmp_path}." in capsys.readouterr().out
    )


def test_an_empty_process_exports_two_headers(process, tmp_path):
    export_polis(process=process, directory=tmp_path / "after")
    in_memory_export(process, tmp_path / "before")

    assert files(tmp_path / "after") == files(tmp_path / "before")
    assert (tmp_path / "after" / "votes.csv").read_bytes() == (
        b"timestamp,datetime,comment-id,voter-id,vote\r\n"
    )


def add_votes(process: Process, voters: int, statements: list[Statement], start: int) -> None:
    users = User.objects.bulk_create(
        User(username=f"voter{start + n}", email=f"voter{start + n}@example.org")
        for n in range(voters)
    )
    Profile.objects.bulk_create(
        Profile(user=user, display_name=user.username, stakeholder_group="civil_society")
        for user in users
    )
    Vote.objects.bulk_create(
        (
            Vote(statement=s, participant=u, value=(u.pk + s.pk) % 3 - 1)
            for u in users
            for s in statements
        ),
        batch_size=2000,
    )


def peak_bytes_of_export(process: Process, directory: Path) -> int:
    tracemalloc.start()
    try:
        export_polis(process=process, directory=directory)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_does_not_grow_with_the_number_of_votes(process, tmp_path, monkeypatch):
    # Chunks of 200 rows, so that both sizes below read whole chunks.
    monkeypatch.setattr("polyvox.statements.polis.EXPORT_CHUNK", 200)
    statements = [make_statement(process, f"Statement {n}.") for n in range(20)]
    add_votes(process, 10, statements, start=0)  # 200 votes
    export_polis(process=process, directory=tmp_path / "warm-up")
    small = peak_bytes_of_export(process, tmp_path / "small")

    add_votes(process, 390, statements, start=10)  # 8,000 votes
    large = peak_bytes_of_export(process, tmp_path / "large")

    assert Vote.objects.count() == 8000
    assert (tmp_path / "large" / "votes.csv").read_bytes().count(b"\n") == 8001
    # Reading 8,000 votes at once into lists and a matrix took 2.3 MB more than 200 votes;
    # streamed in chunks, the peak is that of one chunk whatever the total.
    assert large - small < 128 * 1024, f"peak {small} B with 200 votes, {large} B with 8,000"
