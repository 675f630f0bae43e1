"""The signals page at scale: bursts found by the database (window functions) are the bursts the
pure `find_bursts` finds in the same times; shared texts and their examples in a fixed number of
queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.models import SubmissionIntake
from polyvox.campaigns.selectors.abuse_signals import find_bursts, submission_bursts
from polyvox.contributions.models import Contribution
from tests.factories import send_submission

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SIZE, WINDOW = 4, timedelta(minutes=10)
MICRO = timedelta(microseconds=1)  # 10 minutes and 3 µs is not within 10 minutes


def _sent(process, offsets, *, stated=None, name="s"):
    """Submissions received at START + offsets; `stated` maps an index to the intake's own time
    (None: an imported row without a date)."""
    stated = stated or {}
    for n, offset in enumerate(offsets):
        sent = send_submission(process, f"Text {name}{n}.", f"{name}{n}")
        Contribution.objects.filter(pk=sent.pk).update(created_at=START + offset)
        intake = SubmissionIntake.objects.filter(contribution=sent)
        if n in stated:
            intake.update(submitted_at=stated[n])
        else:  # no intake time: the time received stands
            intake.delete()


def _times(process):
    times = []
    for row in Contribution.objects.filter(process=process, kind="submission"):
        intake = SubmissionIntake.objects.filter(contribution=row).first()
        when = intake.submitted_at if intake is not None else row.created_at
        if when is not None:
            times.append(when)
    return sorted(times)


@pytest.mark.django_db
def test_bursts_from_the_database_are_the_bursts_of_the_times(process, open_phase):
    minute = timedelta(minutes=1)
    offsets = [
        *(n * minute for n in range(6)),  # 6 in 5 minutes: a burst
        timedelta(minutes=7, microseconds=1),  # joins it (within 10 minutes of the third)
        *(timedelta(hours=1) + n * timedelta(minutes=3, seconds=20) for n in range(4)),  # 10 min
        *(timedelta(hours=2) + n * (timedelta(minutes=3, seconds=20) + MICRO) for n in range(4)),
        *(timedelta(hours=3) + n * minute for n in range(3)),  # too few
    ]
    _sent(process, offsets)
    _sent(
        process,
        [timedelta(hours=5)] * 3,
        stated={0: START + timedelta(hours=4), 1: START + timedelta(hours=4, seconds=1), 2: None},
        name="t",
    )
    times = _times(process)

    found = submission_bursts(process, size=SIZE, window=WINDOW)

    assert found == find_bursts(times, size=SIZE, window=WINDOW)
    assert [(b.starts_at - START, b.count) for b in found] == [
        (timedelta(0), 7),
        (timedelta(hours=1), 4),
    ]


@pytest.mark.django_db
def test_no_submission_means_no_burst(process, open_phase):
    assert submission_bursts(process, size=SIZE, window=WINDOW) == []


def _signals_queries(client, process):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/p/{process.slug}/signals/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_the_signals_page_costs_the_same_queries_for_one_or_many_shared_texts(
    client, process, open_phase, secretariat
):
    client.force_login(secretariat)
    for n in range(3):
        send_submission(process, "The first shared text.", f"a{n}")
    few, _page = _signals_queries(client, process)

    for text in range(6):
        for n in range(3 + text):
            send_submission(process, f"Shared text number {text}.", f"b{text}x{n}")
    many, page = _signals_queries(client, process)

    assert many == few
    assert "8 submissions under 8 names" in page
    assert page.count("submissions under") == 7
