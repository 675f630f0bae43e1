"""The demo deliberation: votes through the services, a published map that cuts across groups."""

from polyvox.demo.deliberation import STATEMENTS, build_deliberation_process
from polyvox.statements.models import OpinionMapSnapshot, Vote
from tests.factories import UserFactory


def test_the_demo_deliberation_publishes_an_opinion_map_with_groups_across_stakeholder_groups(db):
    sofia = UserFactory(username="sofia", is_staff=True)

    process = build_deliberation_process(secretariat=sofia, seed=0, delegates=40)

    snapshot = OpinionMapSnapshot.objects.filter(process=process).latest("computed_at")
    groups = snapshot.result["groups"]
    assert Vote.objects.filter(statement__process=process).count() > 40 * len(STATEMENTS) // 2
    assert snapshot.participants_in_map == 40
    assert len(groups) >= 2
    assert process.record_entries.filter(kind="opinion_map.published").exists()


def test_the_demo_deliberation_is_deterministic_for_a_seed(db):
    sofia = UserFactory(username="sofia", is_staff=True)

    process = build_deliberation_process(secretariat=sofia, seed=3, delegates=12)

    votes = list(
        Vote.objects.filter(statement__process=process)
        .order_by("participant__username", "statement_id")
        .values_list("value", flat=True)
    )
    assert votes == expected_votes(seed=3, delegates=12)


def expected_votes(*, seed: int, delegates: int) -> list[int]:
    """Recompute the scripted draws independently of the database."""
    import random

    rng = random.Random(seed)
    out: list[int] = []
    for _ in range(delegates):
        camp = 1 if rng.random() < 0.5 else 2
        for _text, p_a, p_b in STATEMENTS:
            if rng.random() < 0.15:
                continue
            p = p_a if camp == 1 else p_b
            draw = rng.random()
            out.append(1 if draw < p else (0 if draw < p + 0.05 else -1))
    return out
