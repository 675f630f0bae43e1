"""Editing through the pages: the revision history is shown; nobody else may edit."""

from polyvox.contributions.models import Contribution
from tests.factories import contribution_url as url
from tests.factories import submit_comment


def test_editing_shows_the_revision_history_on_the_detail_page(
    client, open_phase, participant, section
):
    contribution = submit_comment(participant, section, body="First text.")
    client.force_login(participant)

    response = client.post(
        url("edit", open_phase.process, tracking_number=contribution.tracking_number),
        {"body": "Second text.", "title": ""},
        follow=True,
    )

    content = response.content.decode()
    assert ("Revision history" in content, "First text." in content, "Second text." in content) == (
        True,
        True,
        True,
    )


def test_someone_else_cannot_edit_through_the_page(
    client, open_phase, participant, other_participant, section
):
    contribution = submit_comment(participant, section, body="First text.")
    client.force_login(other_participant)

    response = client.post(
        url("edit", open_phase.process, tracking_number=contribution.tracking_number),
        {"body": "Mine now."},
    )

    assert response.status_code == 403
    assert Contribution.objects.get().body == "First text."
