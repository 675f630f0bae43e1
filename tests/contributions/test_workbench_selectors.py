"""The workbench's reads: filters, search, sort, pages, my queue, unanswered > N days."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polyvox.contributions.models import Assignment, Contribution, Outcome, ProposedAnswer
from polyvox.contributions.selectors import workbench
from polyvox.contributions.selectors.workbench import (
    AnswerState,
    WorkbenchFilters,
    workbench_contributions,
    workbench_page,
)
from polyvox.contributions.services.dispositions import record_disposition
from tests.factories import UserFactory, submit_comment, submit_reply


def listed(viewer, process, **filters):
    return list(
        workbench_contributions(viewer=viewer, process=process, filters=WorkbenchFilters(**filters))
    )


def received(contribution, days_ago):
    """Backdate an input, as if it had arrived `days_ago` days ago."""
    at = timezone.now() - timedelta(days=days_ago)
    Contribution.objects.filter(pk=contribution.pk).update(created_at=at)
    contribution.refresh_from_db()
    return contribution


def test_the_workbench_refuses_participants(open_phase, participant):
    with pytest.raises(PermissionDenied):
        listed(participant, open_phase.process)


def test_the_workbench_leaves_replies_out_unless_asked_for_them(
    open_phase, participant, other_participant, secretariat, section
):
    root = submit_comment(participant, section)
    reply = submit_reply(other_participant, root)

    assert listed(secretariat, open_phase.process) == [root]
    assert listed(secretariat, open_phase.process, kind="reply") == [reply]


def test_filters_by_section_group_organisation_and_answer_state(
    open_phase, participant, other_participant, secretariat, version
):
    scope, access = version.sections.get(anchor="scope"), version.sections.get(anchor="access")
    on_scope = submit_comment(participant, scope)
    on_access = submit_comment(other_participant, access)
    Contribution.objects.filter(pk=on_access.pk).update(organisation="Open Spectrum Alliance")
    proposed = submit_comment(participant, access)
    record_disposition(
        actor=secretariat, contribution=on_scope, outcome=Outcome.NOTED, reason="Thanks."
    )
    ProposedAnswer.objects.create(
        contribution=proposed, outcome=Outcome.NOTED, reason="Later.", proposed_by=secretariat
    )
    process = open_phase.process

    assert listed(secretariat, process, section_anchor="access") == [on_access, proposed]
    assert listed(secretariat, process, stakeholder_group="private_sector") == [on_access]
    assert listed(secretariat, process, organisation="spectrum") == [on_access]
    assert listed(secretariat, process, answer_state=AnswerState.ANSWERED) == [on_scope]
    assert listed(secretariat, process, answer_state=AnswerState.PROPOSED) == [proposed]
    assert listed(secretariat, process, answer_state=AnswerState.UNANSWERED) == [on_access]


def test_full_text_search_finds_inputs_by_their_words(
    open_phase, participant, secretariat, section
):
    spectrum = submit_comment(participant, section, body="Keep licence-exempt spectrum open.")
    submit_comment(participant, section, body="Fund community networks.")

    assert listed(secretariat, open_phase.process, query="spectrum") == [spectrum]


def test_my_queue_and_unassigned_inputs(open_phase, participant, secretariat, section):
    mine = submit_comment(participant, section)
    theirs = submit_comment(participant, section)
    free = submit_comment(participant, section)
    colleague = UserFactory(username="rapporteur")
    Assignment.objects.create(contribution=mine, assignee=secretariat, assigned_by=secretariat)
    Assignment.objects.create(contribution=theirs, assignee=colleague, assigned_by=secretariat)
    process = open_phase.process

    assert listed(secretariat, process, assignee="mine") == [mine]
    assert listed(secretariat, process, assignee="none") == [free]
    assert listed(secretariat, process, assignee=str(colleague.pk)) == [theirs]


def test_inputs_unanswered_for_more_than_n_days(open_phase, participant, secretariat, section):
    old = received(submit_comment(participant, section), days_ago=40)
    old_answered = received(submit_comment(participant, section), days_ago=45)
    received(submit_comment(participant, section), days_ago=10)
    record_disposition(
        actor=secretariat, contribution=old_answered, outcome=Outcome.NOTED, reason="Thanks."
    )

    assert listed(secretariat, open_phase.process, unanswered_days=30) == [old]


def test_sorts_by_received_date_section_and_kind(open_phase, participant, secretariat, version):
    scope, access = version.sections.get(anchor="scope"), version.sections.get(anchor="access")
    first = received(submit_comment(participant, scope), days_ago=3)
    second = received(submit_comment(participant, access), days_ago=2)
    third = received(submit_comment(participant, scope), days_ago=1)
    process = open_phase.process

    assert listed(secretariat, process, sort="oldest") == [first, second, third]
    assert listed(secretariat, process, sort="newest") == [third, second, first]
    assert listed(secretariat, process, sort="section") == [second, first, third]


def test_a_page_holds_fifty_rows_with_an_excerpt_state_and_age(
    open_phase, participant, secretariat, section
):
    long_text = "word " * 100
    inputs = [submit_comment(participant, section, body=long_text) for _ in range(51)]
    received(inputs[0], days_ago=12)

    first = workbench_page(viewer=secretariat, process=open_phase.process)
    second = workbench_page(viewer=secretariat, process=open_phase.process, page_number=2)

    assert (first.page.paginator.count, len(first.rows), len(second.rows)) == (51, 50, 1)
    row = first.rows[0]
    assert (row.excerpt, row.truncated) == (long_text[:200], True)
    assert (row.state, row.age_days, row.group) == (AnswerState.UNANSWERED, 12, None)
    assert second.rows[0].contribution == inputs[-1]


def page_queries(viewer, process):
    with CaptureQueriesContext(connection) as captured:
        workbench_page(viewer=viewer, process=process, filters=WorkbenchFilters(sort="section"))
    return len(captured)


def test_a_page_costs_the_same_queries_for_3_or_30_inputs(
    open_phase, participant, secretariat, section
):
    for _ in range(3):
        submit_comment(participant, section)
    few = page_queries(secretariat, open_phase.process)
    for n in range(27):
        contribution = submit_comment(participant, section)
        if n % 2:
            record_disposition(
                actor=secretariat, contribution=contribution, outcome="noted", reason="Noted."
            )
        Assignment.objects.create(
            contribution=contribution, assignee=secretariat, assigned_by=secretariat
        )

    assert page_queries(secretariat, open_phase.process) == few


def test_a_search_counts_only_up_to_the_cap(
    monkeypatch, open_phase, participant, secretariat, section
):
    monkeypatch.setattr(workbench, "SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        submit_comment(participant, section, body="Open spectrum.")

    found = workbench_page(
        viewer=secretariat, process=open_phase.process, filters=WorkbenchFilters(query="spectrum")
    )
    everything = workbench_page(viewer=secretariat, process=open_phase.process)

    assert (found.page.paginator.capped, len(found.rows)) == (True, 3)
    assert everything.page.paginator.count == 3
