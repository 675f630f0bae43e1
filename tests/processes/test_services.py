"""Processes: creation, phases, members — success, permission denied, invalid input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.processes.models import Membership, Phase, Process, Role
from polyvox.processes.services.creating import create_process
from polyvox.processes.services.membership import add_member
from polyvox.processes.services.scheduling import record_phase_openings, schedule_phase
from polyvox.record.models import RecordEntry
from tests.factories import PhaseFactory, UserFactory


def test_staff_creates_a_process_and_becomes_its_secretariat(db):
    staff = UserFactory(is_staff=True)

    process = create_process(
        actor=staff,
        slug="cn-principles",
        title="Community networks",
        mandate="Advise.",
        languages=["en", "fr"],
    )

    assert Membership.objects.get(process=process).user == staff
    assert Membership.objects.get(process=process).role == Role.SECRETARIAT
    assert list(RecordEntry.objects.filter(process=process).values_list("kind", flat=True)) == [
        "process.created"
    ]


def test_a_participant_cannot_create_a_process(participant):
    with pytest.raises(PermissionDenied):
        create_process(actor=participant, slug="x", title="X", mandate="Y")

    assert Process.objects.count() == 0


def test_unknown_languages_are_rejected_and_nothing_is_created(db):
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError) as error:
        create_process(actor=staff, slug="x", title="X", mandate="Y", languages=["en", "klingon"])

    assert "klingon" in str(error.value.message_dict["languages"])
    assert Process.objects.count() == 0


def test_a_duplicate_short_name_is_rejected(process):
    with pytest.raises(ValidationError) as error:
        create_process(actor=process.created_by, slug=process.slug, title="Again", mandate="Y")

    assert "slug" in error.value.message_dict
    assert Process.objects.count() == 1


def test_the_secretariat_schedules_a_phase_and_it_goes_on_the_record(process, secretariat):
    start = timezone.now() + timedelta(days=1)

    phase = schedule_phase(
        actor=secretariat,
        process=process,
        kind="draft_comment",
        title="Comments",
        starts_at=start,
        ends_at=start + timedelta(days=14),
    )

    assert phase.status(timezone.now()) == "upcoming"
    assert RecordEntry.objects.filter(process=process, kind="phase.scheduled").count() == 1


def test_a_participant_cannot_schedule_phases(process, participant):
    start = timezone.now()

    with pytest.raises(PermissionDenied):
        schedule_phase(
            actor=participant,
            process=process,
            kind="draft_comment",
            title="C",
            starts_at=start,
            ends_at=start + timedelta(days=1),
        )

    assert Phase.objects.count() == 0


@pytest.mark.parametrize(
    ("offset_start", "offset_end", "field"),
    [
        (timedelta(days=2), timedelta(days=1), "ends_at"),
        (timedelta(days=3), timedelta(days=9), "starts_at"),
    ],
)
def test_phases_must_end_after_start_and_not_overlap(
    process, secretariat, offset_start, offset_end, field
):
    now = timezone.now()
    PhaseFactory(process=process, starts_at=now, ends_at=now + timedelta(days=7))

    with pytest.raises(ValidationError) as error:
        schedule_phase(
            actor=secretariat,
            process=process,
            kind="deliberation",
            title="Bad",
            starts_at=now + offset_start,
            ends_at=now + offset_end,
        )

    assert field in error.value.message_dict
    assert Phase.objects.count() == 1


def test_phase_opening_is_recorded_once(process):
    phase = PhaseFactory(process=process)

    first = record_phase_openings(process=process, now=timezone.now())
    second = record_phase_openings(process=process, now=timezone.now())

    assert (first, second) == ([phase], [])
    assert RecordEntry.objects.filter(process=process, kind="phase.opened").count() == 1


def test_only_the_secretariat_invites_participants(
    process, secretariat, participant, other_participant
):
    add_member(actor=secretariat, process=process, user=participant, role=Role.PARTICIPANT)

    with pytest.raises(PermissionDenied):
        add_member(
            actor=participant, process=process, user=other_participant, role=Role.PARTICIPANT
        )

    assert list(
        Membership.objects.filter(role=Role.PARTICIPANT).values_list("user__username", flat=True)
    ) == ["amina"]
