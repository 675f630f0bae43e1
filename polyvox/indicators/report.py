"""The process-quality report: each indicator as a figure people can read, linked to its data,
and mapped to the São Paulo Multistakeholder Guidelines' process steps and UNESCO's ROAM-X
indicators (category M, multistakeholder participation, and the cross-cutting gender theme X).

Sources (/work/shared/research/norms.md §1.2 and §3, docs/quality-report.md): the titles of SPMG
steps 6, 8 and 11 are quoted from the NETmundial+10 statement; the titles of the other steps, and
the ROAM-X themes, are paraphrases (`verified=False`) until checked against the official texts,
and the report says so. Figures come from `selectors.process_indicators` (I's aggregates, every
cell under five suppressed) and never from rows: the report can leak nothing the page does not.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from polyvox.indicators.charts import number, percent


@dataclass(frozen=True)
class Figure:
    """One figure of the report, with where its data lies: a table on the indicators page
    (`anchor`) and its place in the JSON answer of the API (`pointer`, RFC 6901)."""

    key: str
    label: str
    value: str
    anchor: str
    pointer: str
    missing: bool = False


def _days(value: Any) -> str:
    if value is None:
        return "—"
    return _("%(days)s days") % {"days": number(float(value), 1)}


def _count(value: Any) -> str:
    return number(int(value)) if isinstance(value, int) else "—"


def _ratio(value: Any) -> str:
    return "—" if value is None else number(float(value), 2)


def _targets_met(participation: dict[str, Any]) -> tuple[str, bool]:
    """ "2 of 3 met" over every breakdown's targets; a target whose cell is suppressed is
    neither met nor missed, and said so."""
    rows = [
        row
        for key in ("by_group", "by_region", "by_gender")
        for row in participation.get(key) or []
        if row.get("target") is not None
    ]
    if participation.get("global_south_target") is not None:
        rows.append({"meets_target": participation.get("global_south_meets_target")})
    if not rows:
        return _("no target set"), True
    met = sum(1 for row in rows if row.get("meets_target") is True)
    unknown = sum(1 for row in rows if row.get("meets_target") is None)
    text = _("%(met)d of %(total)d met") % {"met": met, "total": len(rows)}
    if unknown:
        text += " " + _("(%(unknown)d not known: fewer than 5 inputs)") % {"unknown": unknown}
    return text, False


def _met_text(met: bool | None) -> str:
    if met is None:
        return _("not known (hidden)")
    return _("met") if met else _("not met")


def _hhi(value: Any) -> str:
    """The Herfindahl-Hirschman index on the competition authorities' scale (0 to 10,000; the
    analytics give it on shares, 0 to 1) with their reading (US DOJ/FTC Merger Guidelines 2023:
    over 1,800 highly concentrated, 1,000 to 1,800 moderately)."""
    if value is None:
        return "—"
    hhi = float(value)
    scaled = hhi * 10_000 if hhi <= 1 else hhi
    if scaled < 1000:
        reading = _("not concentrated")
    elif scaled <= 1800:
        reading = _("moderately concentrated")
    else:
        reading = _("highly concentrated")
    return _("%(value)s (%(reading)s)") % {"value": number(round(scaled), 0), "reading": reading}


def _shortest_circulation(circulation: Sequence[dict[str, Any]]) -> Any:
    days = [
        row["days_public_before_deadline"]
        for row in circulation
        if row.get("days_public_before_deadline") is not None
    ]
    return min(days) if days else None


def figures(indicators: dict[str, Any], commitments: dict[str, int]) -> dict[str, Figure]:
    """Every figure of the report, keyed; `commitments` is {"total", "overdue"}."""
    participation = indicators.get("participation") or {}
    responsiveness = indicators.get("responsiveness") or {}
    interaction = indicators.get("interaction") or {}
    concentration = indicators.get("concentration") or {}
    circulation = indicators.get("circulation") or []
    targets_text, no_targets = _targets_met(participation)
    shortest = _shortest_circulation(circulation)

    def make(key: str, label: Any, value: str, anchor: str, raw: Any = 0) -> Figure:
        pointer = "/" + key.replace(".", "/")
        return Figure(key, str(label), value, anchor, pointer, missing=raw is None)

    found = [
        make(
            "participation.inputs",
            _("Inputs received"),
            _count(participation.get("inputs")),
            "participation",
        ),
        make(
            "participation.participants",
            _("Participants who sent inputs"),
            _count(participation.get("participants")),
            "participation",
        ),
        make(
            "participation.by_group",
            _("Inputs by stakeholder group, against the targets"),
            _("table"),
            "by_group",
        ),
        make(
            "participation.by_region",
            _("Inputs by region, against the targets"),
            _("table"),
            "by_region",
        ),
        make(
            "participation.by_gender",
            _("Inputs by gender (self-described, private; groups of 5 or more only)"),
            _("table"),
            "by_gender",
        ),
        make(
            "participation.cross",
            _("Inputs by stakeholder group, region and gender"),
            _("table"),
            "cross",
        ),
        make(
            "participation.representation_score",
            _("Representation score (lowest rate ÷ highest rate against the targets)"),
            _ratio(participation.get("representation_score")),
            "participation",
            participation.get("representation_score"),
        ),
        make(
            "participation.global_south_share",
            _("Share of inputs from the Global South"),
            percent(participation.get("global_south_share")),
            "participation",
            participation.get("global_south_share"),
        ),
        Figure(
            "participation.targets",
            str(_("Participation targets met")),
            targets_text,
            "targets",
            "/participation",
            missing=no_targets,
        ),
        *(
            [
                Figure(
                    "participation.global_south_target",
                    str(_("Global South target (at least)")),
                    percent(participation["global_south_target"])
                    + " · "
                    + _met_text(participation.get("global_south_meets_target")),
                    "participation",
                    "/participation/global_south_target",
                )
            ]
            if participation.get("global_south_target") is not None
            else []
        ),
        make(
            "responsiveness.answered_share",
            _("Inputs answered"),
            percent(responsiveness.get("answered_share")),
            "responsiveness",
            responsiveness.get("answered_share"),
        ),
        make(
            "responsiveness.answered_with_reason_share",
            _("Inputs answered with a reason"),
            percent(responsiveness.get("answered_with_reason_share")),
            "responsiveness",
            responsiveness.get("answered_with_reason_share"),
        ),
        make(
            "responsiveness.median_days_to_answer",
            _("Median time to answer"),
            _days(responsiveness.get("median_days_to_answer")),
            "responsiveness",
            responsiveness.get("median_days_to_answer"),
        ),
        make(
            "responsiveness.p90_days_to_answer",
            _("Time within which 9 in 10 answers came"),
            _days(responsiveness.get("p90_days_to_answer")),
            "responsiveness",
            responsiveness.get("p90_days_to_answer"),
        ),
        make(
            "interaction.replies",
            _("Replies between participants"),
            _count(interaction.get("replies")),
            "interaction",
        ),
        make(
            "interaction.cross_group_replies",
            _("Replies across stakeholder groups"),
            _count(interaction.get("cross_group_replies")),
            "interaction",
        ),
        make(
            "interaction.cross_group_share",
            _("Share of replies that cross stakeholder groups"),
            percent(interaction.get("cross_group_share")),
            "interaction",
            interaction.get("cross_group_share"),
        ),
        make(
            "interaction.answers_given",
            _("Answers given by the secretariat"),
            _count(interaction.get("answers_given")),
            "interaction",
        ),
        make(
            "concentration.hhi_by_organisation",
            _("Concentration of inputs by organisation (Herfindahl-Hirschman index, 0 to 10,000)"),
            _hhi(concentration.get("hhi_by_organisation")),
            "concentration",
            concentration.get("hhi_by_organisation"),
        ),
        make(
            "concentration.organisations",
            _("Organisations that sent inputs"),
            _count(concentration.get("organisations")),
            "concentration",
        ),
        make(
            "concentration.campaign_share",
            _("Share of inputs sent as part of campaigns"),
            percent(concentration.get("campaign_share")),
            "concentration",
            concentration.get("campaign_share"),
        ),
        Figure(
            "circulation",
            str(_("Shortest time a draft version was public before its comment deadline")),
            _days(shortest),
            "circulation",
            "/circulation",
            missing=shortest is None,
        ),
        Figure(
            "commitments.total",
            str(_("Commitments made")),
            _count(commitments.get("total")),
            "commitments",
            "",
        ),
        Figure(
            "commitments.overdue",
            str(_("Commitments overdue")),
            _count(commitments.get("overdue")),
            "commitments",
            "",
        ),
    ]
    return {figure.key: figure for figure in found}
