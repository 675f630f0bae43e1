"""The demo's second process: a deliberation where delegates vote on statements (Pol.is style).

Positions are drawn from two latent camps that cut across stakeholder groups, so the opinion
map shows what the brief asks for: opinion groups that do not follow formal categories, bridging
statements everyone supports, and divisive ones. Seeded, and built only through services.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from polyvox.demo.personas import DEMO_PASSWORD
from polyvox.participants.models import StakeholderGroup, User
from polyvox.participants.services import register_participant
from polyvox.processes.models import Process
from polyvox.processes.services.creating import create_process
from polyvox.processes.services.scheduling import schedule_phase
from polyvox.statements.services import cast_vote, propose_statement, refresh_opinion_map

SLUG = "wsis-dialogue"
COUNTRIES = ("KE", "BR", "IN", "DE", "US", "EG", "ID", "FR", "MX", "ZA", "JP", "LB", "NG", "CN")

# (text, camp A's agreement probability, camp B's): near 0.9 in both camps = bridging.
STATEMENTS: tuple[tuple[str, float, float], ...] = (
    ("Every WSIS+20 outcome should say which stakeholder groups were consulted.", 0.9, 0.85),
    ("The IGF should get a permanent mandate.", 0.85, 0.8),
    ("Governments alone should negotiate the final WSIS+20 text.", 0.1, 0.75),
    ("Civil society observers should be able to speak in every negotiating session.", 0.9, 0.2),
    ("Public funding should be set aside for Global South participants to attend.", 0.9, 0.8),
    ("Data protection should be an explicit WSIS action line.", 0.8, 0.35),
    ("Private-sector funding of the IGF should be capped.", 0.7, 0.15),
    ("National IGFs should report their recommendations to the global IGF.", 0.8, 0.75),
    ("Multistakeholder processes slow down urgent regulation.", 0.15, 0.7),
    ("Summaries of every consultation should be published in all six UN languages.", 0.85, 0.8),
    ("Technical standards bodies should stay outside intergovernmental oversight.", 0.6, 0.3),
    ("Consensus should not be required for the IGF to publish recommendations.", 0.75, 0.25),
)
GROUPS = [group.value for group in StakeholderGroup]


# One transaction: each vote asks for a map refresh after commit, and by then the map seeded
# below is newer than every vote, so every refresh is a no-op. The demo thus stores exactly one
# map, computed with its seed, whatever the task backend and whenever a worker runs. (Committing
# vote by vote with the immediate backend stored a map per vote: 714 maps for seed 0.)
@transaction.atomic
def build_deliberation_process(*, secretariat: User, seed: int = 0, delegates: int = 70) -> Process:
    """A process with an open deliberation phase, seed statements, votes and a published map."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    process = create_process(
        actor=secretariat,
        slug=SLUG,
        title="WSIS+20 dialogue: what should the review say?",
        mandate="Delegates from every stakeholder group vote on short statements. The opinion map "
        "shows where they agree, where they differ, and which statements bridge the groups.",
        languages=["en", "fr", "es", "ar"],
        decision_mode="consensus",
    )
    now = timezone.now().replace(second=0, microsecond=0)
    schedule_phase(
        actor=secretariat,
        process=process,
        kind="deliberation",
        title="Deliberation",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=11),
    )
    statements = [
        propose_statement(author=secretariat, process=process, text=text)
        for text, _a, _b in STATEMENTS
    ]
    password_hash = ""
    for number in range(1, delegates + 1):
        delegate = register_participant(
            email_verified=True,
            record_consent=True,
            username=f"delegate{number:02d}",
            email=f"delegate{number:02d}@demo.polyvox.example",
            password=None if password_hash else DEMO_PASSWORD,
            display_name=f"Delegate {number:02d}",
            stakeholder_group=GROUPS[number % len(GROUPS)],
            country=COUNTRIES[number % len(COUNTRIES)],
        )
        # Hashing the same demo password 70 times would take half a minute: reuse the first hash.
        if password_hash:
            User.objects.filter(pk=delegate.pk).update(password=password_hash)
        else:
            password_hash = delegate.password
        camp = 1 if rng.random() < 0.5 else 2  # camps cut across stakeholder groups
        for statement, (_text, p_a, p_b) in zip(statements, STATEMENTS, strict=True):
            if rng.random() < 0.15:
                continue  # not everyone sees every statement
            p_agree = p_a if camp == 1 else p_b
            draw = rng.random()
            value = 1 if draw < p_agree else (0 if draw < p_agree + 0.05 else -1)
            cast_vote(participant=delegate, statement=statement, value=value)
    refresh_opinion_map(process=process, seed=seed)
    return process
