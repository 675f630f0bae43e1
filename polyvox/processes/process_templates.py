"""Built-in process templates: phases with default and minimum durations, policies, how it works.

Each minimum cites the document that sets it (`PhaseSpec.source`; docs/templates.md gives section
and URL). Where no rule sets a minimum, `min_days` is None and `default_days` is practice only.
Saved templates (`ProcessTemplate` rows) are read into the same dataclasses by the selectors.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polyvox.processes.models import DecisionMode, IdentityPolicy, ParticipationPolicy
from polyvox.processes.phase_types import PhaseKind

Text = str | Promise


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    title: Text
    min_days: int | None
    default_days: int
    source: str = ""  # the rule that sets min_days (docs/templates.md has the URL)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": str(self.title),
            "min_days": self.min_days,
            "default_days": self.default_days,
            "source": self.source,
        }


@dataclass(frozen=True)
class ProcessTemplateSpec:
    name: str
    title: Text
    description: Text
    how_it_works: Text
    decision_mode: str
    identity_policy: str
    participation_policy: str
    phases: tuple[PhaseSpec, ...]
    built_in: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The public shape printed by `polyvox templates --format json`."""
        return {
            "name": self.name,
            "title": str(self.title),
            "description": str(self.description),
            "decision_mode": self.decision_mode,
            "identity_policy": self.identity_policy,
            "participation_policy": self.participation_policy,
            "built_in": self.built_in,
            "phases": [phase.as_dict() for phase in self.phases],
        }

    @property
    def total_days(self) -> int:
        return sum(phase.default_days for phase in self.phases)


_ICANN = "ICANN Public Comment Guidelines for the ICANN Organization (2021); Bylaws Art. 3.6(a)"
_EO_12866 = "Executive Order 12866, §6(a)(1)"
_APA_553 = "5 U.S.C. §553(c); ACUS Recommendation 2011-2"
_EU_BR = "EU Better Regulation Guidelines SWD(2021) 305, chapter 2; Better Regulation Toolbox"

BUILT_IN_TEMPLATES: tuple[ProcessTemplateSpec, ...] = (
    ProcessTemplateSpec(
        name="igf-bpf",
        title=_("IGF Best Practice Forum"),
        description=_(
            "An open, bottom-up intersessional group: a call for contributions, a draft output "
            "commented paragraph by paragraph, a session at the annual IGF, then the final output."
        ),
        how_it_works=_(
            "1. Send contributions and case studies during the call for contributions.\n"
            "2. Comment on the draft output, paragraph by paragraph.\n"
            "3. The draft is discussed at the annual IGF session.\n"
            "4. The facilitators prepare the final output and publish how each input was "
            "considered."
        ),
        decision_mode=DecisionMode.ADVISORY,
        identity_policy=IdentityPolicy.REAL_NAMES,
        participation_policy=ParticipationPolicy.OPEN,
        phases=(
            PhaseSpec(PhaseKind.CALL_FOR_INPUTS, _("Call for contributions"), None, 42),
            PhaseSpec(PhaseKind.DRAFT_COMMENT, _("Comments on the draft output"), None, 35),
            PhaseSpec(PhaseKind.DELIBERATION, _("Session at the annual IGF"), None, 5),
            PhaseSpec(PhaseKind.DECISION, _("Final output"), None, 30),
        ),
    ),
    ProcessTemplateSpec(
        name="icann-public-comment",
        title=_("ICANN public comment"),
        description=_(
            "A public comment proceeding of at least 40 days on a proposal, followed by a staff "
            "summary report of the comments that the deciding body must refer to."
        ),
        how_it_works=_(
            "1. Comment on the proposal during the comment period (at least 40 days); you can "
            "read and reply to the comments of others.\n"
            "2. Staff publish a summary report of every comment and how it was considered.\n"
            "Comments sent after the close are not guaranteed to be considered."
        ),
        decision_mode=DecisionMode.ADVISORY,
        identity_policy=IdentityPolicy.REAL_NAMES,
        participation_policy=ParticipationPolicy.OPEN,
        phases=(
            PhaseSpec(PhaseKind.DRAFT_COMMENT, _("Public comment period"), 40, 40, _ICANN),
            PhaseSpec(PhaseKind.DECISION, _("Staff summary report"), None, 14),
        ),
    ),
    ProcessTemplateSpec(
        name="us-notice-and-comment",
        title=_("Notice-and-comment rulemaking (United States)"),
        description=_(
            "A proposed rule is published for comment (at least 30 days; 60 days for significant "
            "rules), the agency answers significant comments in the final rule, which takes "
            "effect at least 30 days after publication."
        ),
        how_it_works=_(
            "1. Read the proposed rule and submit written data, views or arguments.\n"
            "2. The agency considers every relevant comment and responds to significant ones "
            "in the statement of basis and purpose of the final rule.\n"
            "3. The final rule is published at least 30 days before it takes effect."
        ),
        decision_mode=DecisionMode.ADVISORY,
        identity_policy=IdentityPolicy.REAL_NAMES,
        participation_policy=ParticipationPolicy.OPEN,
        phases=(
            PhaseSpec(
                PhaseKind.DRAFT_COMMENT,
                _("Comment period on the proposed rule"),
                30,
                60,
                f"{_APA_553}; {_EO_12866} (60 days for significant rules)",
            ),
            PhaseSpec(PhaseKind.DECISION, _("Final rule and response to comments"), None, 90),
            PhaseSpec(
                PhaseKind.IMPLEMENTATION,
                _("Before the rule takes effect"),
                30,
                30,
                "5 U.S.C. §553(d)",
            ),
        ),
    ),
    ProcessTemplateSpec(
        name="eu-public-consultation",
        title=_("EU-style public consultation"),
        description=_(
            "A call for evidence (4 weeks), a public consultation (at least 12 weeks), then "
            "feedback on the draft act (4 weeks), with a synopsis of how inputs were used."
        ),
        how_it_works=_(
            "1. Give feedback on the call for evidence.\n"
            "2. Answer the public consultation (open at least 12 weeks).\n"
            "3. Comment on the draft act (4 weeks).\n"
            "All contributions are published; a synopsis report says how they were used."
        ),
        decision_mode=DecisionMode.ADVISORY,
        identity_policy=IdentityPolicy.REAL_NAMES,
        participation_policy=ParticipationPolicy.OPEN,
        phases=(
            PhaseSpec(PhaseKind.CALL_FOR_INPUTS, _("Call for evidence"), 28, 28, _EU_BR),
            PhaseSpec(PhaseKind.CALL_FOR_INPUTS, _("Public consultation"), 84, 84, _EU_BR),
            PhaseSpec(PhaseKind.DRAFT_COMMENT, _("Feedback on the draft act"), 28, 28, _EU_BR),
        ),
    ),
    ProcessTemplateSpec(
        name="national-igf",
        title=_("National IGF consultation"),
        description=_(
            "A national multistakeholder consultation in the way of national IGFs such as "
            "KICTANet: an online discussion, a meeting, then a report open for comment."
        ),
        how_it_works=_(
            "1. Join the online discussion: post, reply and vote on short statements.\n"
            "2. The discussion continues at the national meeting.\n"
            "3. Comment on the meeting report before it is finalised."
        ),
        decision_mode=DecisionMode.ADVISORY,
        identity_policy=IdentityPolicy.PSEUDONYMS_ALLOWED,
        participation_policy=ParticipationPolicy.OPEN,
        phases=(
            PhaseSpec(PhaseKind.DELIBERATION, _("Online discussion"), None, 28),
            PhaseSpec(PhaseKind.DELIBERATION, _("National meeting"), None, 2),
            PhaseSpec(PhaseKind.DRAFT_COMMENT, _("Comments on the report"), None, 14),
        ),
    ),
    ProcessTemplateSpec(
        name="two-phase-consultation",
        title=_("Two-phase consultation (principles, then a draft text)"),
        description=_(
            "As in Brazil's Marco Civil da Internet: first the principles are debated, then the "
            "draft text is commented article by article, so that positions can form in between."
        ),
        how_it_works=_(
            "1. Comment on the proposed principles.\n"
            "2. Comment on each article and paragraph of the draft text built from them.\n"
            "3. The authority decides and publishes how each input was considered."
        ),
        decision_mode=DecisionMode.ADVISORY,
        identity_policy=IdentityPolicy.REAL_NAMES,
        participation_policy=ParticipationPolicy.OPEN,
        phases=(
            PhaseSpec(PhaseKind.PRINCIPLES, _("Principles"), None, 45),
            PhaseSpec(PhaseKind.DRAFT_COMMENT, _("Draft text"), None, 45),
            PhaseSpec(PhaseKind.DECISION, _("Decision"), None, 30),
        ),
    ),
)


def built_in_template(name: str) -> ProcessTemplateSpec | None:
    return next((spec for spec in BUILT_IN_TEMPLATES if spec.name == name), None)
