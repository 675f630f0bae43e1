"""Indicators of a process's inclusion and legitimacy, as pure functions over counts.

Participation (inputs by stakeholder group, region and gender against targets, the representation
score, the Global South share), responsiveness (answered, answered with a reason, median and 90th
percentile of days to answer), interaction (replies across stakeholder groups), concentration
(Herfindahl-Hirschman index of inputs by organisation, share of inputs in campaigns) and
circulation (days a draft version was public before its comment deadline).

The caller counts in the database (GROUP BY) and passes the counts; nothing here sees an input.
Definitions, formulas and sources: docs/indicators.md. Small cells: `indicators_suppression`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from polyvox.analytics.indicators_suppression import THRESHOLD

__all__ = [
    "THRESHOLD",
    "Concentration",
    "Interaction",
    "Responsiveness",
    "circulation_days",
    "concentration",
    "herfindahl",
    "interaction",
    "quantile",
    "representation_score",
    "responsiveness",
    "share",
]


def share(part: int | None, whole: int) -> float | None:
    """`part` ÷ `whole`, None when either is unknown or `whole` is 0."""
    if part is None or whole <= 0:
        return None
    return part / whole


def quantile(counts: Mapping[float, int], q: float) -> float | None:
    """The q-quantile (0 ≤ q ≤ 1) of values given as value → how many times it occurs, by linear
    interpolation between order statistics (Hyndman & Fan 1996, definition 7; NumPy's default):
    h = (n-1)q, then x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]) over the sorted values (0-based).
    The median is q = 0.5. None for no values."""
    if not 0 <= q <= 1:
        raise ValueError("q must be between 0 and 1")
    items = sorted((value, n) for value, n in counts.items() if n > 0)
    total = sum(n for _, n in items)
    if total == 0:
        return None
    h = (total - 1) * q
    low = math.floor(h)
    below, above = _order_statistic(items, low), _order_statistic(items, min(low + 1, total - 1))
    return below + (h - low) * (above - below)


def _order_statistic(items: Sequence[tuple[float, int]], k: int) -> float:
    """The k-th smallest value (0-based) of the sorted (value, count) pairs."""
    seen = 0
    for value, n in items:
        seen += n
        if k < seen:
            return value
    raise IndexError(k)


@dataclass(frozen=True)
class Responsiveness:
    inputs: int
    answered: int
    answered_share: float | None
    answered_with_reason_share: float | None
    median_days_to_answer: float | None
    p90_days_to_answer: float | None


def responsiveness(
    *,
    inputs: int,
    answered: int,
    answered_with_reason: int,
    days_to_answer: Mapping[float, int],
) -> Responsiveness:
    """Shares of `inputs` answered and answered with a reason; median and 90th percentile of the
    days from an input to its (first) answer, given as days → how many answers took that long."""
    if not 0 <= answered_with_reason <= answered <= inputs:
        raise ValueError("need 0 ≤ answered with a reason ≤ answered ≤ inputs")
    return Responsiveness(
        inputs=inputs,
        answered=answered,
        answered_share=share(answered, inputs),
        answered_with_reason_share=share(answered_with_reason, inputs),
        median_days_to_answer=quantile(days_to_answer, 0.5),
        p90_days_to_answer=quantile(days_to_answer, 0.9),
    )


@dataclass(frozen=True)
class Interaction:
    replies: int
    cross_group_replies: int
    cross_group_share: float | None
    answers_given: int


def interaction(*, replies: int, cross_group_replies: int, answers_given: int) -> Interaction:
    """Replies, those whose author's stakeholder group differs from the replied-to input's, and
    the answers (dispositions) the secretariat gave."""
    if not 0 <= cross_group_replies <= replies:
        raise ValueError("need 0 ≤ cross-group replies ≤ replies")
    return Interaction(
        replies=replies,
        cross_group_replies=cross_group_replies,
        cross_group_share=share(cross_group_replies, replies),
        answers_given=answers_given,
    )


def herfindahl(counts: Iterable[int]) -> float | None:
    """Herfindahl-Hirschman index: Σ sᵢ² over the shares sᵢ of each party, from 1/n (n equal
    parties) to 1 (one party has everything); times 10,000 it is the competition authorities' scale
    (US DOJ/FTC Merger Guidelines 2023: above 1,800 "highly concentrated"). None for no counts."""
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return None
    return sum((c / total) ** 2 for c in values)


@dataclass(frozen=True)
class Concentration:
    hhi_by_organisation: float | None
    organisations: int
    campaign_inputs: int
    campaign_share: float | None


def concentration(
    *, by_organisation: Mapping[str, int], inputs: int, campaign_inputs: int
) -> Concentration:
    """HHI of the inputs sent by organisations (inputs without one are not a party), the number of
    organisations, and the share of all inputs that are campaign submissions. Organisation names
    are compared case- and space-insensitively."""
    merged: Counter[str] = Counter()
    for name, count in by_organisation.items():
        key = " ".join(name.split()).casefold()
        if key:
            merged[key] += count
    return Concentration(
        hhi_by_organisation=herfindahl(merged.values()),
        organisations=sum(1 for c in merged.values() if c > 0),
        campaign_inputs=campaign_inputs,
        campaign_share=share(campaign_inputs, inputs),
    )


def circulation_days(published_at: datetime, deadline: datetime | None) -> float | None:
    """Days (to one decimal) a version was public before its comment deadline; negative when it
    was published after it; None when it had no deadline."""
    if deadline is None:
        return None
    return round((deadline - published_at).total_seconds() / 86_400, 1)


def representation_score(rates: Iterable[float | None]) -> float | None:
    """Lowest rate ÷ highest rate (Go Vocal's Representation Score): 1 when every category is
    represented alike relative to its target, near 0 when one lags. None when a rate is unknown
    (a suppressed count would be given away by the ratio), with fewer than one rate, or when
    every rate is 0."""
    values = list(rates)
    if not values or any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    highest = max(known)
    return min(known) / highest if highest > 0 else None
