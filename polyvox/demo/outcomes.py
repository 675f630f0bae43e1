"""The demo's fourth process: the second half of a process — recommendations, consensus
designations, a decision under chamber rules, and commitments followed up in public.

The national IGF's community-network principles (the consultation's version 2) become three
recommendations. The chair proposes "consensus" on the first, an operator objects, and the final
designation carries the objection as a minority view. Personas and the dialogue's delegates
record positions; the second recommendation is decided under chamber rules (each stakeholder group
a chamber), its what-if table beside it, and its proposed designation is still open to objections;
the third is still being decided. Organisations commit to carry the recommendations out, and the
commitments show every state: planned, in progress, done (and contested), dropped and overdue.

Everything goes through the services with the clock each step had (`now=`), so the record and
the notifications are the ones a real run would leave, and the dates are relative to today.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from polyvox.commitments.services.following import (
    answer_contestation,
    contest_update,
    post_update,
)
from polyvox.commitments.services.making import make_commitment
from polyvox.demo import drafts as texts
from polyvox.drafts.models import Section
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.organisations.models import Organisation
from polyvox.outcomes.models import Level, PositionKind, Recommendation
from polyvox.outcomes.services.decisions import declare_decision, record_position
from polyvox.outcomes.services.designations import (
    finalise_designation,
    object_to,
    propose_designation,
)
from polyvox.outcomes.services.recommendations import add_recommendation
from polyvox.outcomes.services.rules import update_outcome_settings
from polyvox.participants.models import User
from polyvox.processes.models import Process, Role
from polyvox.processes.services.creating import create_process
from polyvox.processes.services.membership import add_member
from polyvox.processes.services.scheduling import schedule_phase

SLUG = "cn-outcomes"
CHAIR = "marc"

# Each stakeholder group is a chamber; governments decide by two thirds of their votes cast.
CHAMBERS = {
    "government": "2/3:votes",
    "private_sector": ">1/2:votes",
    "civil_society": ">1/2:votes",
    "technical_community": ">1/2:votes",
    "academia": ">1/2:votes",
}

# (title, text, the anchor of the draft heading it carries out,
#  the chance that a participant supports it, by stakeholder group; others: 0.6)
RECOMMENDATIONS: tuple[tuple[str, str, str, dict[str, float]], ...] = (
    (
        "Reserve unused spectrum for community networks",
        "Regulators should let community networks use assigned but unused spectrum in rural "
        "areas, on a secondary basis, with a simple notification instead of a licence.",
        "principle-1-access-to-spectrum",
        {"private_sector": 0.35, "government": 0.75},
    ),
    (
        "Open universal service funds to community networks",
        "Universal service funds should be open to community networks on the same terms as "
        "operators, with reporting proportionate to their size.",
        "principle-3-universal-service-funds",
        {"private_sector": 0.55, "government": 0.8, "civil_society": 0.9},
    ),
    (
        "Scale licence fees with the number of people served",
        "Licence fees for community networks should scale with the number of people served, "
        "and be waived below 1,000 people.",
        "principle-2-licensing",
        {"private_sector": 0.3, "government": 0.5},
    ),
)

OBJECTION = (
    "Pacific Backhaul supports secondary use, but there is no consensus on a notification "
    "regime: bands shared with satellite downlinks need coordination case by case. We ask "
    "that the designation be **strong support but significant opposition**, and that the "
    "recommendation say so."
)
DESIGNATION_RATIONALE = (
    "A large majority in every stakeholder group supports the recommendation; the private "
    "sector is divided and its concern about coordination is recorded as a minority view."
)
FINAL_RATIONALE = (
    "Confirmed after the objection period: one objection, from one organisation; the "
    "coordination concern is attached verbatim as a minority view."
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _sections(process: Process, anchor: str) -> list[Section]:
    """The heading `anchor` and its paragraphs in the process's latest published version."""
    return list(
        Section.objects.published()
        .filter(version__draft__process=process, anchor__startswith=anchor)
        .order_by("-version__number", "order")[:3]
    )


def _build_process(secretariat: User, now: datetime) -> Process:
    process = create_process(
        actor=secretariat,
        slug=SLUG,
        title="Community networks: recommendations and follow-up",
        mandate="The national IGF turns its principles for community networks into "
        "recommendations, designates the level of consensus on each, decides by chamber where "
        "a decision is needed, and follows up the commitments made to carry them out.",
        languages=["en", "fr", "es"],
        decision_mode="consensus",
        how_it_works="The chair proposes a consensus designation on each recommendation; anyone "
        "taking part may object within 7 days, and objections that stand are published as "
        "minority views. Where a decision is needed, each stakeholder group is a chamber.",
    )
    for kind, title, start, end in (
        ("draft_comment", "Comments on the principles", -60, -30),
        ("decision", "Recommendations and decisions", -30, 10),
        ("implementation", "Implementation and follow-up", 10, 370),
    ):
        schedule_phase(
            actor=secretariat,
            process=process,
            kind=kind,
            title=title,
            starts_at=now + timedelta(days=start),
            ends_at=now + timedelta(days=end),
        )
    add_member(actor=secretariat, process=process, user=_user(CHAIR), role=Role.CHAIR)
    draft = create_draft(actor=secretariat, process=process, slug="principles", title="Principles")
    publish_draft_version(actor=secretariat, draft=draft, markdown=texts.V2)
    update_outcome_settings(
        actor=secretariat,
        process=process,
        rule_set="chambers",
        chambers=CHAMBERS,
        objection_days=7,
    )
    return process


def _record_positions(
    recommendations: list[Recommendation], voters: list[User], rng: random.Random, when: datetime
) -> None:
    for recommendation, (_title, _text, _anchor, support) in zip(
        recommendations, RECOMMENDATIONS, strict=True
    ):
        for voter in voters:
            if rng.random() < 0.1:
                continue  # not everyone takes a position on everything
            group = voter.profile.stakeholder_group
            draw = rng.random()
            p_support = support.get(group, 0.6)
            if draw < p_support * 0.7:
                position = PositionKind.SUPPORT
            elif draw < p_support:
                position = PositionKind.CAN_LIVE_WITH
            elif draw < p_support + 0.08:
                position = PositionKind.ABSTAIN
            else:
                position = PositionKind.OPPOSE
            record_position(actor=voter, recommendation=recommendation, position=position, now=when)


def _designate(recommendations: list[Recommendation], chair: User, now: datetime) -> None:
    first, second, _third = recommendations
    proposal = propose_designation(
        actor=chair,
        recommendation=first,
        level=Level.CONSENSUS,
        rationale=DESIGNATION_RATIONALE,
        now=now - timedelta(days=18),
    )
    object_to(
        actor=_user("kenji"),
        designation=proposal,
        reason=OBJECTION,
        on_behalf_of=_organisation("Pacific Backhaul Ltd"),
        now=now - timedelta(days=16),
    )
    finalise_designation(
        actor=chair,
        proposal=proposal,
        level=Level.CONSENSUS,
        rationale=FINAL_RATIONALE,
        now=now - timedelta(days=10),
    )
    # Still open to objections, so a visitor can object.
    propose_designation(
        actor=chair,
        recommendation=second,
        level=Level.STRONG_SUPPORT,
        rationale="Every chamber passed it, but a third of the private sector opposes it.",
        now=now - timedelta(days=1),
    )


def _commit(process: Process, recommendations: list[Recommendation], now: datetime) -> None:
    """Commitments in every state: in progress, overdue, done and contested, planned, dropped."""
    first, second, third = recommendations
    days = timedelta(days=1)
    mapping = make_commitment(
        actor=_user("amina"),
        process=process,
        title="Publish an open map of community networks in West Africa",
        description="With their spectrum use, so regulators can see what secondary use serves.",
        due_on=(now + 60 * days).date(),
        organisation=_organisation("Réseau Communautaire Ouest"),
        recommendations=[first],
        now=now - 9 * days,
    )
    post_update(
        actor=_user("amina"),
        commitment=mapping,
        status="in_progress",
        text="Surveys sent to 140 networks; 61 answered so far.",
        evidence=["https://example.org/rco/map-survey"],
        now=now - 4 * days,
    )
    decision = getattr(second, "decision", None)
    sandbox = make_commitment(
        actor=_user("lucia"),
        process=process,
        title="Open a regulatory sandbox for universal service funding of community networks",
        due_on=(now - 5 * days).date(),
        organisation=_organisation("Secretaría de Innovación"),
        recommendations=[second],
        decision=decision,
        now=now - 8 * days,
    )
    post_update(
        actor=_user("lucia"),
        commitment=sandbox,
        status="in_progress",
        text="The call for the sandbox is drafted and awaits the fund's board.",
        now=now - 7 * days,
    )
    backhaul = make_commitment(
        actor=_user("kenji"),
        process=process,
        title="Offer wholesale backhaul at cost to 20 community networks",
        due_on=(now + 30 * days).date(),
        organisation=_organisation("Pacific Backhaul Ltd"),
        recommendations=[second],
        now=now - 8 * days,
    )
    done = post_update(
        actor=_user("kenji"),
        commitment=backhaul,
        status="done",
        text="The at-cost offer is published and open to every community network.",
        evidence=["https://example.org/pacific-backhaul/community-offer"],
        now=now - 3 * days,
    )
    contestation = contest_update(
        actor=_user("amina"),
        update=done,
        reason="The offer is published, but only 8 networks are connected, not 20.",
        now=now - 2 * days,
    )
    answer_contestation(
        actor=_user("kenji"),
        contestation=contestation,
        answer="Twelve more have signed and will be connected by the due date.",
        now=now - 1 * days,
    )
    make_commitment(
        actor=_user("priya"),
        process=process,
        title="Survey 100 community networks on what licensing costs them",
        due_on=(now + 120 * days).date(),
        recommendations=[third],
        now=now - 2 * days,
    )
    fees = make_commitment(
        actor=_user("grace"),
        process=process,
        title="Waive licence fees for networks serving fewer than 1,000 people",
        due_on=(now + 90 * days).date(),
        recommendations=[third],
        now=now - 6 * days,
    )
    post_update(
        actor=_user("grace"),
        commitment=fees,
        status="dropped",
        text="Dropped for this budget year.",
        reason="The finance ministry refused a waiver before the licence review of next year.",
        now=now - 1 * days,
    )


@transaction.atomic
def build_outcomes_process(*, secretariat: User, seed: int = 0) -> Process:
    """The process, its recommendations, designations, decision and commitments (seeded)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    now = timezone.now().replace(second=0, microsecond=0)
    process = _build_process(secretariat, now)
    recommendations = [
        add_recommendation(
            actor=secretariat,
            process=process,
            title=title,
            text=text,
            sections=_sections(process, anchor),
        )
        for title, text, anchor, _support in RECOMMENDATIONS
    ]
    voters = list(
        User.objects.filter(username__startswith="delegate")
        .select_related("profile")
        .order_by("username")
    ) + [
        _user(name)
        for name in ("amina", "kenji", "lucia", "oleg", "priya", "layla", "wei", "grace", "henrik")
    ]
    _record_positions(recommendations, voters, rng, now - timedelta(days=20))
    declare_decision(
        actor=_user(CHAIR), recommendation=recommendations[1], now=now - timedelta(days=2)
    )
    recommendations[1].refresh_from_db()
    _designate(recommendations, _user(CHAIR), now)
    _commit(process, recommendations, now)
    return process
