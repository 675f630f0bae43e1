"""The role table, walked cell by cell through the real permission functions of every app.

For each pair of role and capability, a person holding only that role is asked every permission function
that implements the capability; the answer must be what `processes.roles.CAPABILITIES` says.
Change a permission function without changing the table (or the reverse) and a cell fails.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from polyvox.campaigns.permissions import can_see_signals
from polyvox.contributions.models import Contribution
from polyvox.contributions.permissions import (
    can_dispose,
    can_moderate,
    can_review_answers,
    can_see_hidden,
    can_see_workbench,
)
from polyvox.drafts.permissions import can_publish_versions
from polyvox.outcomes.permissions import can_declare_decisions, can_designate
from polyvox.participants.models import User
from polyvox.processes.models import Membership, ParticipationPolicy, Process, Role
from polyvox.processes.permissions import (
    can_close_process,
    can_publish_translations,
    can_see_participant_interests,
    can_take_part,
    is_secretariat,
    participation_window,
)
from polyvox.processes.phase_types import Action
from polyvox.processes.roles import CAPABILITIES, Capability
from polyvox.statements.permissions import (
    can_moderate_statements,
    can_promote_contribution,
)
from tests.factories import PhaseFactory, ProcessFactory, UserFactory, make_version, submit_comment

Check = Callable[[Any, "World"], bool]


class World:
    """An invitation-only process with an open phase, and a hidden input by somebody else."""

    def __init__(self) -> None:
        self.process: Process = ProcessFactory(participation_policy=ParticipationPolicy.INVITED)
        PhaseFactory(process=self.process)
        self.author = UserFactory(username="author")
        Membership.objects.create(process=self.process, user=self.author, role=Role.PARTICIPANT)
        section = make_version(self.process).sections.get(anchor="scope")
        self.hidden: Contribution = submit_comment(self.author, section)
        self.hidden.hidden_at = timezone.now()
        self.hidden.save(update_fields=["hidden_at"])


# Every permission function that implements each capability (all must agree with the table).
CHECKS: dict[Capability, list[Check]] = {
    Capability.MANAGE_PROCESS: [
        lambda actor, w: is_secretariat(actor, w.process),
        lambda actor, w: can_see_participant_interests(actor, w.author, w.process),
        lambda actor, w: can_promote_contribution(actor, w.process),
    ],
    Capability.PUBLISH_VERSIONS: [
        lambda actor, w: can_publish_versions(actor, w.process),
    ],
    Capability.SEE_WORKBENCH: [
        lambda actor, w: can_see_workbench(actor, w.process),
        lambda actor, w: can_see_hidden(actor, w.hidden),
        lambda actor, w: can_see_signals(actor, w.process),
    ],
    Capability.ANSWER_INPUTS: [
        lambda actor, w: can_dispose(actor, w.process),
    ],
    Capability.REVIEW_ANSWERS: [
        lambda actor, w: can_review_answers(actor, w.process),
    ],
    Capability.MODERATE: [
        lambda actor, w: can_moderate(actor, w.process),
        lambda actor, w: can_moderate_statements(actor, w.process),
    ],
    Capability.CLOSE_PROCESS: [
        lambda actor, w: can_close_process(actor, w.process),
    ],
    Capability.DESIGNATE: [
        lambda actor, w: can_designate(actor, w.process),
    ],
    Capability.DECLARE_DECISIONS: [
        lambda actor, w: can_declare_decisions(actor, w.process),
    ],
    Capability.PUBLISH_TRANSLATIONS: [
        lambda actor, w: can_publish_translations(actor, w.process),
    ],
    Capability.TAKE_PART: [
        lambda actor, w: can_take_part(actor, w.process),
        lambda actor, w: (
            participation_window(actor, w.process, Action.COMMENT, timezone.now()).allowed
        ),
    ],
}


def answers(actor: Any, world: World, capability: Capability) -> list[bool]:
    return [check(actor, world) for check in CHECKS[capability]]


def test_every_capability_has_its_permission_functions():
    assert set(CHECKS) == set(Capability)
    assert set(CAPABILITIES) == set(Capability)


@pytest.mark.parametrize("capability", list(Capability), ids=lambda c: c.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_member_holding_one_role_may_do_exactly_what_the_table_says(db, role, capability):
    world = World()
    member = UserFactory(username=f"only-{role.value}")
    Membership.objects.create(process=world.process, user=member, role=role)

    allowed = role in CAPABILITIES[capability]

    assert answers(member, world, capability) == [allowed] * len(CHECKS[capability])


@pytest.mark.parametrize("capability", list(Capability), ids=lambda c: c.value)
def test_someone_without_a_role_may_do_nothing_in_an_invitation_only_process(db, capability):
    world = World()
    stranger = UserFactory(username="stranger")

    assert answers(stranger, world, capability) == [False] * len(CHECKS[capability])


@pytest.mark.parametrize("capability", list(Capability), ids=lambda c: c.value)
def test_an_anonymous_visitor_may_do_nothing(db, capability):
    world = World()

    assert answers(AnonymousUser(), world, capability) == [False] * len(CHECKS[capability])
    assert answers(None, world, capability) == [False] * len(CHECKS[capability])


@pytest.mark.parametrize("capability", list(Capability), ids=lambda c: c.value)
def test_a_superuser_holds_every_capability(db, capability):
    world = World()
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)

    assert answers(admin, world, capability) == [True] * len(CHECKS[capability])


@pytest.mark.parametrize("capability", list(Capability), ids=lambda c: c.value)
def test_a_deactivated_secretariat_member_may_do_nothing(db, capability):
    world = World()
    former = UserFactory(username="former", is_active=False)
    Membership.objects.create(process=world.process, user=former, role=Role.SECRETARIAT)

    assert answers(former, world, capability) == [False] * len(CHECKS[capability])


def test_roles_add_up_a_chair_who_is_also_rapporteur_may_answer_and_close(db):
    world = World()
    both = UserFactory(username="both")
    for role in (Role.CHAIR, Role.RAPPORTEUR):
        Membership.objects.create(process=world.process, user=both, role=role)

    assert answers(both, world, Capability.ANSWER_INPUTS) == [True]
    assert answers(both, world, Capability.CLOSE_PROCESS) == [True]
    assert answers(both, world, Capability.MODERATE) == [False, False]


# Open processes: everyone signed in takes part, except those there only to observe -------------


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_in_an_open_process_every_role_but_observer_takes_part(db, role):
    process = ProcessFactory(participation_policy=ParticipationPolicy.OPEN)
    PhaseFactory(process=process)
    member = UserFactory(username=f"open-{role.value}")
    Membership.objects.create(process=process, user=member, role=role)

    window = participation_window(member, process, Action.COMMENT, timezone.now())

    assert (can_take_part(member, process), window.allowed) == (
        (role != Role.OBSERVER),
        (role != Role.OBSERVER),
    )


def test_in_an_open_process_a_signed_in_non_member_takes_part_and_a_visitor_does_not(db):
    process = ProcessFactory(participation_policy=ParticipationPolicy.OPEN)
    PhaseFactory(process=process)
    newcomer: User = UserFactory(username="newcomer")

    assert can_take_part(newcomer, process) is True
    assert can_take_part(AnonymousUser(), process) is False


def test_an_observer_who_is_also_invited_takes_part(db):
    process = ProcessFactory(participation_policy=ParticipationPolicy.OPEN)
    person = UserFactory(username="watcher")
    for role in (Role.OBSERVER, Role.PARTICIPANT):
        Membership.objects.create(process=process, user=person, role=role)

    assert can_take_part(person, process) is True
