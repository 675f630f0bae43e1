"""Reads of joint statements: lists with counts, signatories, counts by group and region."""

import pytest
from django.http import Http404

from polyvox.joint_statements.models import Relation
from polyvox.joint_statements.selectors import (
    Count,
    linked_statements,
    organisation_signatures,
    organisation_statements,
    revisions_of,
    signatories,
    signature_counts,
    statement_in,
    statements_of,
    viewer_signatures,
    withdrawn_signatures,
)
from polyvox.joint_statements.services.drafting import edit_draft, publish_linked_statement
from polyvox.joint_statements.services.signing import sign, withdraw_signature
from tests.factories import ProcessFactory, UserFactory, approve_representative, make_organisation
from tests.joint_statements.conftest import draft_statement, in_days, open_statement

pytestmark = pytest.mark.django_db


def dissent(actor, statement, title="We disagree", **kwargs):
    return publish_linked_statement(
        actor=actor,
        responds_to=statement,
        relation=Relation.DISSENT,
        title=title,
        body="Reasons.",
        **kwargs,
    )


def test_the_list_has_joint_statements_newest_first_with_their_counts(
    participant, other_participant, process, draft, statement
):
    sign(actor=other_participant, statement=statement)
    withdrawn = sign(actor=participant, statement=statement)
    withdraw_signature(actor=participant, signature=withdrawn)
    dissent(other_participant, statement)

    rows = list(statements_of(process))

    assert [(s.pk, s.signature_count, s.linked_count) for s in rows] == [  # type: ignore[attr-defined]
        (statement.pk, 1, 1),
        (draft.pk, 0, 0),
    ]
    assert [d.title for d in rows[0].linked] == ["We disagree"]  # type: ignore[attr-defined]


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    participant, other_participant, process, django_assert_max_num_queries
):
    for i in range(5):
        statement = open_statement(participant, process, title=f"Statement {i}")
        sign(actor=other_participant, statement=statement)
        dissent(other_participant, statement, title=f"Dissent {i}")

    with django_assert_max_num_queries(2):
        rows = list(statements_of(process)[:50])
        pairs = [(s.organisation, [d.organisation for d in s.linked]) for s in rows]  # type: ignore[attr-defined]

    assert len(pairs) == 5


def test_a_statement_of_another_process_is_not_found(statement):
    other = ProcessFactory()

    with pytest.raises(Http404):
        statement_in(other, statement.pk)
    assert statement_in(statement.process, statement.pk) == statement


def test_linked_statements_are_the_published_answers_oldest_first(
    participant, other_participant, statement
):
    first = dissent(other_participant, statement, title="First")
    second = publish_linked_statement(
        actor=participant,
        responds_to=statement,
        relation=Relation.SUPPLEMENT,
        title="Second",
        body="More.",
        deadline=in_days(2),
    )
    sign(actor=other_participant, statement=second)

    assert [(s.pk, s.signature_count) for s in linked_statements(statement)] == [  # type: ignore[attr-defined]
        (first.pk, 0),
        (second.pk, 1),
    ]


def test_signatories_are_active_signatures_in_signing_order_and_withdrawals_apart(
    participant, other_participant, representative, organisation, statement
):
    first = sign(actor=other_participant, statement=statement)
    second = sign(actor=representative, statement=statement, organisation=organisation)
    third = sign(actor=participant, statement=statement)
    withdraw_signature(actor=other_participant, signature=first)

    assert list(signatories(statement)) == [second, third]
    assert list(withdrawn_signatures(statement)) == [first]


def test_signature_counts_by_kind_stakeholder_group_and_region(
    participant, other_participant, representative, organisation, statement
):
    sign(actor=participant, statement=statement)  # civil society, Kenya: Africa
    sign(actor=other_participant, statement=statement)  # private sector, Japan: Asia
    sign(actor=representative, statement=statement, organisation=organisation)  # CS, Mexico
    nowhere = UserFactory(username="nemo", profile={"country": ""})
    gone = sign(actor=nowhere, statement=statement)
    withdraw_signature(actor=nowhere, signature=gone)
    unstated = UserFactory(username="uma", profile={"country": "", "stakeholder_group": "academia"})
    sign(actor=unstated, statement=statement)

    counts = signature_counts(statement)

    assert (counts.total, counts.organisations, counts.individuals, counts.withdrawn) == (
        4,
        1,
        3,
        1,
    )
    assert counts.by_stakeholder_group == [
        Count("civil_society", "Civil society", 2),
        Count("academia", "Academia", 1),
        Count("private_sector", "Private sector", 1),
    ]
    assert counts.by_region == [
        Count("Africa", "Africa", 1),
        Count("Americas", "Americas", 1),
        Count("Asia", "Asia", 1),
        Count("", "Not stated", 1),
    ]


def test_signature_counts_take_a_fixed_number_of_queries(statement, django_assert_max_num_queries):
    for i in range(6):
        sign(actor=UserFactory(username=f"s{i}"), statement=statement)

    with django_assert_max_num_queries(3):
        counts = signature_counts(statement)

    assert counts.total == 6


def test_revisions_are_every_text_first_to_last(participant, draft):
    edit_draft(actor=participant, statement=draft, title="Second title", body="Second text.")

    assert list(revisions_of(draft).values_list("number", "title")) == [
        (1, "Keep the internet open"),
        (2, "Second title"),
    ]


def test_viewer_signatures_are_mine_and_those_of_organisations_i_represent(
    participant, other_participant, representative, organisation, statement
):
    mine = sign(actor=other_participant, statement=statement)
    for_org = sign(actor=representative, statement=statement, organisation=organisation)
    sign(actor=participant, statement=statement)
    approve_representative(organisation, other_participant)

    assert viewer_signatures(other_participant, statement) == [mine, for_org]
    assert viewer_signatures(None, statement) == []


def test_an_organisation_page_reads_its_signatures_and_statements(
    representative, organisation, participant, process
):
    duplicate = make_organisation("Rhizomatica AC", slug="rhizomatica-ac", admin=representative)
    older = open_statement(participant, process, title="Older")
    newer = open_statement(participant, process, title="Newer")
    first = sign(actor=representative, statement=older, organisation=organisation)
    second = sign(actor=representative, statement=newer, organisation=duplicate)
    withdraw_signature(actor=representative, signature=first)
    theirs = dissent(representative, newer, organisation=organisation)
    draft_statement(representative, process, organisation=organisation)  # a draft: not listed

    assert list(organisation_signatures([organisation.pk, duplicate.pk])) == [second, first]
    assert list(organisation_statements([organisation.pk])) == [theirs]
