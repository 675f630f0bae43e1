"""Reads: threads, the workbench and the feedback report's figures, computed by hand here."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from polyvox.campaigns.selectors import CampaignOfInput, campaign_of
from polyvox.campaigns.services.decisions import answer_campaign
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Outcome
from polyvox.contributions.selectors.feedback_report import Share, feedback_report
from polyvox.contributions.selectors.threads import (
    access_contribution,
    contribution_thread,
    contributions_for_section,
)
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.contributions.services.submitting import submit_contribution
from tests.factories import (
    UserFactory,
    make_version,
    submit_comment,
    submit_reply,
    submit_to_version,
)


@pytest.fixture
def government(db):
    return UserFactory(
        username="claire", profile={"stakeholder_group": "government", "country": "FR"}
    )


def test_section_threads_nest_replies_and_leave_out_hidden_inputs(
    open_phase, participant, other_participant, secretariat, section
):
    root = submit_comment(participant, section)
    first = submit_reply(other_participant, root)
    second = submit_reply(participant, first)
    hidden = submit_comment(other_participant, section)
    hide_contribution(actor=secretariat, contribution=hidden, reason_code="spam", reason="Spam.")

    threads = contributions_for_section(viewer=AnonymousUser(), section=section)

    assert [node.contribution for node in threads] == [root]
    assert threads[0].replies[0].contribution == first
    assert threads[0].replies[0].replies[0].contribution == second


def test_a_thread_read_from_a_reply_starts_at_that_reply(
    open_phase, participant, other_participant, section
):
    root = submit_comment(participant, section)
    first = submit_reply(other_participant, root)
    second = submit_reply(participant, first)

    node = contribution_thread(viewer=AnonymousUser(), contribution=first)

    assert (node.contribution, [n.contribution for n in node.replies]) == (first, [second])


def test_a_hidden_contribution_is_not_found_for_other_participants(
    open_phase, participant, other_participant, secretariat, section
):
    contribution = submit_comment(participant, section)
    hide_contribution(
        actor=secretariat, contribution=contribution, reason_code="spam", reason="Spam."
    )

    with pytest.raises(Http404):
        access_contribution(
            viewer=other_participant,
            process=contribution.process,
            tracking_number=contribution.tracking_number,
        )
    mine = access_contribution(
        viewer=participant,
        process=contribution.process,
        tracking_number=contribution.tracking_number,
    )

    assert mine == contribution


def test_the_feedback_report_counts_answered_inputs_overall_by_group_and_by_region(
    open_phase, participant, other_participant, government, secretariat, version
):
    scope = version.sections.get(anchor="scope")
    kenyan_1 = submit_comment(participant, scope)
    submit_comment(participant, scope)
    japanese = submit_comment(other_participant, scope)
    french = submit_contribution(
        author=government,
        process=open_phase.process,
        kind="omission",
        body="Energy.",
        draft_version=version,
    )
    submit_reply(other_participant, kenyan_1)  # dialogue, not an input
    spam = submit_comment(other_participant, scope)
    hide_contribution(actor=secretariat, contribution=spam, reason_code="spam", reason="Spam.")
    for contribution in (kenyan_1, japanese, french):
        record_disposition(
            actor=secretariat, contribution=contribution, outcome=Outcome.NOTED, reason="Noted."
        )

    report = feedback_report(version=version)

    assert len(report.inputs) == 4
    assert report.overall == Share("all", "All inputs", 3, 4)
    assert report.overall.percent == 75
    assert report.by_stakeholder_group == (
        Share("civil_society", "Civil society", 1, 2),
        Share("government", "Government", 1, 1),
        Share("private_sector", "Private sector", 1, 1),
    )
    assert report.by_region == (
        Share("Africa", "Africa", 1, 2),
        Share("Asia", "Asia", 1, 1),
        Share("Europe", "Europe", 1, 1),
    )


def test_the_feedback_report_links_answers_to_the_sections_they_changed_in_the_next_version(
    open_phase, participant, other_participant, secretariat, version
):
    scope = version.sections.get(anchor="scope")
    first = submit_comment(participant, scope)
    second = submit_comment(other_participant, scope)
    v2 = make_version(
        open_phase.process, number=2, anchors=("scope", "access", "energy"), draft=version.draft
    )
    record_disposition(
        actor=secretariat,
        contribution=first,
        outcome=Outcome.INCORPORATED,
        reason="",
        changed_sections=[v2.sections.get(anchor="scope"), v2.sections.get(anchor="energy")],
    )
    record_disposition(
        actor=secretariat,
        contribution=second,
        outcome=Outcome.PARTLY_INCORPORATED,
        reason="In part.",
        changed_sections=[v2.sections.get(anchor="energy")],
    )

    report = feedback_report(version=version)

    assert report.next_version_number == 2
    assert [(c.version_number, c.anchor) for c in report.inputs[0].changes] == [
        (2, "scope"),
        (2, "energy"),
    ]
    assert [(s.anchor, s.inputs) for s in report.next_version_sections] == [
        ("scope", (first.tracking_number,)),
        ("access", ()),
        ("energy", (first.tracking_number, second.tracking_number)),
    ]


def test_the_feedback_report_of_the_latest_version_has_no_next_version(version):
    report = feedback_report(version=version)

    assert (report.next_version_number, report.next_version_sections, report.overall.total) == (
        None,
        (),
        0,
    )


FORM_LETTER = "Keep the internet open: no blocking, no throttling, no paid priority."


@pytest.fixture
def campaign_on_version(
    open_phase, participant, other_participant, government, secretariat, version
):
    """Three copies of one letter (a campaign, answered as one) and one comment left unanswered."""
    letters = [
        submit_to_version(u, version, FORM_LETTER)
        for u in (participant, other_participant, government)
    ]
    comment = submit_comment(participant, version.sections.get(anchor="scope"))
    campaign = detect_campaigns(actor=secretariat, process=open_phase.process)[0]
    answer_campaign(actor=secretariat, campaign=campaign, outcome="noted", reason="See §3.")
    return campaign, letters, comment


def test_the_feedback_report_lists_a_campaign_once_with_its_supporters(campaign_on_version):
    campaign, letters, comment = campaign_on_version

    report = feedback_report(version=letters[0].draft_version)

    assert [(i.tracking_number, i.campaign_id, i.supporters) for i in report.inputs] == [
        (campaign.template.tracking_number, campaign.pk, 3),
        (comment.tracking_number, None, 1),
    ]
    assert (report.inputs[0].outcome, report.inputs[0].reason) == ("noted", "See §3.")


def test_feedback_figures_count_campaigns_once_and_submissions_each(campaign_on_version):
    _campaign, letters, _comment = campaign_on_version

    report = feedback_report(version=letters[0].draft_version)

    assert report.overall == Share("all", "All inputs", 1, 2)
    assert report.submissions == Share(
        "submissions", "All submissions (every campaign member counted)", 3, 4
    )
    assert report.by_stakeholder_group == (
        Share("civil_society", "Civil society", 1, 2),
        Share("government", "Government", 1, 1),
        Share("private_sector", "Private sector", 1, 1),
    )


def test_a_campaign_member_shows_its_campaign_and_the_campaigns_answer(campaign_on_version):
    campaign, letters, _comment = campaign_on_version
    member = next(c for c in letters if c.pk != campaign.template_id)

    found = campaign_of(viewer=AnonymousUser(), contribution=member)

    assert found == CampaignOfInput(
        campaign_id=campaign.pk,
        size=3,
        template_tracking_number=campaign.template.tracking_number,
        is_template=False,
        outcome_label="Noted",
        reason="See §3.",
    )


def test_an_input_outside_any_campaign_has_no_campaign(campaign_on_version):
    _campaign, _letters, comment = campaign_on_version

    assert campaign_of(viewer=AnonymousUser(), contribution=comment) is None
