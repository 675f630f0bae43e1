"""The indicators laid out for a page: breakdown tables with their charts, and figure lists.

Everything here reads the JSON-ready dict of `selectors.process_indicators` (aggregates, cells
under five already suppressed) and formats it in the active language; nothing reads a row.
A suppressed gender is never named: only a gender with a count shown, or one a target names
(the secretariat published it), keeps its label (docs/quality-report.md, "Privacy")."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from polyvox.indicators.charts import BarChart, bar_chart, number, percent
from polyvox.indicators.vocabulary import region_label
from polyvox.participants.models import StakeholderGroup

HIDDEN = "hidden"


@dataclass(frozen=True)
class BreakdownRow:
    value: str
    label: str
    count: str
    share: str
    target: str
    status: str
    status_key: str
    suppressed: bool


@dataclass(frozen=True)
class Breakdown:
    key: str
    heading: str
    caption: str
    rows: list[BreakdownRow]
    chart: BarChart | None
    has_targets: bool


def _status(row: dict[str, Any]) -> tuple[str, str]:
    if row.get("target") is None:
        return "", ""
    met = row.get("meets_target")
    if met is True:
        return _("met"), "met"
    if met is False:
        return _("below target"), "missed"
    return _("not known (hidden)"), "unknown"


def _hidden() -> str:
    return _("hidden")


def _share_text(row: dict[str, Any]) -> str:
    if row.get("count") is None:
        return _hidden()
    return _("%(share)s (%(count)s)") % {
        "share": percent(row.get("share")),
        "count": number(row["count"]),
    }


def _label(dimension: str, row: dict[str, Any]) -> str:
    value = str(row.get("value") or "")
    if dimension == "by_group" and value in StakeholderGroup.values:
        return str(StakeholderGroup(value).label)
    if dimension == "by_region" and value:
        return region_label(value)
    return str(row.get("label") or value or _("not declared"))


def gender_rows(rows: Sequence[dict[str, Any]], named: set[str]) -> list[dict[str, Any]]:
    """The gender rows safe to show: a hidden count keeps its name only where a target named it;
    the other hidden ones are folded into one "other, hidden" row."""
    shown: list[dict[str, Any]] = []
    folded = False
    for row in rows:
        if row.get("count") is not None or str(row.get("value")) in named:
            shown.append(row)
        else:
            folded = True
    if folded:
        shown.append({"value": HIDDEN, "label": _("other genders (hidden)"), "count": None})
    return shown


def breakdown(
    key: str, heading: str, caption: str, rows: Sequence[dict[str, Any]], *, chart_title: str
) -> Breakdown:
    laid_out = []
    for row in rows:
        status, status_key = _status(row)
        laid_out.append(
            BreakdownRow(
                value=str(row.get("value") or ""),
                label=_label(key, row),
                count=_hidden() if row.get("count") is None else number(row["count"]),
                share=_hidden() if row.get("count") is None else percent(row.get("share")),
                target="" if row.get("target") is None else percent(row["target"]),
                status=status,
                status_key=status_key,
                suppressed=row.get("count") is None,
            )
        )
    chart = None
    if rows:
        chart = bar_chart(
            key,
            chart_title,
            _(
                "One bar per row of the table below: the share of inputs; a dashed mark is the "
                "target; a bar in brown is below its target; a row without a bar is hidden."
            ),
            [{**row, "label": _label(key, row)} for row in rows],
            value="share",
            label=lambda row: str(row["label"]),
            value_text=_share_text,
            tick_text=lambda value: percent(value, 0),
            step=0.1,
            rtl=get_language_bidi(),
        )
    return Breakdown(
        key=key,
        heading=heading,
        caption=caption,
        rows=laid_out,
        chart=chart,
        has_targets=any(row.get("target") is not None for row in rows),
    )


def breakdowns(participation: dict[str, Any], gender_targets: set[str]) -> list[Breakdown]:
    return [
        breakdown(
            "by_group",
            _("By stakeholder group"),
            _("Inputs by the stakeholder group their authors declared"),
            participation.get("by_group") or [],
            chart_title=_("Share of inputs by stakeholder group"),
        ),
        breakdown(
            "by_region",
            _("By region"),
            _("Inputs by the UN M49 region of their authors' country"),
            participation.get("by_region") or [],
            chart_title=_("Share of inputs by region"),
        ),
        breakdown(
            "by_gender",
            _("By gender"),
            _(
                "Inputs by their authors' self-described gender (private: only groups of 5 or "
                "more are shown)"
            ),
            gender_rows(participation.get("by_gender") or [], gender_targets),
            chart_title=_("Share of inputs by gender"),
        ),
    ]


@dataclass(frozen=True)
class CrossRow:
    stakeholder_group: str
    region: str
    gender: str
    count: str


def cross_rows(rows: Sequence[dict[str, Any]], gender_targets: set[str]) -> list[CrossRow]:
    """The table by stakeholder group, region and gender; a hidden cell's gender stays unnamed."""
    laid_out = []
    for row in rows:
        gender = str(row.get("gender") or "")
        if row.get("count") is None and gender not in gender_targets:
            gender = "—"
        group = str(row.get("stakeholder_group") or "")
        laid_out.append(
            CrossRow(
                stakeholder_group=(
                    str(StakeholderGroup(group).label)
                    if group in StakeholderGroup.values
                    else group
                ),
                region=region_label(str(row.get("region") or "")) if row.get("region") else "—",
                gender=gender or _("not declared"),
                count=_hidden() if row.get("count") is None else number(row["count"]),
            )
        )
    return laid_out


def responsiveness_chart(responsiveness: dict[str, Any]) -> BarChart:
    rows = [
        {"label": _("Answered"), "share": responsiveness.get("answered_share")},
        {
            "label": _("Answered with a reason"),
            "share": responsiveness.get("answered_with_reason_share"),
        },
    ]
    return bar_chart(
        "responsiveness",
        _("Share of inputs answered"),
        _("Two bars: the share of inputs answered, and of inputs answered with a reason."),
        rows,
        value="share",
        label=lambda row: str(row["label"]),
        value_text=lambda row: percent(row.get("share")),
        tick_text=lambda value: percent(value, 0),
        step=0.25,
        rtl=get_language_bidi(),
    )


@dataclass(frozen=True)
class CirculationRow:
    draft: str
    title: str
    version: int
    published_at: str | None
    deadline: str | None
    days: str


def circulation_rows(rows: Sequence[dict[str, Any]]) -> list[CirculationRow]:
    return [
        CirculationRow(
            draft=str(row.get("draft") or ""),
            title=str(row.get("title") or ""),
            version=int(row.get("version") or 0),
            published_at=row.get("published_at"),
            deadline=row.get("deadline"),
            days=(
                _("no comment deadline")
                if row.get("days_public_before_deadline") is None
                else _("%(days)s days") % {"days": number(row["days_public_before_deadline"])}
            ),
        )
        for row in rows
    ]


def circulation_chart(rows: Sequence[dict[str, Any]]) -> BarChart | None:
    if not rows:
        return None
    return bar_chart(
        "circulation",
        _("Days each draft version was public before its comment deadline"),
        _("One bar per published draft version; a row without a bar had no comment deadline."),
        [
            {
                "label": f"{row.get('title')} v{row.get('version')}",
                "days": row.get("days_public_before_deadline"),
            }
            for row in rows
        ],
        value="days",
        label=lambda row: str(row["label"]),
        value_text=lambda row: (
            _("no deadline")
            if row.get("days") is None
            else _("%(days)s days") % {"days": number(row["days"])}
        ),
        tick_text=lambda value: _("%(days)s days") % {"days": number(int(value))},
        step=7,
        rtl=get_language_bidi(),
    )


def public_indicators(
    indicators: dict[str, Any], *, gender_targets: set[str], with_alerts: bool
) -> dict[str, Any]:
    """The dict as it may leave the server (the API, the data behind the page): a hidden gender
    is never named unless a target names it, and the alerts are for the process's staff."""
    participation = dict(indicators.get("participation") or {})
    participation["by_gender"] = [
        {
            "value": row.get("value"),
            "label": str(row.get("label") or row.get("value")),
            "count": row.get("count"),
            "share": row.get("share"),
            "target": row.get("target"),
            "meets_target": row.get("meets_target"),
        }
        for row in gender_rows(participation.get("by_gender") or [], gender_targets)
    ]
    participation["cross"] = [
        {
            **row,
            "gender": (
                row.get("gender")
                if row.get("count") is not None or str(row.get("gender")) in gender_targets
                else None
            ),
        }
        for row in participation.get("cross") or []
    ]
    return {
        **indicators,
        "participation": participation,
        "alerts": list(indicators.get("alerts") or []) if with_alerts else [],
    }
