"""Campaign services: intake idempotency, detection, the secretariat's decisions, permissions."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.campaigns.models import Campaign, CampaignMembership, CampaignStatus, SubmissionIntake
from polyvox.campaigns.services.decisions import (
    answer_campaign,
    confirm_campaign,
    merge_campaigns,
    split_campaign,
)
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.campaigns.services.intake import receive_submission
from polyvox.contributions.models import Contribution, Disposition, DispositionRevision
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.notifications.models import Notification
from polyvox.record.models import RecordEntry
from tests.factories import send_submission

FORM_LETTER = (
    "I urge the commission to protect an open and interoperable internet. Network operators must "
    "not block, throttle or prioritise traffic for payment. Keep the rules strong and enforceable "
    "for every provider, large and small, in every member state."
)
STORY = "As a rural nurse I rely on video calls with patients every single day."


@pytest.fixture
def form_letters(process, open_phase):
    """Five copies of one form letter (one with a personal story), and one unrelated submission."""
    members = [send_submission(process, FORM_LETTER, f"sender{i}") for i in range(4)]
    story = send_submission(
        process, FORM_LETTER.replace("Keep the rules", f"{STORY} Keep the rules"), "n"
    )
    other = send_submission(
        process, "Section 4 should define data portability for small firms.", "o"
    )
    return members, story, other


def test_the_same_idempotency_key_returns_the_first_submission(process, open_phase, participant):
    first = receive_submission(
        author=participant,
        process=process,
        text="Please add a review clause.",
        idempotency_key="k1",
    )

    again = receive_submission(
        author=participant,
        process=process,
        text="Please add a review clause.",
        idempotency_key="k1",
    )

    assert (first.created, again.created) == (True, False)
    assert again.contribution.pk == first.contribution.pk
    assert Contribution.objects.filter(process=process).count() == 1
    assert SubmissionIntake.objects.get().idempotency_key == "k1"


def test_an_idempotency_key_used_by_someone_else_is_rejected_and_nothing_is_created(
    process, open_phase, participant, other_participant
):
    receive_submission(author=participant, process=process, text="One.", idempotency_key="k1")

    with pytest.raises(ValidationError) as error:
        receive_submission(
            author=other_participant, process=process, text="Two.", idempotency_key="k1"
        )

    assert "idempotency_key" in error.value.message_dict
    assert Contribution.objects.filter(process=process).count() == 1


def test_intake_keeps_only_the_domain_and_network_block(process, open_phase, participant):
    received = receive_submission(
        author=participant,
        process=process,
        text="Add a sunset clause.",
        source="api",
        email_domain="Amina@Example.ORG",
        network="203.0.113.77",
    )

    intake = received.contribution.intake
    assert (intake.source, intake.email_domain, intake.network) == (
        "api",
        "example.org",
        "203.0.113.0/24",
    )


def test_an_empty_submission_is_rejected_and_nothing_is_recorded(process, open_phase, participant):
    entries = RecordEntry.objects.count()

    with pytest.raises(ValidationError) as error:
        receive_submission(author=participant, process=process, text="   ", idempotency_key="k")

    assert "body" in error.value.message_dict
    assert (Contribution.objects.count(), SubmissionIntake.objects.count()) == (0, 0)
    assert RecordEntry.objects.count() == entries


def test_detection_finds_the_form_letter_and_surfaces_the_personal_addition(
    process, secretariat, form_letters
):
    members, story, other = form_letters

    campaigns = detect_campaigns(actor=secretariat, process=process)

    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert (campaign.size, campaign.status) == (5, CampaignStatus.DETECTED)
    assert campaign.template_id in {m.pk for m in members}
    additions = dict(campaign.memberships.values_list("contribution_id", "unique_addition"))
    assert set(additions) == {*(m.pk for m in members), story.pk}
    assert STORY.rstrip(".") in additions[story.pk]
    assert {additions[m.pk] for m in members} == {""}
    assert not CampaignMembership.objects.filter(contribution=other).exists()
    assert RecordEntry.objects.filter(process=process, kind="campaigns.detected").count() == 1


def test_detecting_again_replaces_detected_campaigns_and_keeps_confirmed_ones(
    process, secretariat, form_letters
):
    first = detect_campaigns(actor=secretariat, process=process)[0]
    confirm_campaign(actor=secretariat, campaign=first)
    copies = [
        send_submission(process, "Ban facial recognition in public spaces now.", f"b{i}")
        for i in range(3)
    ]

    again = detect_campaigns(actor=secretariat, process=process)

    assert [c.size for c in again] == [3]
    assert set(again[0].memberships.values_list("contribution_id", flat=True)) == {
        c.pk for c in copies
    }
    assert list(Campaign.objects.filter(process=process).values_list("pk", "status", "size")) == [
        (first.pk, "confirmed", 5),
        (again[0].pk, "detected", 3),
    ]


def test_a_participant_cannot_detect_campaigns_and_nothing_changes(
    process, participant, form_letters
):
    with pytest.raises(PermissionDenied):
        detect_campaigns(actor=participant, process=process)

    assert Campaign.objects.count() == 0


def test_answering_a_campaign_gives_each_member_that_disposition(
    process, secretariat, form_letters
):
    members, story, _ = form_letters
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    count = answer_campaign(
        actor=secretariat, campaign=campaign, outcome="noted", reason="Net neutrality is in §3."
    )

    assert count == 5
    answers = Disposition.objects.filter(contribution__in=[*members, story])
    assert sorted(answers.values_list("outcome", "reason", "decided_by").distinct()) == [
        ("noted", "Net neutrality is in §3.", secretariat.pk)
    ]
    assert answers.count() == 5


def test_a_campaign_answer_is_one_record_entry_with_the_count_and_a_digest_of_its_members(
    process, secretariat, form_letters
):
    members, story, _ = form_letters
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="See §3.")

    numbers = sorted(c.tracking_number for c in [*members, story])
    entry = RecordEntry.objects.get(kind="campaign.answered")
    assert entry.payload == {
        "campaign": campaign.pk,
        "template": campaign.template.tracking_number,
        "size": 5,
        "status": "detected",
        "outcome": "noted",
        "reason": "See §3.",
        "members": 5,
        "members_sha256": hashlib.sha256("\n".join(numbers).encode()).hexdigest(),
    }
    assert RecordEntry.objects.filter(kind="disposition.recorded").count() == 0


def test_answering_a_campaign_again_keeps_each_members_earlier_answer_as_a_revision(
    process, secretariat, form_letters
):
    members, _story, _ = form_letters
    campaign = detect_campaigns(actor=secretariat, process=process)[0]
    answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="See §3.")

    answer_campaign(actor=secretariat, campaign=campaign, outcome="incorporated", reason="")

    disposition = Disposition.objects.get(contribution=members[0])
    assert (disposition.outcome, disposition.reason) == ("incorporated", "")
    assert list(disposition.revisions.values_list("outcome", "reason")) == [("noted", "See §3.")]
    assert DispositionRevision.objects.count() == 5
    assert Disposition.objects.count() == 5


def test_a_member_answered_alone_before_is_answered_with_the_campaign(
    process, secretariat, form_letters
):
    members, _story, _ = form_letters
    campaign = detect_campaigns(actor=secretariat, process=process)[0]
    record_disposition(actor=secretariat, contribution=members[1], outcome="noted", reason="Hm.")

    count = answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="§3.")

    assert count == 5
    assert Disposition.objects.filter(reason="§3.").count() == 5
    assert list(DispositionRevision.objects.values_list("reason", flat=True)) == ["Hm."]


def test_members_authors_are_notified_once_with_a_link_to_the_campaign(
    process, secretariat, form_letters
):
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="See §3.")

    notes = Notification.objects.filter(subject="A campaign you took part in was answered")
    assert notes.count() == 5
    assert set(notes.values_list("url", flat=True)) == {
        f"/p/{process.slug}/campaigns/{campaign.pk}/"
    }


@pytest.mark.parametrize(
    ("outcome", "field"), [("duplicate", "outcome"), ("maybe", "outcome"), ("noted", "reason")]
)
def test_a_campaign_answer_that_breaks_a_disposition_rule_is_rejected_and_nothing_changes(
    process, secretariat, form_letters, outcome, field
):
    campaign = detect_campaigns(actor=secretariat, process=process)[0]
    entries = RecordEntry.objects.count()

    with pytest.raises(ValidationError) as error:
        answer_campaign(actor=secretariat, campaign=campaign, outcome=outcome, reason="")

    assert list(error.value.message_dict) == [field]
    assert (Disposition.objects.count(), RecordEntry.objects.count()) == (0, entries)


def test_a_campaign_answer_without_reason_is_rejected_and_nobody_is_answered(
    process, secretariat, form_letters
):
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    with pytest.raises(ValidationError) as error:
        answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason=" ")

    assert "reason" in error.value.message_dict
    assert Disposition.objects.count() == 0


def test_a_participant_cannot_answer_a_campaign(process, secretariat, participant, form_letters):
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    with pytest.raises(PermissionDenied):
        answer_campaign(actor=participant, campaign=campaign, outcome="noted", reason="No.")

    assert Disposition.objects.count() == 0


def test_splitting_moves_members_into_a_confirmed_campaign_of_their_own(
    process, secretariat, form_letters
):
    members, _story, _other = form_letters
    campaign = detect_campaigns(actor=secretariat, process=process)[0]
    moving = [m.pk for m in members if m.pk != campaign.template_id][:2]

    result = split_campaign(actor=secretariat, campaign=campaign, contribution_ids=moving)

    assert [(c.size, c.status) for c in result] == [(3, "confirmed"), (2, "confirmed")]
    assert set(result[1].memberships.values_list("contribution_id", flat=True)) == set(moving)
    assert result[1].template_id in moving


def test_splitting_off_a_non_member_is_rejected_and_nothing_changes(
    process, secretariat, form_letters
):
    _, _, other = form_letters
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    with pytest.raises(ValidationError):
        split_campaign(actor=secretariat, campaign=campaign, contribution_ids=[other.pk])

    assert list(Campaign.objects.values_list("size", "status")) == [(5, "detected")]


def test_merging_joins_campaigns_under_the_largest_template(process, secretariat, form_letters):
    send_submission(process, "Ban facial recognition in public spaces now.", "b1")
    send_submission(process, "Ban facial recognition in public spaces now.", "b2")
    big, small = detect_campaigns(actor=secretariat, process=process)

    merged = merge_campaigns(actor=secretariat, campaigns=[small, big])

    assert (merged.pk, merged.size, merged.status) == (big.pk, 7, "confirmed")
    assert list(Campaign.objects.values_list("pk", flat=True)) == [big.pk]
    assert CampaignMembership.objects.filter(campaign=big).count() == 7


def test_a_participant_cannot_confirm_split_or_merge(
    process, secretariat, participant, form_letters
):
    campaign = detect_campaigns(actor=secretariat, process=process)[0]

    with pytest.raises(PermissionDenied):
        confirm_campaign(actor=participant, campaign=campaign)
    with pytest.raises(PermissionDenied):
        split_campaign(
            actor=participant, campaign=campaign, contribution_ids=[campaign.template_id]
        )
    with pytest.raises(PermissionDenied):
        merge_campaigns(actor=participant, campaigns=[campaign, campaign])

    assert list(Campaign.objects.values_list("size", "status")) == [(5, "detected")]
