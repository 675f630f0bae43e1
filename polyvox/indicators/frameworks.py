"""The frameworks the process-quality report maps its figures to: the São Paulo Multistakeholder
Guidelines' process steps and UNESCO's ROAM-X indicators (category M and the gender theme of X).

Sources and what is quoted or paraphrased: see `indicators.report` and docs/quality-report.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polyvox.indicators.report import Figure


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
