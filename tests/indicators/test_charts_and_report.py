"""The server-drawn charts' geometry and the report's figures, from hand-made indicator dicts."""

from polyvox.indicators import charts
from polyvox.indicators.frameworks import frameworks
from polyvox.indicators.presenting import gender_rows, public_indicators
from polyvox.indicators.report import figures

ROWS = [
    {"value": "government", "label": "Government", "count": 10, "share": 0.5, "target": 0.3},
    {"value": "academia", "label": "Academia", "count": 5, "share": 0.25, "target": 0.4},
    {"value": "individual", "label": "Individual", "count": None, "share": None, "target": None},
]


def _chart(rtl: bool = False) -> charts.BarChart:
    return charts.bar_chart(
        "by_group",
        "Share of inputs",
        "One bar per row.",
        [{**row, "meets_target": row["value"] == "government"} for row in ROWS],
        value="share",
        label=lambda row: row["label"],
        value_text=lambda row: str(row["share"]),
        tick_text=lambda value: f"{value:.0%}",
        step=0.1,
        rtl=rtl,
    )


def test_bars_are_scaled_to_the_largest_value_rounded_up_to_a_step():
    chart = _chart()
    span = charts.WIDTH - (charts.LABEL_WIDTH + 8) - charts.VALUE_ROOM  # 272 units for 0.5

    assert [row.bar_width for row in chart.rows] == [span, span / 2, 0.0]
    assert [tick.label for tick in chart.ticks] == ["0%", "25%", "50%"]


def test_a_target_is_a_mark_on_its_row_and_a_missed_one_colours_the_bar():
    chart = _chart()
    bar_from = charts.LABEL_WIDTH + 8

    assert chart.rows[0].target_x == round(bar_from + 272 * 0.3 / 0.5, 2)
    assert chart.rows[0].colour == charts.BAR_COLOUR
    assert chart.rows[1].colour == charts.MISSED_COLOUR
    assert chart.rows[2].target_x is None
    assert chart.has_targets


def test_a_suppressed_row_has_no_bar():
    assert [row.suppressed for row in _chart().rows] == [False, False, True]


def test_in_right_to_left_the_chart_is_mirrored():
    ltr, rtl = _chart(), _chart(rtl=True)

    assert rtl.rows[0].label_x == charts.WIDTH - ltr.rows[0].label_x
    assert (ltr.rows[0].label_anchor, rtl.rows[0].label_anchor) == ("end", "start")
    assert rtl.rows[0].bar_x + rtl.rows[0].bar_width == charts.WIDTH - ltr.rows[0].bar_x
    assert rtl.rows[0].target_x == charts.WIDTH - ltr.rows[0].target_x


def _indicators(**participation: object) -> dict:
    return {
        "process": "p",
        "computed_at": "2031-01-01T00:00:00+00:00",
        "suppress_below": 5,
        "participation": {
            "inputs": 40,
            "participants": 30,
            "by_group": [
                {"value": "government", "count": 8, "share": 0.2, "target": 0.25,
                 "meets_target": False},
                {"value": "civil_society", "count": 32, "share": 0.8, "target": 0.5,
                 "meets_target": True},
            ],
            "by_region": [],
            "by_gender": [],
            "cross": [],
            "representation_score": 0.5,
            "global_south_share": 0.625,
            **participation,
        },
        "responsiveness": {
            "inputs": 40, "answered": 30, "answered_share": 0.75,
            "answered_with_reason_share": 0.5, "median_days_to_answer": 3.5,
            "p90_days_to_answer": 12.0,
        },
        "interaction": {"replies": 10, "cross_group_replies": 4, "cross_group_share": 0.4,
                        "answers_given": 30},
        "concentration": {"hhi_by_organisation": 0.2, "organisations": 6, "campaign_inputs": 10,
                          "campaign_share": 0.25},
        "circulation": [
            {"draft": "principles", "title": "Principles", "version": 1,
             "published_at": "2031-01-01T00:00:00+00:00", "deadline": None,
             "days_public_before_deadline": 30.0},
            {"draft": "principles", "title": "Principles", "version": 2,
             "published_at": "2031-02-01T00:00:00+00:00", "deadline": None,
             "days_public_before_deadline": 12.5},
        ],
        "alerts": [{"code": "no_input_from_group", "message": "No input", "value": "academia"}],
    }  # fmt: skip


def test_the_report_s_figures_read_as_people_write_them():
    found = figures(_indicators(), {"total": 3, "overdue": 1})

    assert found["participation.inputs"].value == "40"
    assert found["participation.global_south_share"].value == "62.5 %"
    assert found["participation.representation_score"].value == "0.50"
    assert found["participation.targets"].value == "1 of 2 met"
    assert found["responsiveness.median_days_to_answer"].value == "3.5 days"
    assert found["concentration.hhi_by_organisation"].value == "2,000 (highly concentrated)"
    assert found["circulation"].value == "12.5 days"  # the shortest of the two versions
    assert found["commitments.overdue"].value == "1"


def test_every_figure_names_its_table_and_its_place_in_the_json():
    found = figures(_indicators(), {"total": 0, "overdue": 0})

    assert found["responsiveness.answered_share"].anchor == "responsiveness"
    assert found["responsiveness.answered_share"].pointer == "/responsiveness/answered_share"
    assert found["participation.by_gender"].anchor == "by_gender"


def test_the_report_maps_figures_to_the_verified_sao_paulo_steps_and_to_roam_x():
    mapped = {f.key: f for f in frameworks(figures(_indicators(), {"total": 0, "overdue": 0}))}
    steps = {c.code: c for c in mapped["sao-paulo"].criteria}

    assert steps["SPMG 8"].title == "Factor in feedback from wider community"
    assert steps["SPMG 8"].verified
    assert not steps["SPMG 2"].verified
    assert [f.key for f in steps["SPMG 8"].figures][:2] == [
        "responsiveness.answered_share",
        "responsiveness.answered_with_reason_share",
    ]
    assert [f.key for f in steps["SPMG 11"].figures] == ["commitments.total", "commitments.overdue"]
    themes = mapped["roam-x"].criteria
    assert any("participation.by_gender" in [f.key for f in t.figures] for t in themes)


def test_a_hidden_gender_is_never_named_unless_a_target_names_it():
    rows = [
        {"value": "woman", "count": 12, "share": 0.4},
        {"value": "non-binary", "count": None, "share": None, "target": 0.1},
        {"value": "other / not shown", "count": None, "share": None},
    ]

    shown = gender_rows(rows, named={"non-binary"})

    assert [row["value"] for row in shown] == ["woman", "non-binary", "hidden"]


def test_alerts_leave_the_server_only_for_the_staff():
    indicators = _indicators()

    assert public_indicators(indicators, gender_targets=set(), with_alerts=False)["alerts"] == []
    assert public_indicators(indicators, gender_targets=set(), with_alerts=True)["alerts"] == [
        indicators["alerts"][0]
    ]
