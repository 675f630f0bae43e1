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
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass(frozen=True)
class Criterion:
    """A step of the guidelines, or an indicator theme, with the figures that evidence it."""

    code: str
    title: str
    verified: bool
    asks: str
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class _Spec:
    code: str
    title: Any
    verified: bool
    asks: Any
    keys: tuple[str, ...]


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
            _("Time within which 90 % of answers came"),
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


# São Paulo Multistakeholder Guidelines (NETmundial+10, 2024), process steps. Steps 6, 8 and 11
# are quoted (APC, seeds/001); the others are the research notes' reconstruction (norms.md §1.2).
SAO_PAULO_STEPS = [
    _Spec(
        "SPMG 2",
        gettext_lazy("Identify and map stakeholders"),
        False,
        gettext_lazy(
            "Who took part, by stakeholder group, region and gender, against the targets the "
            "secretariat set; multilateral processes should ensure “the meaningful "
            "participation of all stakeholders, especially from the Global South”."
        ),
        (
            "participation.participants",
            "participation.by_group",
            "participation.by_region",
            "participation.by_gender",
            "participation.global_south_share",
            "participation.targets",
            "participation.representation_score",
        ),
    ),
    _Spec(
        "SPMG 4",
        gettext_lazy("Share information and ensure access to it"),
        False,
        gettext_lazy("Whether each draft was public long enough before comments closed."),
        ("circulation",),
    ),
    _Spec(
        "SPMG 5",
        gettext_lazy("Consult: call for inputs"),
        False,
        gettext_lazy(
            "How many inputs came, from how many organisations, and whether a few organisations "
            "or mass campaigns dominated them (power asymmetries)."
        ),
        (
            "participation.inputs",
            "concentration.organisations",
            "concentration.hhi_by_organisation",
            "concentration.campaign_share",
        ),
    ),
    _Spec(
        "SPMG 6",
        gettext_lazy("Facilitate dialogue"),
        True,
        gettext_lazy(
            "“Facilitate open dialogue, collaboration and deliberation among and between "
            "relevant stakeholders, encouraging respectful communication and consensus "
            "building.”"
        ),
        (
            "interaction.replies",
            "interaction.cross_group_replies",
            "interaction.cross_group_share",
            "interaction.answers_given",
        ),
    ),
    _Spec(
        "SPMG 8",
        gettext_lazy("Factor in feedback from wider community"),
        True,
        gettext_lazy(
            "“Adapt the draft outcomes taking into account the inputs stemming from the "
            "consultation, transparently reporting on how inputs were considered, and the "
            "corresponding reasons.”"
        ),
        (
            "responsiveness.answered_share",
            "responsiveness.answered_with_reason_share",
            "responsiveness.median_days_to_answer",
            "responsiveness.p90_days_to_answer",
        ),
    ),
    _Spec(
        "SPMG 11",
        gettext_lazy("Implementation and accountability in decision making"),
        True,
        gettext_lazy(
            "“Establish mechanisms for implementing decisions and holding stakeholders "
            "accountable for their commitments.”"
        ),
        ("commitments.total", "commitments.overdue"),
    ),
]

# UNESCO Internet Universality (ROAM-X) indicators, 2019: the themes of category M and the
# cross-cutting gender theme, paraphrased (their numbering is not reproduced until verified).
ROAM_X_THEMES = [
    _Spec(
        "ROAM-X M",
        gettext_lazy("Multistakeholder participation: do all stakeholder groups take part?"),
        False,
        gettext_lazy(
            "Whether government, business, civil society, the technical community and academia "
            "take part; evidence: participant lists by stakeholder group."
        ),
        (
            "participation.participants",
            "participation.by_group",
            "participation.representation_score",
            "participation.cross",
        ),
    ),
    _Spec(
        "ROAM-X M",
        gettext_lazy("Multistakeholder participation: are drafts open to public consultation?"),
        False,
        gettext_lazy(
            "Whether draft policies are subject to public consultation; evidence: the records "
            "of the consultation, and that input influenced the outcome."
        ),
        (
            "circulation",
            "participation.inputs",
            "responsiveness.answered_share",
            "responsiveness.answered_with_reason_share",
        ),
    ),
    _Spec(
        "ROAM-X M",
        gettext_lazy("Multistakeholder participation: under-represented regions"),
        False,
        gettext_lazy(
            "Whether stakeholders from every region, the Global South included, take part; "
            "evidence: participation by region."
        ),
        ("participation.by_region", "participation.global_south_share"),
    ),
    _Spec(
        "ROAM-X X",
        gettext_lazy("Cross-cutting, gender: are women participating?"),
        False,
        gettext_lazy(
            "Women's participation in Internet governance; evidence: participant lists "
            "disaggregated by gender (here self-described, private, in groups of 5 or more)."
        ),
        ("participation.by_gender", "participation.cross"),
    ),
]


def _criteria(specs: Sequence[_Spec], found: dict[str, Figure]) -> list[Criterion]:
    return [
        Criterion(
            spec.code,
            str(spec.title),
            spec.verified,
            str(spec.asks),
            [found[key] for key in spec.keys if key in found],
        )
        for spec in specs
    ]


def sao_paulo_steps(found: dict[str, Figure]) -> list[Criterion]:
    return _criteria(SAO_PAULO_STEPS, found)


def roam_x_themes(found: dict[str, Figure]) -> list[Criterion]:
    return _criteria(ROAM_X_THEMES, found)


@dataclass(frozen=True)
class Framework:
    key: str
    title: str
    note: str
    criteria: list[Criterion]


def frameworks(found: dict[str, Figure]) -> list[Framework]:
    """The two frameworks the report maps its figures to, in the report's order."""
    return [
        Framework(
            "sao-paulo",
            _("São Paulo Multistakeholder Guidelines: process steps"),
            _(
                "NETmundial+10 Multistakeholder Statement (2024). The titles of steps 6, 8 and 11 "
                "are quoted; the others are paraphrased from the guidelines' themes until "
                "checked against the official text."
            ),
            sao_paulo_steps(found),
        ),
        Framework(
            "roam-x",
            _("UNESCO Internet Universality indicators (ROAM-X)"),
            _(
                "UNESCO, Internet Universality Indicators (2019): category M, multistakeholder "
                "participation, and the cross-cutting category X (gender). The questions are "
                "paraphrased and their numbers left out until checked against the publication."
            ),
            roam_x_themes(found),
        ),
    ]
