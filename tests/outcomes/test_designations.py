"""Consensus designations: the chair proposes beside the evidence, participants object within the
window (an injected clock, no sleeps), the chair confirms or revises after it, and every objection
still standing is attached verbatim as a minority view."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.notifications.models import Notification
from polyvox.outcomes.models import (
    Designation,
    MinorityView,
    Objection,
    OutcomeSettings,
    Position,
    Stage,
)
from polyvox.outcomes.services.designations import (
    finalise_designation,
    object_to,
    propose_designation,
    withdraw_objection,
)
from polyvox.processes.models import ParticipationPolicy, Process
from polyvox.record.models import RecordEntry
from tests.factories import (
    UserFactory,
    approve_representative,
    invite,
    make_organisation,
    make_secretariat,
)
from tests.outcomes.conftest import after, during

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def propose(chair, recommendation, level="consensus", rationale="Broad support.", now=NOW):
    return propose_designation(
        actor=chair, recommendation=recommendation, level=level, rationale=rationale, now=now
    )


def finalise(chair, proposal, level="consensus", rationale="", now=None):
    return finalise_designation(
        actor=chair,
        proposal=proposal,
        level=level,
        rationale=rationale,
        now=now or after(proposal),
    )


def kinds(process):
    return list(RecordEntry.objects.filter(process=process).values_list("kind", flat=True))


# Proposing -----------------------------------------------------------------------------------


def test_the_chair_proposes_a_level_with_objections_open_for_the_process_window(
    chair, recommendation, participant
):
    Position.objects.create(
        recommendation=recommendation, author=participant, position="support", updated_at=NOW
    )

    proposal = propose(chair, recommendation, rationale="  Broad support,\r\none reservation. ")

    assert proposal.stage == Stage.PROPOSED
    assert proposal.level == "consensus"
    assert proposal.rationale == "Broad support,\none reservation."
    assert proposal.designated_by == chair
    assert proposal.designated_at == NOW
    assert proposal.objections_close_at == NOW + timedelta(days=7)
    assert proposal.evidence["positions"]["total"] == 1
    entry = RecordEntry.objects.get(kind="designation.proposed")
    assert entry.payload["level"] == "consensus"
    assert entry.payload["recommendation"] == recommendation.number
    assert entry.payload["objections_close_at"] == "2027-03-08T12:00:00+00:00"
    assert entry.payload["evidence"]["positions"]["by_position"]["support"] == 1


def test_the_window_follows_the_process_settings(chair, process, recommendation):
    OutcomeSettings.objects.create(process=process, objection_days=3)
    proposal = propose(chair, recommendation)
    assert proposal.objections_close_at == NOW + timedelta(days=3)


def test_those_who_took_part_on_it_hear_of_the_proposal(
    chair, recommendation, participant, other_participant
):
    Position.objects.create(
        recommendation=recommendation, author=participant, position="oppose", updated_at=NOW
    )
    section = recommendation.sections.get(anchor="scope")
    Contribution.objects.create(
        process=recommendation.process,
        kind="comment",
        draft_version=section.version,
        section=section,
        author=other_participant,
        author_name="Kenji",
        stakeholder_group="private_sector",
        body="A point on scope.",
    )
    bystander = UserFactory(username="bystander")

    propose(chair, recommendation)

    told = Notification.objects.filter(subject__startswith="A designation was proposed")
    assert {n.recipient for n in told} == {participant, other_participant}
    note = told.get(recipient=participant)
    assert "until 2027-03-08 12:00 UTC" in note.body
    assert note.url == recommendation.get_absolute_url()
    assert not Notification.objects.filter(recipient__in=[bystander, chair]).exists()


@pytest.mark.parametrize("who", ["secretariat", "participant", "anonymous", "other_chair"])
def test_only_the_chair_of_this_process_designates(who, process, recommendation, participant):
    from tests.factories import ProcessFactory, make_chair

    actor = {
        "secretariat": make_secretariat(process),
        "participant": participant,
        "anonymous": AnonymousUser(),
        "other_chair": make_chair(ProcessFactory()),
    }[who]
    with pytest.raises(PermissionDenied, match="Only the chair"):
        propose(actor, recommendation)
    assert not Designation.objects.exists()


def test_a_closed_process_takes_no_designation(chair, process, recommendation):
    Process.objects.filter(pk=process.pk).update(closed_at=timezone.now())
    recommendation.process.refresh_from_db()
    with pytest.raises(PermissionDenied, match="closed"):
        propose(chair, recommendation)


@pytest.mark.parametrize(
    ("level", "rationale", "field", "message"),
    [
        ("unanimous", "Why.", "level", "Choose one of"),
        ("consensus", "  ", "rationale", "give a rationale"),
        ("consensus", "Bad\x00", "rationale", "NUL character"),
        ("consensus", "x" * 10_001, "rationale", "under 10000 characters"),
    ],
)
def test_a_proposal_needs_a_known_level_and_a_rationale(
    chair, recommendation, level, rationale, field, message
):
    with pytest.raises(ValidationError) as refused:
        propose(chair, recommendation, level=level, rationale=rationale)
    assert message in refused.value.message_dict[field][0]
    assert not Designation.objects.exists()


def test_one_proposal_at_a_time_and_none_after_the_final(chair, recommendation):
    proposal = propose(chair, recommendation)
    later = after(proposal) + timedelta(days=1)
    with pytest.raises(ValidationError, match="already proposed"):
        propose(chair, recommendation, level="divergence", now=later)
    finalise(chair, proposal)
    with pytest.raises(ValidationError, match="already has a final designation"):
        propose(chair, recommendation, level="divergence", now=later)
    assert Designation.objects.count() == 2


# Objecting -----------------------------------------------------------------------------------


def test_a_participant_objects_with_reasons_within_the_window(proposal, participant, chair):
    objection = object_to(
        actor=participant,
        designation=proposal,
        reason="  The private sector was not heard.\r\n",
        now=during(proposal),
    )

    assert objection.reason == "The private sector was not heard."
    assert objection.author_name == "Amina"
    assert objection.withdrawn_at is None
    entry = RecordEntry.objects.get(kind="designation.objection")
    assert entry.payload == {
        "objection_id": objection.pk,
        "designation_id": proposal.pk,
        "recommendation": 1,
        "organisation": None,
        "reason": "The private sector was not heard.",
    }
    assert Notification.objects.filter(recipient=chair, subject__contains="objection").exists()


def test_objections_close_at_the_deadline(proposal, participant):
    with pytest.raises(PermissionDenied, match="Objections closed on"):
        object_to(actor=participant, designation=proposal, reason="Late.", now=after(proposal))
    assert not Objection.objects.exists()


def test_a_second_objection_by_the_same_person_is_refused(proposal, participant):
    object_to(actor=participant, designation=proposal, reason="First.", now=during(proposal))
    with pytest.raises(ValidationError, match="already objected"):
        object_to(actor=participant, designation=proposal, reason="Again.", now=during(proposal))
    assert Objection.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("   ", "Give the reasons for your objection."),
        ("No\x00", "The text contains a NUL character (U+0000)."),
        ("x" * 5001, "Keep it under 5000 characters (this has 5001)."),
    ],
)
def test_an_objection_needs_reasons(proposal, participant, reason, message):
    with pytest.raises(ValidationError) as refused:
        object_to(actor=participant, designation=proposal, reason=reason, now=during(proposal))
    assert refused.value.message_dict["reason"] == [message]


def test_only_participants_may_object(proposal, process):
    with pytest.raises(PermissionDenied, match="Log in"):
        object_to(actor=AnonymousUser(), designation=proposal, reason="No.", now=during(proposal))
    Process.objects.filter(pk=process.pk).update(participation_policy=ParticipationPolicy.INVITED)
    proposal.recommendation.process.refresh_from_db()
    outsider = UserFactory(username="outsider")
    with pytest.raises(PermissionDenied, match="invited participants only"):
        object_to(actor=outsider, designation=proposal, reason="No.", now=during(proposal))
    invited = invite(process, UserFactory(username="invited"))
    assert object_to(actor=invited, designation=proposal, reason="No.", now=during(proposal))


def test_objecting_for_an_organisation_needs_its_approval(proposal, participant):
    organisation = make_organisation("Rhizomatica")
    with pytest.raises(PermissionDenied, match="not an approved representative"):
        object_to(
            actor=participant,
            designation=proposal,
            reason="For us.",
            on_behalf_of=organisation,
            now=during(proposal),
        )
    approve_representative(organisation, participant)
    objection = object_to(
        actor=participant,
        designation=proposal,
        reason="For us.",
        on_behalf_of=organisation,
        now=during(proposal),
    )
    assert objection.organisation == organisation
    entry = RecordEntry.objects.get(kind="designation.objection")
    assert entry.payload["organisation"] == {"name": "Rhizomatica", "slug": "rhizomatica"}


def test_a_closed_process_takes_no_objection(proposal, participant, process):
    Process.objects.filter(pk=process.pk).update(closed_at=timezone.now())
    proposal.recommendation.process.refresh_from_db()
    with pytest.raises(PermissionDenied, match="closed"):
        object_to(actor=participant, designation=proposal, reason="No.", now=during(proposal))


# Withdrawing ---------------------------------------------------------------------------------


def test_its_author_withdraws_an_objection_while_objections_are_open(proposal, participant):
    objection = object_to(
        actor=participant, designation=proposal, reason="No.", now=during(proposal)
    )
    withdrawn = withdraw_objection(actor=participant, objection=objection, now=during(proposal))
    assert withdrawn.withdrawn_at == during(proposal)
    entry = RecordEntry.objects.get(kind="designation.objection_withdrawn")
    assert entry.payload["objection_id"] == objection.pk
    with pytest.raises(ValidationError, match="already been withdrawn"):
        withdraw_objection(actor=participant, objection=objection, now=during(proposal))
    with pytest.raises(ValidationError, match="cannot be made again"):
        object_to(actor=participant, designation=proposal, reason="Again.", now=during(proposal))


def test_nobody_else_withdraws_an_objection(proposal, participant, chair, other_participant):
    objection = object_to(
        actor=participant, designation=proposal, reason="No.", now=during(proposal)
    )
    for actor in (chair, other_participant):
        with pytest.raises(PermissionDenied, match="Only its author"):
            withdraw_objection(actor=actor, objection=objection, now=during(proposal))


def test_an_objection_cannot_be_withdrawn_after_the_window(proposal, participant):
    objection = object_to(
        actor=participant, designation=proposal, reason="No.", now=during(proposal)
    )
    with pytest.raises(ValidationError, match="yours stands"):
        withdraw_objection(actor=participant, objection=objection, now=after(proposal))


# Making it final -----------------------------------------------------------------------------


def test_no_final_designation_while_objections_are_open(chair, proposal):
    with pytest.raises(ValidationError, match="Objections are open until"):
        finalise(chair, proposal, now=during(proposal))
    assert not Designation.objects.filter(stage=Stage.FINAL).exists()


def test_the_chair_confirms_after_the_window(chair, proposal):
    final = finalise(chair, proposal)
    assert final.stage == Stage.FINAL
    assert final.level == "consensus"
    assert final.proposal == proposal
    assert not final.revised
    assert final.rationale == proposal.rationale  # confirmed without a new rationale
    assert final.designated_at == after(proposal)
    entry = RecordEntry.objects.get(kind="designation.final")
    assert entry.payload["proposal_id"] == proposal.pk
    assert entry.payload["revised"] is False
    assert entry.payload["minority_views"] == []


def test_a_revised_level_needs_a_rationale(chair, proposal):
    with pytest.raises(ValidationError) as refused:
        finalise(chair, proposal, level="strong_support", rationale=" ")
    assert "revised" in refused.value.message_dict["rationale"][0]
    final = finalise(
        chair, proposal, level="strong_support", rationale="Two groups objected in substance."
    )
    assert final.revised
    assert final.rationale == "Two groups objected in substance."
    entry = RecordEntry.objects.get(kind="designation.final")
    assert (entry.payload["level"], entry.payload["proposed_level"]) == (
        "strong_support",
        "consensus",
    )


def test_standing_objections_become_minority_views_verbatim(
    chair, proposal, participant, other_participant
):
    markdown = "We object:\n\n- **no** impact assessment\n- see [the study](https://example.org)"
    arabic = "نعترض على هذا التصنيف: لم تُسمع أصوات المجتمع المدني."
    chinese = "我们反对。发展中国家的意见未被采纳。"
    organisation = make_organisation("Rhizomatica")
    approve_representative(organisation, participant)
    mine = object_to(
        actor=participant,
        designation=proposal,
        reason=markdown,
        on_behalf_of=organisation,
        now=during(proposal),
    )
    theirs = object_to(
        actor=other_participant, designation=proposal, reason=arabic, now=during(proposal)
    )
    third = UserFactory(username="li", profile={"stakeholder_group": "academia", "country": "CN"})
    withdrawn = object_to(actor=third, designation=proposal, reason=chinese, now=during(proposal))
    withdraw_objection(actor=third, objection=withdrawn, now=during(proposal))

    final = finalise(chair, proposal, level="strong_support", rationale="Objections stand.")

    views = list(MinorityView.objects.filter(designation=final).order_by("pk"))
    assert [(v.objection, v.author_name, v.text) for v in views] == [
        (mine, "Amina", markdown),
        (theirs, "Kenji", arabic),
    ]
    assert views[0].organisation == organisation
    entry = RecordEntry.objects.get(kind="designation.final")
    assert entry.payload["minority_views"] == [
        {
            "objection_id": mine.pk,
            "organisation": {"name": "Rhizomatica", "slug": "rhizomatica"},
            "text": markdown,
        },
        {"objection_id": theirs.pk, "organisation": None, "text": arabic},
    ]
    assert "Amina" not in str(entry.payload)
    assert "Kenji" not in str(entry.payload)
    told = Notification.objects.filter(subject__contains="minority view")
    assert {n.recipient for n in told} == {participant, other_participant}


def test_a_final_designation_is_made_once_and_closes_objections(chair, proposal, participant):
    final = finalise(chair, proposal)
    with pytest.raises(ValidationError, match="already been made final"):
        finalise(chair, proposal)
    with pytest.raises(ValidationError, match="Only a proposed designation"):
        finalise(chair, final, now=after(proposal))
    proposal.refresh_from_db()
    with pytest.raises(PermissionDenied, match="final"):
        object_to(actor=participant, designation=proposal, reason="No.", now=during(proposal))


@pytest.mark.parametrize("who", ["secretariat", "participant"])
def test_only_the_chair_makes_it_final(who, process, proposal, participant):
    actor = make_secretariat(process) if who == "secretariat" else participant
    with pytest.raises(PermissionDenied, match="Only the chair"):
        finalise(actor, proposal)


def test_the_record_tells_the_whole_story_in_order(chair, proposal, participant, process):
    objection = object_to(
        actor=participant, designation=proposal, reason="No.", now=during(proposal)
    )
    withdraw_objection(actor=participant, objection=objection, now=during(proposal))
    finalise(chair, proposal)
    assert [k for k in kinds(process) if k.startswith("designation.")] == [
        "designation.proposed",
        "designation.objection",
        "designation.objection_withdrawn",
        "designation.final",
    ]


def test_an_objection_never_slips_in_after_the_final_designation(chair, proposal, participant):
    """A page loaded before the chair made it final still holds a stale proposal: the objection
    is refused, not lost (it could no longer become a minority view)."""
    stale = Designation.objects.get(pk=proposal.pk)
    assert not hasattr(stale, "final")  # caches "no final designation yet"
    finalise(chair, Designation.objects.get(pk=proposal.pk))
    with pytest.raises(PermissionDenied, match="final"):
        object_to(actor=participant, designation=stale, reason="Late.", now=during(proposal))
    assert not Objection.objects.exists()
