"""Closing a process: unanswered inputs need a published reason, the record proves the final texts,
and a closed process takes no more inputs."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.contributions.selectors.closing import input_counts, unanswered_inputs
from polyvox.contributions.services.closing import close_process
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.processes.models import Membership, Process, Role
from polyvox.processes.permissions import participation_window
from polyvox.processes.phase_types import Action, PhaseKind
from polyvox.record.models import RecordEntry
from tests.factories import (
    PhaseFactory,
    UserFactory,
    contribution_url,
    make_version,
    submit_comment,
    submit_reply,
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def version(process, open_phase):
    return make_version(process, anchors=("scope", "access"))


@pytest.fixture
def inputs(version, participant, other_participant, secretariat):
    """Two comments (one answered), a reply and a hidden comment: one input is unanswered."""
    scope = version.sections.get(anchor="scope")
    answered = submit_comment(participant, scope, "Answer me.")
    record_disposition(actor=secretariat, contribution=answered, outcome="noted", reason="Thanks.")
    waiting = submit_comment(other_participant, scope, "Still waiting.")
    submit_reply(participant, waiting, "I agree.")
    hidden = submit_comment(participant, scope, "Spam.")
    hide_contribution(
        actor=secretariat, contribution=hidden, reason_code="off_topic", reason="Off topic."
    )
    return {"answered": answered, "waiting": waiting}


def closing_entries(process: Process) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(process=process, kind="process.closed"))


def test_inputs_are_counted_without_replies_or_hidden_ones(process, inputs, secretariat):
    page = unanswered_inputs(viewer=secretariat, process=process)

    assert (page.counts.answered, page.counts.unanswered) == (1, 1)
    assert [c.tracking_number for c in page.inputs] == [inputs["waiting"].tracking_number]


def test_the_unanswered_list_is_one_page_at_a_time(process, version, participant, secretariat):
    scope = version.sections.get(anchor="scope")
    made = [submit_comment(participant, scope, f"Point {n}.") for n in range(5)]

    second = unanswered_inputs(viewer=secretariat, process=process, page=2, page_size=2)

    assert second.pages == 3
    assert [c.pk for c in second.inputs] == [made[2].pk, made[3].pk]
    assert second.counts.unanswered == 5


def test_closing_is_refused_while_inputs_are_unanswered_and_no_reason_is_given(
    process, inputs, secretariat
):
    with pytest.raises(ValidationError) as error:
        close_process(actor=secretariat, process=process)

    assert "1 input is still unanswered" in error.value.message_dict["note"][0]
    process.refresh_from_db()
    assert process.closed_at is None
    assert closing_entries(process) == []


def test_closing_with_a_reason_is_accepted_and_published(process, inputs, secretariat):
    close_process(actor=secretariat, process=process, note="The mandate ends today.")

    process.refresh_from_db()
    assert process.closed_at is not None
    assert process.closed_by == secretariat
    assert process.closing_note == "The mandate ends today."
    [entry] = closing_entries(process)
    assert entry.payload["note"] == "The mandate ends today."
    assert entry.payload["inputs"] == {"answered": 1, "unanswered": 1}


def test_closing_with_every_input_answered_needs_no_reason(process, inputs, secretariat):
    record_disposition(
        actor=secretariat, contribution=inputs["waiting"], outcome="noted", reason="Noted."
    )

    close_process(actor=secretariat, process=process)

    assert closing_entries(process)[0].payload["inputs"] == {"answered": 2, "unanswered": 0}


def test_the_closing_entry_carries_the_hashes_of_the_final_texts(process, version, secretariat):
    version.source_markdown = "# Scope\n\nText of scope.\n"
    version.save()
    v2 = make_version(process, number=2, anchors=("scope", "access", "rights"))
    v2.source_markdown = "Version 2 of the principles.\n"
    v2.save()

    close_process(actor=secretariat, process=process)

    [final] = closing_entries(process)[0].payload["final_texts"]
    assert final["draft"] == "principles"
    assert final["version"] == 2
    assert final["sha256"] == sha256("Version 2 of the principles.\n")
    assert final["sections"] == [
        {"anchor": "scope", "sha256": sha256("Text of scope in v2.")},
        {"anchor": "access", "sha256": sha256("Text of access in v2.")},
        {"anchor": "rights", "sha256": sha256("Text of rights in v2.")},
    ]
    base = f"/p/{process.slug}/drafts/principles/v2/feedback"
    assert final["feedback_report"] == {
        "html": f"{base}/",
        "csv": f"{base}.csv",
        "json": f"{base}.json",
    }


def test_an_unpublished_version_is_not_a_final_text(process, version, secretariat):
    pending = make_version(process, number=2)
    pending.published_at = None
    pending.save()

    close_process(actor=secretariat, process=process)

    [final] = closing_entries(process)[0].payload["final_texts"]
    assert final["version"] == 1


def test_closing_twice_is_refused_clearly(process, secretariat):
    close_process(actor=secretariat, process=process)

    with pytest.raises(ValidationError, match="closed already"):
        close_process(actor=secretariat, process=process, note="Again.")

    assert len(closing_entries(process)) == 1


def test_a_closed_process_refuses_a_new_comment(process, version, participant, secretariat):
    close_process(actor=secretariat, process=process)

    with pytest.raises(PermissionDenied, match=r"This process is closed\."):
        submit_comment(participant, version.sections.get(anchor="scope"), "Too late.")

    assert Contribution.objects.count() == 0


def test_the_chair_may_close_the_process(process):
    chair = UserFactory(username="chair")
    Membership.objects.create(process=process, user=chair, role=Role.CHAIR)

    close_process(actor=chair, process=process)

    assert len(closing_entries(process)) == 1


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.RAPPORTEUR, Role.OBSERVER, None])
def test_others_may_not_close_the_process(process, role):
    someone = UserFactory(username="someone")
    if role is not None:
        Membership.objects.create(process=process, user=someone, role=role)

    with pytest.raises(PermissionDenied):
        close_process(actor=someone, process=process)

    process.refresh_from_db()
    assert process.closed_at is None


# The pages ----------------------------------------------------------------------------------------


def close_url(process: Process) -> str:
    return contribution_url("close", process)


def test_the_closing_page_lists_what_is_unanswered_with_links_to_answer(
    client, process, inputs, secretariat
):
    client.force_login(secretariat)

    page = client.get(close_url(process)).content.decode()

    waiting = inputs["waiting"]
    assert "1 inputs answered, 1 still unanswered." in page
    answer = contribution_url("answer", process, tracking_number=waiting.tracking_number)
    assert f'href="{answer}"' in page
    assert inputs["answered"].tracking_number not in page


def test_posting_without_a_reason_shows_the_refusal_on_the_form(
    client, process, inputs, secretariat
):
    client.force_login(secretariat)

    response = client.post(close_url(process), {"note": ""})

    assert response.status_code == 200
    assert "1 input is still unanswered" in response.content.decode()
    process.refresh_from_db()
    assert process.closed_at is None


def test_posting_a_reason_closes_and_the_process_page_shows_it(
    client, process, inputs, version, secretariat
):
    client.force_login(secretariat)

    response = client.post(close_url(process), {"note": "The mandate ends today."})

    assert response.status_code == 302
    page = client.get(reverse("processes:detail", kwargs={"slug": process.slug})).content.decode()
    assert "Closed on" in page
    assert "The mandate ends today." in page
    report = contribution_url("feedback_report", process, draft="principles", number=1)
    assert f'href="{report}"' in page


def test_a_participant_gets_403_on_the_closing_page(client, process, participant):
    client.force_login(participant)

    assert client.get(close_url(process)).status_code == 403
    assert client.post(close_url(process), {"note": "x"}).status_code == 403
    process.refresh_from_db()
    assert process.closed_at is None


def test_the_process_page_offers_closing_to_the_secretariat_only(client, process, secretariat):
    detail = reverse("processes:detail", kwargs={"slug": process.slug})

    assert close_url(process) not in client.get(detail).content.decode()
    client.force_login(secretariat)
    assert close_url(process) in client.get(detail).content.decode()


def test_counts_are_read_in_one_query(process, inputs, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert input_counts(process).unanswered == 1


def test_a_closed_process_refuses_votes_and_statements(process, participant, secretariat):
    PhaseFactory(process=process, kind=PhaseKind.DELIBERATION)
    now = timezone.now()
    assert participation_window(participant, process, Action.VOTE, now).allowed

    close_process(actor=secretariat, process=process)

    for action in (Action.VOTE, Action.PROPOSE_STATEMENT, Action.SUBMISSION):
        window = participation_window(participant, process, action, now)
        assert (window.allowed, window.reason) == (False, "This process is closed.")
