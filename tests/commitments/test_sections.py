"""What commitments adds to other pages: the process page, an organisation's page (its merged
duplicates included), a recommendation's page and the outcome document with its JSON data."""

import json
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from polyvox.commitments import sections
from polyvox.commitments.models import Commitment
from polyvox.outcomes.pages import OUTCOME_DATA
from tests.commitments.conftest import commit, report
from tests.factories import make_organisation, make_recommendation

pytestmark = pytest.mark.django_db


def request_by(user=None):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def test_the_process_page_counts_and_links(client, participant, process, commitment):
    late = commit(participant, process, "Late one")
    Commitment.objects.filter(pk=late.pk).update(due_on=timezone.now().date() - timedelta(days=2))

    page = client.get(process.get_absolute_url()).content.decode()

    assert "2 commitments: who will do what by when" in page
    assert reverse("commitments:list", kwargs={"slug": process.slug}) in page
    assert '<span class="tag late">Overdue</span> 1' in page


def test_the_organisation_page_lists_its_commitments_and_its_merged_duplicates(
    client, representative, organisation, organisation_commitment, process
):
    duplicate = make_organisation("Rhizomatica AC", admin=representative, slug="rhizomatica-ac")
    commit(representative, process, "Train operators", organisation=duplicate)
    duplicate.merged_into = organisation
    duplicate.save()

    page = client.get(organisation.get_absolute_url()).content.decode()

    assert "2 commitments made on its behalf" in page
    assert "Connect ten villages" in page
    assert "Train operators" in page
    assert process.title in page


def test_the_recommendation_section_lists_linked_commitments(participant, process):
    recommendation = make_recommendation(process)
    commit(participant, process, "Linked", recommendations=[recommendation])
    commit(participant, process, "Not linked")

    context = sections.recommendation_section(
        request=request_by(participant), recommendation=recommendation, process=process
    )
    html = render_to_string("commitments/_recommendation_section.html", context)

    assert context["total"] == 1
    assert "Linked" in html
    assert "Not linked" not in html
    assert "?recommendation=1" in html  # "Commit to carry it out"


def test_the_outcome_document_groups_commitments_by_recommendation(participant, process):
    first = make_recommendation(process)
    second = make_recommendation(process, "Publish the minutes")
    both = commit(participant, process, "Both", recommendations=[first, second])
    report(participant, both, status="done")
    commit(participant, process, "Alone")

    context = sections.outcome_document_section(request=request_by(), process=process)
    html = render_to_string("commitments/_outcome_document.html", context)

    assert [(r.number, [c.title for c in rows]) for r, rows in context["groups"]] == [
        (1, ["Both"]),
        (2, ["Both"]),
    ]
    assert [c.title for c in context["unlinked"]] == ["Alone"]
    assert "Recommendation 2: Publish the minutes" in html
    assert "Other commitments" in html


def test_the_outcome_data_is_public_and_json_ready(participant, process, organisation_commitment):
    recommendation = make_recommendation(process)
    commit(participant, process, recommendations=[recommendation])

    data = OUTCOME_DATA.data(process)["commitments"]

    assert [c["title"] for c in data] == ["Translate the guidelines", "Connect ten villages"]
    assert data[0]["recommendations"] == [1]
    assert data[0]["state"] == "planned"
    assert data[0]["overdue"] is False
    assert data[1]["organisation"] == {"name": "Rhizomatica", "slug": "rhizomatica"}
    assert "email" not in str(data)


def test_the_recommendation_page_and_the_outcome_document_show_the_commitments(
    client, participant, process
):
    recommendation = make_recommendation(process)
    commit(participant, process, "Translate the guidelines", recommendations=[recommendation])

    recommendation_page = client.get(recommendation.get_absolute_url())
    document = client.get(reverse("outcomes:document", kwargs={"slug": process.slug}))
    data = client.get(reverse("outcomes:document_json", kwargs={"slug": process.slug}))

    assert "Commitments to carry it out" in recommendation_page.content.decode()
    assert "Translate the guidelines" in recommendation_page.content.decode()
    assert "Commitments to carry out recommendation 1" in document.content.decode()
    assert json.loads(data.content)["commitments"][0]["title"] == "Translate the guidelines"
