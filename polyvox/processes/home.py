"""Reads for the home page: each process in the page's language, its current phase and deadline.

A participant arriving on the home page should see at once what each process is, what stage it
is at and how long is left to take part (issue 13): the phase open now and "closes in N days",
or the next one and "opens in N days", or that it is over. A fixed number of queries whatever
the number of processes and phases: processes, their phases (one prefetch), and the
translations of both (one query each).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from polyvox.processes.models import Phase, Process
from polyvox.processes.selectors import (
    LocalizedPhase,
    LocalizedProcess,
    localized_phases,
    localized_processes,
)

SOON_DAYS = 3  # a deadline this close is marked as soon


@dataclass(frozen=True)
class ProcessCard:
    """One process on the home page."""

    process: Process
    text: LocalizedProcess
    # "open" (a phase is open now), "upcoming" (the next phase has not started), "closed" (the
    # process was closed, or every phase is over) or "unscheduled" (no phase yet).
    stage: str
    phase: Phase | None = None  # the phase open now, or the next one
    phase_text: LocalizedPhase | None = None
    # When the open phase closes, or the next one opens; and in how many calendar days, in the
    # viewer's time zone (0: today).
    when: datetime | None = None
    days: int | None = None

    @property
    def soon(self) -> bool:
        return self.stage == "open" and self.days is not None and self.days <= SOON_DAYS


def _calendar_days(when: datetime, now: datetime) -> int:
    """Whole calendar days from `now` to `when` in the active (viewer's) time zone."""
    return (timezone.localdate(when) - timezone.localdate(now)).days


def _stage(process: Process, phases: list[Phase], now: datetime) -> tuple[str, Phase | None]:
    if process.closed_at is not None:
        return "closed", None
    open_now = [p for p in phases if p.starts_at <= now < p.ends_at]
    if open_now:
        # Overlapping phases: the one that closes first is the nearest deadline.
        return "open", min(open_now, key=lambda p: (p.ends_at, p.pk))
    upcoming = [p for p in phases if now < p.starts_at]
    if upcoming:
        return "upcoming", min(upcoming, key=lambda p: (p.starts_at, p.pk))
    return ("closed" if phases else "unscheduled"), None


def with_phases(processes: Iterable[Process]) -> list[Process]:
    """The processes with their phases prefetched in order (one more query)."""
    if hasattr(processes, "prefetch_related"):
        ordered = Phase.objects.order_by("starts_at", "id")
        processes = processes.prefetch_related(Prefetch("phases", queryset=ordered))
    return list(processes)


def process_cards(
    processes: Iterable[Process], *, language: str, now: datetime | None = None
) -> list[ProcessCard]:
    """The home page's cards, in the order given."""
    now = now or timezone.now()
    listed = with_phases(processes)
    texts = localized_processes(listed, language)
    staged = [(process, *_stage(process, list(process.phases.all()), now)) for process in listed]
    phase_texts = localized_phases([phase for _p, _s, phase in staged if phase], language)
    cards = []
    for process, stage, phase in staged:
        when = None
        if phase is not None:
            when = phase.ends_at if stage == "open" else phase.starts_at
        cards.append(
            ProcessCard(
                process=process,
                text=texts[process.pk],
                stage=stage,
                phase=phase,
                phase_text=phase_texts[phase.pk] if phase is not None else None,
                when=when,
                days=_calendar_days(when, now) if when is not None else None,
            )
        )
    return cards
