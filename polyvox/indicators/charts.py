"""Bar charts drawn on the server as SVG geometry: no chart library, no script, no inline style.

Each chart is a list of rows laid out here (coordinates, texts) and drawn by
`indicators/_bar_chart.html`; the page puts the same figures in a table beside it, which is what
screen readers and the PDF's readers who want exact numbers use. In a right-to-left page the
chart is mirrored: labels on the right, bars growing leftwards. The SVG keeps `direction="ltr"`
so that `text-anchor` means the same physical side whatever the page's direction."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 210
VALUE_ROOM = 150
ROW_HEIGHT = 28
BAR_HEIGHT = 16
TOP = 8
AXIS_ROOM = 26
BAR_COLOUR = "#2b5c8a"
MISSED_COLOUR = "#8a4b00"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    value_text: str
    label_x: float
    label_anchor: str
    value_x: float
    value_anchor: str
    text_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    colour: str
    suppressed: bool
    target_x: float | None


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    rows: list[ChartRow]
    ticks: list[Tick]
    axis_y: float
    axis_from: float
    axis_to: float
    has_targets: bool


def percent(share: float | Decimal | None, places: int = 1) -> str:
    """0.4213 → "42.1 %" in the active language's number format; "—" for no figure."""
    if share is None:
        return "—"
    return _("%(number)s %%") % {"number": number_format(float(share) * 100, places)}


def number(value: float | Decimal | int | None, places: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return number_format(value, 0, force_grouping=True)
    return number_format(float(value), places, force_grouping=True)


def _nice_top(largest: float, *, step: float) -> float:
    """The axis's end: the largest value rounded up to a whole `step` (at least one step)."""
    return max(step, math.ceil(largest / step - 1e-9) * step)


def _mirror(x: float, rtl: bool) -> float:
    return WIDTH - x if rtl else x


def bar_chart(
    key: str,
    title: str,
    description: str,
    rows: Sequence[dict[str, Any]],
    *,
    value: str,
    label: Callable[[dict[str, Any]], str],
    value_text: Callable[[dict[str, Any]], str],
    tick_text: Callable[[float], str],
    step: float,
    rtl: bool = False,
) -> BarChart:
    """A horizontal bar per row, scaled to the largest value (or target) rounded up to `step`.

    `value` names the row's figure (None: suppressed, drawn without a bar); a row's `target`
    (a share) is drawn as a dashed mark, and a bar below its target takes the warning colour."""
    figures = [float(r[value]) for r in rows if r.get(value) is not None]
    targets = [float(r["target"]) for r in rows if r.get("target") is not None]
    top = _nice_top(max([*figures, *targets, 0.0]), step=step)
    bar_from = LABEL_WIDTH + 8
    span = WIDTH - bar_from - VALUE_ROOM
    drawn = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        figure = row.get(value)
        width = 0.0 if figure is None else span * float(figure) / top
        target = row.get("target")
        target_x = None if target is None else bar_from + span * float(target) / top
        missed = row.get("meets_target") is False
        start = bar_from if not rtl else WIDTH - bar_from - width
        drawn.append(
            ChartRow(
                label=label(row),
                value_text=value_text(row),
                label_x=_mirror(LABEL_WIDTH, rtl),
                label_anchor="start" if rtl else "end",
                value_x=_mirror(bar_from + width + 6, rtl),
                value_anchor="end" if rtl else "start",
                text_y=y + BAR_HEIGHT - 3,
                bar_x=round(start, 2),
                bar_y=y,
                bar_width=round(width, 2),
                colour=MISSED_COLOUR if missed else BAR_COLOUR,
                suppressed=figure is None,
                target_x=None if target_x is None else round(_mirror(target_x, rtl), 2),
            )
        )
    axis_y = TOP + len(rows) * ROW_HEIGHT + 2
    ticks = [
        Tick(round(_mirror(bar_from + span * fraction, rtl), 2), tick_text(top * fraction))
        for fraction in (0.0, 0.5, 1.0)
    ]
    return BarChart(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=int(axis_y + AXIS_ROOM),
        bar_height=BAR_HEIGHT,
        rows=drawn,
        ticks=ticks,
        axis_y=axis_y,
        axis_from=_mirror(bar_from, rtl),
        axis_to=_mirror(bar_from + span, rtl),
        has_targets=bool(targets),
    )
