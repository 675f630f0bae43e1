"""The demo deliberation as a visitor sees it: delegates' votes and one published opinion map
whose groups cut across stakeholder groups. Its determinism is tested in test_determinism.py."""

from collections import defaultdict

from django.db import transaction

from polyvox.demo.deliberation import STATEMENTS, build_deliberation_process
from polyvox.participants.models import Profile
from polyvox.statements.models import OpinionMapSnapshot, Statement, Vote
from tests.factories import UserFactory


def test_the_demo_deliberation_publishes_an_opinion_map_with_groups_across_stakeholder_groups(db):
    sofia = UserFactory(username="sofia", is_staff=True)

    process = build_deliberation_process(secretariat=sofia, seed=0, delegates=40)

    snapshot = OpinionMapSnapshot.objects.get(process=process)
    votes = Vote.objects.filter(statement__process=process)
    stakeholder = dict(Profile.objects.values_list("user_id", "stakeholder_group"))
    groups_of_each_opinion_group = defaultdict(set)
    for participant in snapshot.result["participants"]:
        groups_of_each_opinion_group[participant["group"]].add(stakeholder[participant["id"]])
    assert Statement.objects.filter(process=process).count() == len(STATEMENTS) == 12
    assert votes.values("participant").distinct().count() == 40
    assert votes.count() > 40 * len(STATEMENTS) // 2  # most delegates see most statements
    assert (snapshot.participants_in_map, snapshot.seed) == (40, 0)
    assert len(groups_of_each_opinion_group) >= 2
    assert all(len(groups) >= 3 for groups in groups_of_each_opinion_group.values())
    assert process.record_entries.filter(kind="opinion_map.published").count() == 1


def test_another_seed_draws_other_votes(db):
    sofia = UserFactory(username="sofia", is_staff=True)

    def votes_for(seed: int) -> list[tuple[str, str, int]]:
        with transaction.atomic():  # rolled back: the next build starts from the same database
            process = build_deliberation_process(secretariat=sofia, seed=seed, delegates=12)
            votes = list(
                Vote.objects.filter(statement__process=process)
                .order_by("participant__username", "statement__text")
                .values_list("participant__username", "statement__text", "value")
            )
            transaction.set_rollback(True)
        return votes

    assert votes_for(0) != votes_for(1)
