"""Commitment pages per role: the accountability page (counts, filters, badges with text), a
commitment's timeline, the forms (200 with errors), 403 with the reason, 404 for what is not
this process's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polyvox.commitments.models import Commitment, CommitmentUpdate, Contestation
from polyvox.commitments.services.following import contest_update
from tests.commitments.conftest import commit, report
from tests.factories import ProcessFactory, make_recommendation

pytestmark = pytest.mark.django_db


def url(name, process, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(f"commitments:{name}", kwargs={"slug": process.slug, **kwargs})


def at(name, commitment, **kwargs):  # type: ignore[no-untyped-def]
    return url(name, commitment.process, commitment_id=commitment.pk, **kwargs)


def make_overdue(commitment: Commitment) -> None:
    """Its due date passed yesterday (UTC), as time passing would."""
    Commitment.objects.filter(pk=commitment.pk).update(
        due_on=timezone.now().date() - timedelta(days=1)
    )


def test_the_accountability_page_counts_and_lists_with_badges(
    client, participant, process, organisation_commitment
):
    late = commit(participant, process, "Publish the Arabic version")
    make_overdue(late)
    done = commit(participant, process, "Hold the workshop")
    report(participant, done, status="done")

    response = client.get(url("list", process))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Publish the Arabic version" in page
    assert "Connect ten villages" in page
    assert '<span class="tag late">Overdue</span>' in page
    assert "Rhizomatica" in page
    # counts per state
    assert "Overdue</span> 1" in page
    assert "Done</span> 1" in page
    assert "Planned</span> 1" in page


def test_filters_by_state_organisation_and_recommendation(
    client, participant, process, organisation_commitment
):
    recommendation = make_recommendation(process)
    late = commit(
        participant, process, "Publish the Arabic version", recommendations=[recommendation]
    )
    make_overdue(late)

    overdue = client.get(url("list", process), {"state": "overdue"}).content.decode()
    planned = client.get(url("list", process), {"state": "planned"}).content.decode()
    theirs = client.get(url("list", process), {"organisation": "rhizomatica"}).content.decode()
    linked = client.get(url("list", process), {"recommendation": "1"}).content.decode()

    assert "Publish the Arabic version" in overdue
    assert "Connect ten villages" not in overdue
    assert "Publish the Arabic version" not in planned
    assert "Connect ten villages" in planned
    assert "Connect ten villages" in theirs
    assert "Publish the Arabic version" not in theirs
    assert "Publish the Arabic version" in linked
    assert "Connect ten villages" not in linked


def test_a_hostile_filter_is_an_error_on_the_page_not_a_500(client, process, commitment):
    response = client.get(url("list", process), {"state": "<script>", "organisation": "x\x00"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_list_is_paginated(client, participant, process):
    for i in range(27):
        commit(participant, process, f"Commitment {i:02}", due=30 + i)

    first = client.get(url("list", process)).content.decode()
    second = client.get(url("list", process), {"page": 2}).content.decode()

    assert "Commitment 24" in first
    assert "Commitment 25" not in first
    assert "Commitment 25" in second
    assert "Page 2 of 2" in second


def test_a_visitor_reads_a_commitment_but_gets_no_form(client, participant, commitment):
    update = report(participant, commitment, evidence=["https://example.org/proof"])

    page = client.get(at("detail", commitment)).content.decode()

    assert "Translate the guidelines" in page
    assert update.text in page
    assert 'href="https://example.org/proof"' in page
    assert "Post an update" not in page
    assert "Contest this update" not in page
    assert "Log in to contest an update" in page


def test_the_owner_posts_an_update_from_the_page(client, participant, commitment):
    client.force_login(participant)

    form = client.get(at("update", commitment))
    response = client.post(
        at("update", commitment),
        {
            "status": "in_progress",
            "text": "Chapters 1-3 are done.",
            "evidence": "https://example.org/ch1\nhttps://example.org/ch2",
        },
    )

    assert form.status_code == 200
    assert response.status_code == 302
    update = CommitmentUpdate.objects.get()
    assert update.evidence == ["https://example.org/ch1", "https://example.org/ch2"]
    assert Commitment.objects.get().status == "in_progress"


def test_a_bad_update_comes_back_with_its_errors(client, participant, commitment):
    client.force_login(participant)

    bad_link = client.post(
        at("update", commitment),
        {"status": "done", "text": "Done.", "evidence": "javascript:alert(1)"},
    )
    no_reason = client.post(at("update", commitment), {"status": "dropped", "text": "Stopped."})

    assert bad_link.status_code == 200
    assert "is not a web address" in bad_link.content.decode()
    assert no_reason.status_code == 200
    assert "Say why the commitment is dropped." in no_reason.content.decode()
    assert CommitmentUpdate.objects.count() == 0


def test_someone_else_may_not_post_an_update(client, other_participant, commitment):
    client.force_login(other_participant)

    assert client.get(at("update", commitment)).status_code == 403
    response = client.post(at("update", commitment), {"status": "done", "text": "Done."})
    assert response.status_code == 403
    assert CommitmentUpdate.objects.count() == 0


def test_a_participant_contests_and_the_owner_answers_on_the_page(
    client, participant, other_participant, commitment
):
    update = report(participant, commitment, status="done")
    client.force_login(other_participant)
    assert "Contest this update" in client.get(at("detail", commitment)).content.decode()

    contested = client.post(
        at("contest", commitment, update_id=update.pk), {"reason": "Not in Arabic yet."}
    )

    assert contested.status_code == 302
    contestation = Contestation.objects.get()
    client.force_login(participant)
    owner_page = client.get(at("detail", commitment)).content.decode()
    assert "Not in Arabic yet." in owner_page
    assert "Contest this update" not in owner_page
    answered = client.post(
        at("answer", commitment, contestation_id=contestation.pk), {"answer": "It is now."}
    )
    assert answered.status_code == 302
    page = client.get(at("detail", commitment)).content.decode()
    assert "It is now." in page
    assert "Amina answered" in page


def test_a_second_contestation_and_a_second_answer_come_back_as_errors(
    client, participant, other_participant, commitment
):
    update = report(participant, commitment)
    contestation = contest_update(actor=other_participant, update=update, reason="Why?")
    client.force_login(other_participant)

    again = client.post(at("contest", commitment, update_id=update.pk), {"reason": "Again."})

    assert again.status_code == 200
    assert "already contested" in again.content.decode()
    client.force_login(participant)
    client.post(at("answer", commitment, contestation_id=contestation.pk), {"answer": "Because."})
    twice = client.post(
        at("answer", commitment, contestation_id=contestation.pk), {"answer": "Again."}
    )
    assert twice.status_code == 200
    assert "already been answered" in twice.content.decode()
    assert Contestation.objects.get().answer == "Because."


def test_the_owner_may_not_contest_their_own_update(client, participant, commitment):
    update = report(participant, commitment)
    client.force_login(participant)

    response = client.post(at("contest", commitment, update_id=update.pk), {"reason": "Hm."})

    assert response.status_code == 403
    assert "own commitment" in response.content.decode()


def test_making_a_commitment_from_the_page(client, participant, process):
    recommendation = make_recommendation(process)
    client.force_login(participant)

    form = client.get(url("create", process), {"recommendation": "1"})
    response = client.post(
        url("create", process),
        {
            "title": "Translate the guidelines",
            "due_on": (timezone.now().date() + timedelta(days=30)).isoformat(),
            "organisation": "",
            "recommendations": [recommendation.pk],
        },
    )

    assert form.status_code == 200
    assert f'value="{recommendation.pk}"' in form.content.decode()
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert list(commitment.recommendations.all()) == [recommendation]
    assert response["Location"] == commitment.get_absolute_url()


def test_a_past_due_date_comes_back_with_the_error(client, participant, process):
    client.force_login(participant)

    response = client.post(
        url("create", process),
        {"title": "Too late", "due_on": "2001-01-01", "organisation": ""},
    )

    assert response.status_code == 200
    assert "has passed" in response.content.decode()
    assert Commitment.objects.count() == 0


def test_an_organisation_one_does_not_represent_is_refused(
    client, participant, process, organisation
):
    client.force_login(participant)

    response = client.post(
        url("create", process),
        {
            "title": "Speak for them",
            "due_on": (timezone.now().date() + timedelta(days=3)).isoformat(),
            "organisation": organisation.pk,
        },
    )

    assert response.status_code == 403
    assert "not an approved representative of Rhizomatica" in response.content.decode()


def test_a_visitor_is_sent_to_log_in(client, process):
    response = client.get(url("create", process))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_commitment_of_another_process_is_a_404(client, commitment):
    other = ProcessFactory()

    assert client.get(url("detail", other, commitment_id=commitment.pk)).status_code == 404
    assert client.get(url("detail", commitment.process, commitment_id=99999)).status_code == 404


def test_the_overdue_badge_on_the_commitment_page(client, commitment):
    make_overdue(commitment)

    page = client.get(at("detail", commitment)).content.decode()

    assert '<span class="tag late">Overdue</span>' in page


def test_the_last_day_of_the_calendar_is_an_error_not_a_500(client, participant, process):
    client.force_login(participant)

    response = client.post(
        url("create", process), {"title": "Forever", "due_on": "9999-12-31", "organisation": ""}
    )

    assert response.status_code == 200
    assert "within the next 50 years" in response.content.decode()


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    client, participant, representative, organisation, process
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recommendation = make_recommendation(process)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("list", process)).status_code == 200
        return len(captured)

    commit(participant, process, "One", recommendations=[recommendation])
    few = queries()
    for i in range(10):
        mine = commit(
            representative,
            process,
            f"More {i}",
            organisation=organisation,
            recommendations=[recommendation],
        )
        report(representative, mine)

    assert queries() == few
