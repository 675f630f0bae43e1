"""The secretariat-only signals of inauthenticity: bursts of submissions, texts shared under
several names, e-mail domains and networks shared by many submissions (never shown publicly)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from polyvox.campaigns.models import SubmissionIntake
from polyvox.campaigns.permissions import can_see_signals
from polyvox.contributions.models import Contribution, ContributionKind
from polyvox.core.permissions import Actor, require
from polyvox.processes.models import Process

BURST_SIZE = 20  # submissions …
BURST_WINDOW = timedelta(minutes=10)  # … within this long count as a burst
MIN_NAMES_FOR_SHARED_TEXT = 3
MIN_SHARED_DOMAIN_OR_NETWORK = 5


@dataclass(frozen=True)
class Burst:
    starts_at: datetime
    ends_at: datetime
    count: int


@dataclass(frozen=True)
class SharedText:
    tracking_numbers: tuple[str, ...]  # a few examples
    text: str
    submissions: int
    names: int


@dataclass(frozen=True)
class SharedOrigin:
    value: str
    submissions: int


@dataclass(frozen=True)
class Signals:
    """Leads for the secretariat to look into, not verdicts; nothing is hidden or deleted."""

    bursts: tuple[Burst, ...]
    shared_texts: tuple[SharedText, ...]
    email_domains: tuple[SharedOrigin, ...]
    networks: tuple[SharedOrigin, ...]


def find_bursts(times: list[datetime], *, size: int, window: timedelta) -> list[Burst]:
    """Maximal runs where every `size` consecutive times fit in `window`; times sorted."""
    bursts: list[Burst] = []
    start = None
    for i in range(len(times) - size + 1):
        if times[i + size - 1] - times[i] <= window:
            if start is None or i > start[1]:
                if start is not None:
                    bursts.append(Burst(times[start[0]], times[start[1]], start[1] - start[0] + 1))
                start = [i, i + size - 1]
            else:
                start[1] = i + size - 1
    if start is not None:
        bursts.append(Burst(times[start[0]], times[start[1]], start[1] - start[0] + 1))
    return bursts


# When each submission was sent: the intake's time, else when it was received; an intake without
# a time (an imported row without a date) says nothing about timing.
_SENT_AT = """
    SELECT CASE WHEN i.id IS NULL THEN c.created_at ELSE i.submitted_at END AS sent_at
    FROM {contributions} c
    LEFT JOIN {intakes} i ON i.contribution_id = c.id
    WHERE c.process_id = %s AND c.kind = %s
"""
# Microseconds from `a` to `b`: exact on PostgreSQL's timestamps and on SQLite's ISO texts
# ('YYYY-MM-DD HH:MM:SS' and an optional '.ffffff').
_GAP = {
    "postgresql": "(EXTRACT(EPOCH FROM ({b} - {a})) * 1000000)",
    "sqlite": "((strftime('%%s', {b}) - strftime('%%s', {a})) * 1000000"
    " + CAST(substr({b}, 21) AS INTEGER) - CAST(substr({a}, 21) AS INTEGER))",
}
# `find_bursts` in the database: a submission starts a window when the submission `size` - 1
# later is within `window` of it; windows closer than `size` submissions apart join one burst
# (gaps and islands), which spans its first window's start to its last window's end.
_BURSTS = """
WITH sent AS ({sent}),
numbered AS (
    SELECT sent_at, ROW_NUMBER() OVER (ORDER BY sent_at) AS position,
           LEAD(sent_at, %s) OVER (ORDER BY sent_at) AS window_end
    FROM sent WHERE sent_at IS NOT NULL
),
windows AS (
    SELECT position, sent_at, window_end,
           CASE WHEN position - LAG(position) OVER (ORDER BY position) < %s THEN 0 ELSE 1 END
               AS starts
    FROM numbered WHERE window_end IS NOT NULL AND {gap} <= %s
),
islands AS (
    SELECT position, sent_at, window_end, SUM(starts) OVER (ORDER BY position) AS burst
    FROM windows
)
SELECT MIN(sent_at), MAX(window_end), MAX(position) - MIN(position) + %s
FROM islands GROUP BY burst ORDER BY burst
"""


def _moment(value: datetime | str) -> datetime:
    """A timestamp as the ORM gives it (aware, UTC) from raw SQL (SQLite answers text)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def submission_bursts(process: Process, *, size: int, window: timedelta) -> list[Burst]:
    """`find_bursts` of the submissions' times, computed by the database in one query (window
    functions), so 100,000 submissions are never loaded to find a few bursts."""
    gap = _GAP["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    sent = _SENT_AT.format(
        contributions=Contribution._meta.db_table, intakes=SubmissionIntake._meta.db_table
    )
    sql = _BURSTS.format(sent=sent, gap=gap.format(a="sent_at", b="window_end"))
    micros = window // timedelta(microseconds=1)
    params: list[int | str] = [process.pk, ContributionKind.SUBMISSION.value, size - 1, size]
    params += [micros, size]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Burst(_moment(start), _moment(end), count) for start, end, count in rows]


def _shared_texts(process: Process) -> list[SharedText]:
    rows = list(
        Contribution.objects.filter(process=process, kind=ContributionKind.SUBMISSION)
        .order_by()
        .values("body")
        .annotate(n=Count("id"), names=Count("author_name", distinct=True))
        .filter(names__gte=MIN_NAMES_FOR_SHARED_TEXT)
        .order_by("-names", "-n")[:20]
    )
    # The examples of every text in one query (the first five of each, oldest first).
    numbered = (
        Contribution.objects.filter(
            process=process, kind=ContributionKind.SUBMISSION, body__in=[r["body"] for r in rows]
        )
        .annotate(
            place=Window(RowNumber(), partition_by=[F("body")], order_by=[F("created_at"), F("id")])
        )
        .values_list("body", "tracking_number", "place")
    )
    examples: dict[str, list[str]] = {}
    for body, number, _place in numbered.filter(place__lte=5) if rows else []:
        examples.setdefault(body, []).append(number)
    return [
        SharedText(tuple(examples.get(row["body"], ())), row["body"], row["n"], row["names"])
        for row in rows
    ]


def _shared(process: Process, field: str) -> tuple[SharedOrigin, ...]:
    rows = (
        SubmissionIntake.objects.filter(process=process)
        .exclude(**{field: ""})
        .order_by()
        .values_list(field)
        .annotate(n=Count("id"))
        .filter(n__gte=MIN_SHARED_DOMAIN_OR_NETWORK)
        .order_by("-n")[:20]
    )
    return tuple(SharedOrigin(value, n) for value, n in rows)


def signals(*, viewer: Actor | None, process: Process) -> Signals:
    require(can_see_signals(viewer, process), _("Only the secretariat sees these signals."))
    return Signals(
        bursts=tuple(submission_bursts(process, size=BURST_SIZE, window=BURST_WINDOW)),
        shared_texts=tuple(_shared_texts(process)),
        email_domains=_shared(process, "email_domain"),
        networks=_shared(process, "network"),
    )
