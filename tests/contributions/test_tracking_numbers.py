"""Tracking numbers come from the contribution's id: unique and increasing, with gaps, and handed
out without a lock on the process or a count of its inputs, so submissions never wait on each
other (a deadline rush). Idempotency stays exact when requests race.

The concurrency tests need a database that runs writers in parallel:
    bash scripts/with-postgres.sh .venv/bin/python -m pytest tests/contributions/test_tracking_numbers.py -q
"""

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.services.intake import receive_submission
from polyvox.contributions.models import Contribution
from polyvox.contributions.services.rules import format_tracking_number
from polyvox.processes.models import Process
from polyvox.record.models import RecordEntry
from polyvox.record.services import integrate_pending
from tests.factories import (
    MINIMAL_PDF,
    PhaseFactory,
    ProcessFactory,
    UserFactory,
    send_submission,
    submit_comment,
)

NUMBER = re.compile(r"PVX-(\d+)-(\d{5,})")


def _sequence(contribution: Contribution) -> int:
    match = NUMBER.fullmatch(contribution.tracking_number)
    assert match is not None, contribution.tracking_number
    return int(match.group(2))


def test_the_number_names_the_process_and_the_contribution_s_id(open_phase, participant, section):
    contribution = submit_comment(participant, section)
    contribution.refresh_from_db()

    assert contribution.tracking_number == format_tracking_number(
        contribution.process_id, contribution.pk
    )
    assert format_tracking_number(7, 42) == "PVX-7-00042"
    assert format_tracking_number(7, 1_234_567) == "PVX-7-1234567"


def test_numbers_in_a_process_increase_with_gaps_where_other_processes_took_ids(
    process, open_phase
):
    elsewhere = PhaseFactory().process
    first = send_submission(process, "One.", "ana")
    send_submission(elsewhere, "Elsewhere.", "bo")
    second = send_submission(process, "Two.", "chen")

    assert _sequence(first) < _sequence(second)
    assert _sequence(second) - _sequence(first) == 2  # the gap is the other process's input
    assert Contribution.objects.filter(tracking_number=second.tracking_number).count() == 1


def test_what_is_stored_carries_the_number_the_receipt_gives(process, open_phase):
    contribution = send_submission(process, "With a file.", "ana", attachment=_pdf())
    stored = Contribution.objects.get(pk=contribution.pk)
    entry = RecordEntry.objects.get(kind="contribution.submitted")

    assert NUMBER.fullmatch(stored.tracking_number)
    assert stored.tracking_number == contribution.tracking_number
    assert stored.record_entry == entry
    assert entry.payload["tracking_number"] == stored.tracking_number
    assert stored.attachment.name.endswith(f"/{stored.tracking_number}.pdf")
    assert stored.attachment.read() == MINIMAL_PDF
    assert stored.revisions.get().number == 1


def test_a_submission_neither_locks_nor_counts(process, open_phase):
    author = UserFactory(username="ana")

    with CaptureQueriesContext(connection) as queries:
        receive_submission(author=author, process=process, text="Hello.", idempotency_key="k1")

    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in statements if "FOR UPDATE" in s or "COUNT(" in s]


def test_a_refused_submission_uses_no_number_that_a_later_one_reuses(process, open_phase):
    first = send_submission(process, "One.", "ana")
    with pytest.raises(Exception, match="Write something"):
        send_submission(process, "   ", "bo")
    second = send_submission(process, "Two.", "chen")

    assert _sequence(second) > _sequence(first)
    assert Contribution.objects.count() == 2
    assert RecordEntry.objects.filter(kind="contribution.submitted").count() == 2


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("paper.pdf", MINIMAL_PDF, content_type="application/pdf")


# Real concurrency (PostgreSQL) -------------------------------------------------------------------


def _on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; run with scripts/with-postgres.sh")


def _race(count: int, attempt):
    """Run `attempt(i)` for i in range(count) in threads released at once; their results."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        try:
            return attempt(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.django_db(transaction=True)
def test_many_submissions_to_one_process_at_once_are_all_accepted_with_distinct_numbers():
    _on_postgresql()
    process = PhaseFactory().process
    authors = [UserFactory(username=f"rush{i}") for i in range(16)]

    received = _race(
        16,
        lambda i: receive_submission(
            author=authors[i], process=process, text=f"Input {i}.", idempotency_key=f"key-{i}"
        ),
    )

    numbers = [r.contribution.tracking_number for r in received]
    assert all(r.created for r in received)
    assert len(set(numbers)) == 16
    stored = Contribution.objects.filter(process=process)
    assert sorted(stored.values_list("tracking_number", flat=True)) == sorted(numbers)
    entries = RecordEntry.objects.filter(process=process, kind="contribution.submitted")
    assert Counter(e.payload["tracking_number"] for e in entries) == dict.fromkeys(numbers, 1)
    assert {c.record_entry.payload["tracking_number"] for c in stored} == set(numbers)
    integrate_pending()
    assert sorted(entries.values_list("index", flat=True)) == list(range(16))


@pytest.mark.django_db(transaction=True)
def test_requests_racing_with_one_key_make_one_contribution_and_all_get_its_receipt():
    _on_postgresql()
    process = PhaseFactory().process
    author = UserFactory(username="retrier")

    received = _race(
        8,
        lambda i: receive_submission(
            author=author, process=process, text="Same input.", idempotency_key="same-key"
        ),
    )

    assert sorted(r.created for r in received) == [False] * 7 + [True]
    [contribution] = Contribution.objects.filter(process=process)
    assert {r.contribution.tracking_number for r in received} == {contribution.tracking_number}
    assert RecordEntry.objects.filter(process=process, kind="contribution.submitted").count() == 1
    assert contribution.intake.idempotency_key == "same-key"


@pytest.mark.django_db(transaction=True)
def test_a_submission_does_not_wait_for_a_transaction_holding_the_process_row():
    """An edit of the process (or the old per-submission lock) holds its row; a submission goes
    through meanwhile instead of queueing behind it."""
    _on_postgresql()
    process = PhaseFactory().process
    author = UserFactory(username="undeterred")
    holding, release = threading.Event(), threading.Event()

    def hold_the_process_row():
        try:
            with transaction.atomic():
                Process.objects.select_for_update(no_key=True).get(pk=process.pk)
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_process_row)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            received = receive_submission(author=author, process=process, text="Now.")
    finally:
        release.set()
        holder.join()

    assert received.created
    assert Contribution.objects.filter(process=process).count() == 1


@pytest.mark.django_db(transaction=True)
def test_submissions_to_two_processes_at_once_are_numbered_apart():
    _on_postgresql()
    processes = [PhaseFactory().process, PhaseFactory(process=ProcessFactory()).process]
    authors = [UserFactory(username=f"both{i}") for i in range(8)]

    received = _race(
        8,
        lambda i: receive_submission(author=authors[i], process=processes[i % 2], text=f"{i}."),
    )

    for process in processes:
        mine = [r.contribution for r in received if r.contribution.process_id == process.pk]
        assert {NUMBER.fullmatch(c.tracking_number).group(1) for c in mine} == {str(process.pk)}
    assert len({r.contribution.tracking_number for r in received}) == 8


@pytest.mark.django_db(transaction=True)
def test_two_submissions_racing_with_one_external_id_leave_one_and_a_clear_refusal():
    _on_postgresql()
    process = PhaseFactory().process
    authors = [UserFactory(username=f"source{i}") for i in range(2)]

    def attempt(i):
        try:
            return receive_submission(
                author=authors[i], process=process, text=f"{i}.", external_id="ext-1"
            ).created
        except ValidationError as error:
            return error.message_dict

    outcomes = _race(2, attempt)

    assert sorted(outcomes, key=repr) == [
        True,
        {"external_id": ["A submission with this external id exists."]},
    ]
    assert Contribution.objects.filter(process=process).count() == 1
    assert RecordEntry.objects.filter(process=process, kind="contribution.submitted").count() == 1
