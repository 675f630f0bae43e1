"""The demo process, built only by calling services, so demo data is valid data.

A national IGF consults on draft principles for community networks: personas from every
stakeholder group and several regions comment, reply across groups and point out omissions;
the secretariat answers every input and publishes version 2 with linked changes.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from polyvox.contributions.models import Contribution, Outcome
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.submitting import submit_contribution
from polyvox.demo import drafts as texts
from polyvox.demo.campaign import build_demo_campaign
from polyvox.demo.personas import DEMO_PASSWORD, PERSONAS, SECRETARIAT, Persona
from polyvox.drafts.models import DraftVersion, Section
from polyvox.drafts.services import create_draft, publish_draft_version
from polyvox.organisations.permissions import represented_by
from polyvox.organisations.services.registering import register_organisation
from polyvox.participants.models import User
from polyvox.participants.services import declare_interests, register_participant
from polyvox.processes.models import Process
from polyvox.processes.services.creating import create_process
from polyvox.processes.services.scheduling import schedule_phase

SLUG = "cn-principles"
# Personas whose inputs speak for the organisation they represent.
ON_BEHALF = frozenset({"amina", "lucia", "grace"})


@dataclass(frozen=True)
class Input:
    """One scripted contribution: who, what kind, on which section, and the answer it gets."""

    author: str
    kind: str
    body: str
    anchor: str | None = None
    reply_to: int | None = None  # index of an earlier Input
    outcome: str | None = None
    reason: str = ""
    changed: tuple[str, ...] = ()  # anchors in version 2


INPUTS: tuple[Input, ...] = (
    Input(
        "amina",
        "comment",
        "Please add cooperatives: many community networks in West Africa are "
        "cooperatives rather than not-for-profit associations.",
        "definitions-p1",
        outcome=Outcome.INCORPORATED,
        changed=("definitions-p1",),
    ),
    Input(
        "kenji",
        "reply",
        "Cooperatives can distribute profits. Would they still get the lighter "
        "regime? We need a clear line.",
        reply_to=0,
    ),
    Input(
        "priya",
        "reply",
        "Our survey of 41 networks found 60 % are cooperatives; excluding them "
        "would exclude most of the sector.",
        reply_to=1,
    ),
    Input(
        "oleg",
        "comment",
        "Secondary use of assigned but unused spectrum in rural areas is the "
        "single most useful measure.",
        "principle-1-access-to-spectrum-p1",
        outcome=Outcome.INCORPORATED,
        changed=("principle-1-access-to-spectrum-p1",),
    ),
    Input(
        "henrik",
        "reply",
        "Secondary use must protect incumbents from interference; a database approach works.",
        reply_to=3,
    ),
    Input(
        "lucia",
        "comment",
        "Universal service fund procedures are too complex for small groups; simplify them.",
        "principle-3-universal-service-funds-p1",
        outcome=Outcome.PARTLY_INCORPORATED,
        reason="We simplified the procedures; equal-terms eligibility stays as drafted.",
        changed=("principle-3-universal-service-funds-p1",),
    ),
    Input(
        "kenji",
        "comment",
        "Cost-oriented backhaul pricing would discourage investment in rural "
        "backbones. Prefer negotiated prices.",
        "principle-4-backhaul-p1",
        outcome=Outcome.NOT_INCORPORATED,
        reason="Most inputs from every other stakeholder group supported cost orientation; the "
        "regulator will review prices every two years.",
    ),
    Input(
        "grace",
        "reply",
        "Negotiated prices have not worked in our country: no rural network "
        "obtained a contract in five years.",
        reply_to=6,
    ),
    Input(
        "layla",
        "omission",
        "Nothing on gender: women are under-represented in the governance and "
        "technical operation of community networks.",
        outcome=Outcome.INCORPORATED,
        changed=("principle-7-gender-inclusion", "principle-7-gender-inclusion-p1"),
    ),
    Input(
        "wei",
        "comment",
        "Publish reference designs for low-cost hardware so that local "
        "technicians can maintain the equipment.",
        "principle-5-local-content-and-skills-p1",
        outcome=Outcome.NOTED,
        reason="A useful idea for the implementation plan, not a principle.",
    ),
    Input(
        "tomas",
        "general",
        "As a user of a village network: please keep the principles short and readable.",
        outcome=Outcome.NOTED,
        reason="We kept the text short.",
    ),
    Input(
        "marc",
        "comment",
        "Harmonise spectrum use with the regional telecommunity's plan.",
        "principle-1-access-to-spectrum-p1",
        outcome=Outcome.OUT_OF_SCOPE,
        reason="Regional harmonisation is decided by the regional body, not by this forum.",
    ),
    Input(
        "priya",
        "comment",
        "Implementation reports need indicators agreed with all groups.",
        "implementation-p1",
        outcome=Outcome.INCORPORATED,
        changed=("implementation-p1",),
    ),
    Input("layla", "reply", "And the indicators should be disaggregated by gender.", reply_to=12),
    Input(
        "grace",
        "comment",
        "Simplified licensing needs a size threshold (e.g. 1,000 users).",
        "principle-2-licensing-p1",
        outcome=Outcome.NOT_INCORPORATED,
        reason="A fixed threshold would age quickly; proportionality is left to the regulator.",
    ),
    Input(
        "amina",
        "comment",
        "Spectrum licence-exempt bands must include TV white spaces.",
        "principle-1-access-to-spectrum-p1",
        outcome=Outcome.DUPLICATE,
        reason="Covered by the secondary-use change answered in the linked input.",
    ),
)


def _persona_user(persona: Persona) -> User:
    user = register_participant(
        email_verified=True,
        record_consent=True,
        username=persona.username,
        email=f"{persona.username}@demo.polyvox.example",
        password=DEMO_PASSWORD,
        display_name=persona.display_name,
        stakeholder_group=persona.stakeholder_group,
        subgroup=persona.subgroup,
        organisation=persona.organisation,
        country=persona.country,
        languages=list(persona.languages),
        interests=persona.interests,
        gender=persona.gender,
    )
    if persona.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if persona.organisation and persona.speaks_for_organisation:
        # Speaking for it takes an organisation record whose administrators approve its
        # representatives; the persona registers it and so is its first administrator.
        register_organisation(
            actor=user,
            name=persona.organisation,
            stakeholder_group=persona.stakeholder_group,
            country=persona.country,
        )
    if persona.organisation:
        declare_interests(
            actor=user,
            affiliations=persona.organisation,
            funding="Member contributions and public grants",
            interests=persona.interests,
        )
    return user


def _section(version: DraftVersion, anchor: str) -> Section:
    return version.sections.get(anchor=anchor)


@transaction.atomic
def build_demo_process(seed: int = 0) -> Process:
    """Create the demo process; deterministic for a seed (the order of answers is shuffled by it)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo order, not security
    users = {p.username: _persona_user(p) for p in PERSONAS}
    sofia = users[SECRETARIAT.username]
    process = create_process(
        actor=sofia,
        slug=SLUG,
        title="Kenya IGF: principles for community networks",
        mandate="The national Internet Governance Forum consults all stakeholder groups on draft "
        "principles for public policy that supports **community networks**. The secretariat "
        "answers every input with a reason and publishes how each one was considered.",
        languages=["en", "fr", "ar"],
        decision_mode="advisory",
        identity_policy="pseudonyms_allowed",
        accepts_late_inputs=True,
    )
    now = timezone.now().replace(second=0, microsecond=0)
    schedule_phase(
        actor=sofia,
        process=process,
        kind="information",
        title="Information",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=21),
    )
    schedule_phase(
        actor=sofia,
        process=process,
        kind="draft_comment",
        title="Comments on the draft",
        starts_at=now - timedelta(days=21),
        ends_at=now + timedelta(days=14),
    )
    schedule_phase(
        actor=sofia,
        process=process,
        kind="deliberation",
        title="Deliberation",
        starts_at=now + timedelta(days=14),
        ends_at=now + timedelta(days=28),
    )
    schedule_phase(
        actor=sofia,
        process=process,
        kind="decision",
        title="Decision",
        starts_at=now + timedelta(days=28),
        ends_at=now + timedelta(days=35),
    )
    draft = create_draft(actor=sofia, process=process, slug="principles", title="Draft principles")
    v1 = publish_draft_version(actor=sofia, draft=draft, markdown=texts.V1, note="First draft.")

    contributions: list[Contribution] = []
    for item in INPUTS:
        contributions.append(
            submit_contribution(
                author=users[item.author],
                process=process,
                kind=item.kind,
                body=item.body,
                section=_section(v1, item.anchor) if item.anchor else None,
                draft_version=v1 if item.kind != "reply" else None,
                parent=contributions[item.reply_to] if item.reply_to is not None else None,
                on_behalf_of=represented_by(users[item.author]).first()
                if item.author in ON_BEHALF
                else None,
            )
        )
    v2 = publish_draft_version(
        actor=sofia,
        draft=draft,
        markdown=texts.V2,
        note="Cooperatives, secondary spectrum use, simpler fund procedures, gender inclusion, indicators.",
    )
    answered = [(i, item) for i, item in enumerate(INPUTS) if item.outcome]
    rng.shuffle(answered)
    for index, item in answered:
        record_disposition(
            actor=sofia,
            contribution=contributions[index],
            outcome=item.outcome or "",
            reason=item.reason,
            duplicate_of=contributions[3] if item.outcome == Outcome.DUPLICATE else None,
            changed_sections=[_section(v2, anchor) for anchor in item.changed],
        )
    build_demo_campaign(process=process, secretariat=sofia)
    return process
