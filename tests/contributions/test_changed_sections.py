"""Answering offers first the sections that later versions changed, with their text, then every
section on request (issue 8, point 4)."""

import pytest

from polyvox.contributions.models import Disposition
from polyvox.drafts.selectors import changed_sections_since
from polyvox.drafts.services import create_draft, publish_draft_version, save_version
from tests.factories import contribution_url as url
from tests.factories import submit_comment

pytestmark = pytest.mark.django_db

V1 = """# Access

Everyone should have access.

# Spectrum

Spectrum is scarce.

# Licensing

Licences are expensive.
"""
V2 = V1.replace("Spectrum is scarce.", "Spectrum must be shared with community networks.")
V3 = V2.replace("Licences are expensive.", "Licences must be cheap.") + "\n# Funding\n\nA fund.\n"


@pytest.fixture
def versions(process, secretariat):
    draft = create_draft(actor=secretariat, process=process, slug="principles", title="Principles")
    return [
        publish_draft_version(actor=secretariat, draft=draft, markdown=text)
        for text in (V1, V2, V3)
    ]


def described(sections):
    return [(s.version.number, s.anchor) for s in sections]


def test_each_change_is_offered_in_the_version_that_made_it_newest_first(versions):
    assert described(changed_sections_since(versions[0])) == [
        (3, "licensing-p1"),
        (3, "funding"),
        (3, "funding-p1"),
        (2, "spectrum-p1"),
    ]
    assert described(changed_sections_since(versions[1])) == [
        (3, "licensing-p1"),
        (3, "funding"),
        (3, "funding-p1"),
    ]
    assert changed_sections_since(versions[2]) == []


def test_the_selector_costs_two_queries_however_many_versions(versions, django_assert_num_queries):
    with django_assert_num_queries(2):
        changed_sections_since(versions[0])


def test_a_pending_version_is_not_offered(versions, secretariat):
    save_version(actor=secretariat, draft=versions[0].draft, markdown=V3 + "\nNew text.")

    assert (4, "funding-p2") not in described(changed_sections_since(versions[0]))
    assert len(changed_sections_since(versions[0])) == 4


def test_the_answer_page_offers_the_changed_sections_with_their_text(
    client, open_phase, participant, secretariat, versions
):
    comment = submit_comment(participant, versions[0].sections.get(anchor="spectrum-p1"))
    client.force_login(secretariat)

    response = client.get(
        url("answer", open_phase.process, tracking_number=comment.tracking_number)
    )

    field = response.context["form"]["changed_sections"]
    labels = [choice.choice_label for choice in field]
    assert labels == [
        "v3 §licensing-p1: Licences must be cheap.",
        "v3 §funding: Funding",
        "v3 §funding-p1: A fund.",
        "v2 §spectrum-p1: Spectrum must be shared with community networks.",
    ]
    assert "Show every section of the later versions" in response.content.decode()


def test_asking_for_every_section_lists_the_changed_ones_first_then_the_rest(
    client, open_phase, participant, secretariat, versions
):
    comment = submit_comment(participant, versions[0].sections.get(anchor="spectrum-p1"))
    client.force_login(secretariat)
    page = url("answer", open_phase.process, tracking_number=comment.tracking_number)

    response = client.get(page, {"sections": "all"})

    labels = [choice.choice_label for choice in response.context["form"]["changed_sections"]]
    assert len(labels) == 6 + 8  # every section of v2 and v3, the 4 changed ones first
    assert labels[4:6] == ["v2 §access: Access", "v2 §access-p1: Everyone should have access."]
    assert "Show every section of the later versions" not in response.content.decode()


def test_a_section_that_did_not_change_can_still_be_linked(
    client, open_phase, participant, secretariat, versions
):
    comment = submit_comment(participant, versions[0].sections.get(anchor="spectrum-p1"))
    unchanged = versions[2].sections.get(anchor="access-p1")
    client.force_login(secretariat)

    response = client.post(
        url("answer", open_phase.process, tracking_number=comment.tracking_number),
        {"outcome": "incorporated", "reason": "", "changed_sections": [unchanged.pk]},
    )

    assert response.status_code == 302
    disposition = Disposition.objects.get(contribution=comment)
    assert list(disposition.changed_sections.all()) == [unchanged]
