"""Threads, posts, the working draft and publishing: members write, facilitators publish."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.caucuses import selectors
from polyvox.caucuses.models import CaucusPost, CaucusThread, WorkingDraftRevision
from polyvox.caucuses.services.content import (
    post_in_thread,
    publish_thread,
    save_working_draft,
    start_thread,
)
from polyvox.record.models import RecordEntry
from tests.caucuses.conftest import close, inbox, request_from
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MEMBERS_ONLY = "Only members of this caucus can read it; ask to join."


@pytest.fixture
def thread(caucus, member):
    return start_thread(actor=member, caucus=caucus, title="Spectrum", body="Our line.")


# Threads and posts -------------------------------------------------------------------------------


def test_a_member_starts_a_thread_with_its_first_post(caucus, member):
    thread = start_thread(actor=member, caucus=caucus, title=" Spectrum ", body="Our line.")

    assert (thread.title, thread.author) == ("Spectrum", member)
    assert list(thread.posts.values_list("author__username", "body")) == [("marta", "Our line.")]


def test_a_new_post_tells_the_other_members_and_no_one_else(
    caucus, facilitator, member, outsider, thread, django_capture_on_commit_callbacks
):
    request_from(caucus, outsider)

    with django_capture_on_commit_callbacks(execute=True):
        post_in_thread(actor=facilitator, thread=thread, body="Agreed, with one change.")

    url = f"/p/{caucus.process.slug}/caucuses/{caucus.slug}/threads/{thread.pk}/"
    assert inbox(member) == [
        "Civil society caucus: Spectrum\nFatou wrote:\n\nAgreed, with one change.",
        f"Civil society caucus: Spectrum\nFatou wrote:\n\nAgreed, with one change.\n\n"
        f"{settings.SITE_URL}{url}",
    ]
    assert inbox(outsider) == []
    assert not any("Agreed" in text for text in inbox(facilitator))  # not told of their own post


@pytest.mark.parametrize("standing", ["outsider", "requester", "refused", "left"])
def test_joining_without_approval_gives_no_way_to_post_or_read(caucus, outsider, thread, standing):
    if standing != "outsider":
        request_from(caucus, outsider)
        if standing != "requester":
            caucus.memberships.filter(user=outsider).update(status=standing)

    with pytest.raises(
        PermissionDenied, match=re.escape("Only members of this caucus can take part in it.")
    ):
        post_in_thread(actor=outsider, thread=thread, body="Let me in.")
    with pytest.raises(
        PermissionDenied, match=re.escape("Only members of this caucus can take part in it.")
    ):
        start_thread(actor=outsider, caucus=caucus, title="Mine", body="Text.")
    with pytest.raises(PermissionDenied, match=MEMBERS_ONLY):
        selectors.posts_for(viewer=outsider, thread=thread)
    with pytest.raises(PermissionDenied, match=MEMBERS_ONLY):
        selectors.threads_for(viewer=outsider, caucus=caucus)

    assert CaucusPost.objects.count() == 1
    assert CaucusThread.objects.count() == 1


@pytest.mark.parametrize(
    ("title", "body", "errors"),
    [
        ("", "Text.", {"title": ["Give the thread a title."]}),
        ("Title", "  \n ", {"body": ["Write something before sending."]}),
    ],
)
def test_a_thread_needs_a_title_and_a_text(caucus, member, title, body, errors):
    with pytest.raises(ValidationError) as error:
        start_thread(actor=member, caucus=caucus, title=title, body=body)

    assert error.value.message_dict == errors
    assert not CaucusThread.objects.exists()


def test_a_published_thread_is_closed_to_new_posts(caucus, facilitator, member, thread):
    publish_thread(actor=facilitator, thread=thread)

    with pytest.raises(ValidationError) as error:
        post_in_thread(actor=member, thread=thread, body="Late thought.")

    assert error.value.messages == ["This thread was published and is closed."]
    assert thread.posts.count() == 1


def test_nothing_is_written_in_a_closed_process(caucus, process, member, thread):
    close(process)

    for call in (
        lambda: start_thread(actor=member, caucus=caucus, title="T", body="B"),
        lambda: post_in_thread(actor=member, thread=thread, body="B"),
        lambda: save_working_draft(actor=member, caucus=caucus, title="T", body="B"),
    ):
        with pytest.raises(PermissionDenied, match=re.escape("This process is closed.")):
            call()

    assert CaucusPost.objects.count() == 1
    assert not WorkingDraftRevision.objects.exists()


def test_members_still_read_everything_after_the_process_closes(caucus, process, member, thread):
    close(process)

    assert [p.body for p in selectors.posts_for(viewer=member, thread=thread)] == ["Our line."]


# The working draft -------------------------------------------------------------------------------


def test_each_save_of_the_working_draft_is_a_new_numbered_revision(caucus, member, facilitator):
    save_working_draft(actor=member, caucus=caucus, title="Position", body="One.", based_on=0)
    save_working_draft(
        actor=facilitator, caucus=caucus, title="Position", body="Two.", note="tighter", based_on=1
    )

    draft = selectors.working_draft(viewer=member, caucus=caucus)
    assert draft.latest is not None
    assert (draft.latest.number, draft.latest.body, draft.latest.note) == (2, "Two.", "tighter")
    assert [(r.number, r.author) for r in draft.history] == [(2, facilitator), (1, member)]


def test_a_save_based_on_an_older_revision_is_refused_and_nothing_is_overwritten(
    caucus, member, facilitator
):
    save_working_draft(actor=member, caucus=caucus, title="Position", body="One.", based_on=0)
    save_working_draft(actor=facilitator, caucus=caucus, title="Position", body="Two.", based_on=1)

    with pytest.raises(ValidationError) as error:
        save_working_draft(actor=member, caucus=caucus, title="Position", body="Mine.", based_on=1)

    assert error.value.message_dict == {
        "body": ["Someone saved a newer revision (2); reload and merge your changes."]
    }
    assert list(WorkingDraftRevision.objects.order_by("number").values_list("body", flat=True)) == [
        "One.",
        "Two.",
    ]


def test_a_first_save_based_on_a_revision_that_someone_else_just_wrote_is_refused(caucus, member):
    save_working_draft(actor=member, caucus=caucus, title="Position", body="One.")

    with pytest.raises(ValidationError, match=r"Someone saved a newer revision \(1\)"):
        save_working_draft(actor=member, caucus=caucus, title="Position", body="Two.", based_on=0)


@pytest.mark.parametrize(
    ("title", "body", "errors"),
    [
        ("", "Text.", {"title": ["Give the working draft a title."]}),
        ("Title", "", {"body": ["Write the text of the working draft."]}),
    ],
)
def test_a_working_draft_needs_a_title_and_a_text(caucus, member, title, body, errors):
    with pytest.raises(ValidationError) as error:
        save_working_draft(actor=member, caucus=caucus, title=title, body=body)

    assert error.value.message_dict == errors


def test_only_members_save_or_read_the_working_draft(caucus, member, outsider):
    save_working_draft(actor=member, caucus=caucus, title="Position", body="One.")

    with pytest.raises(PermissionDenied):
        save_working_draft(actor=outsider, caucus=caucus, title="Mine", body="Hijack.")
    with pytest.raises(PermissionDenied, match=MEMBERS_ONLY):
        selectors.working_draft(viewer=outsider, caucus=caucus)

    assert WorkingDraftRevision.objects.count() == 1


# Publishing --------------------------------------------------------------------------------------


def test_a_facilitator_publishes_a_thread_with_its_posts_on_the_record(
    caucus, facilitator, member, thread
):
    post_in_thread(actor=facilitator, thread=thread, body="Agreed.")

    publish_thread(actor=facilitator, thread=thread)

    thread.refresh_from_db()
    assert thread.published_by == facilitator
    assert thread.published_at is not None
    entry = RecordEntry.objects.get(kind="caucus_thread_published")
    assert {k: v for k, v in entry.payload.items() if k != "posts"} == {
        "caucus": "civil-society-caucus",
        "caucus_name": "Civil society caucus",
        "thread_id": thread.pk,
        "title": "Spectrum",
    }
    posts = list(CaucusPost.objects.filter(thread=thread).order_by("created_at", "pk"))
    assert [(p["post_id"], p["text"]) for p in entry.payload["posts"]] == [
        (posts[0].pk, "Our line."),
        (posts[1].pk, "Agreed."),
    ]
    assert "Marta" not in str(entry.payload)
    assert "Fatou" not in str(entry.payload)


def test_publishing_caucus_content_without_a_facilitator_is_refused_and_changes_nothing(
    caucus, member, thread
):
    with pytest.raises(PermissionDenied) as error:
        publish_thread(actor=member, thread=thread)

    assert str(error.value) == "Only the caucus's facilitators can publish its content."
    thread.refresh_from_db()
    assert thread.published_at is None
    assert not RecordEntry.objects.filter(kind="caucus_thread_published").exists()
    assert list(selectors.published_threads(caucus)) == []


def test_the_secretariat_is_no_facilitator_of_a_caucus(caucus, secretariat, thread):
    with pytest.raises(PermissionDenied):
        publish_thread(actor=secretariat, thread=thread)


def test_a_thread_is_published_once(caucus, facilitator, thread):
    publish_thread(actor=facilitator, thread=thread)

    with pytest.raises(ValidationError, match=re.escape("This thread has already been published.")):
        publish_thread(actor=facilitator, thread=thread)

    assert RecordEntry.objects.filter(kind="caucus_thread_published").count() == 1


def test_a_published_thread_is_read_by_anyone_and_an_unpublished_one_by_members_only(
    caucus, facilitator, thread
):
    stranger = UserFactory()
    private = start_thread(actor=facilitator, caucus=caucus, title="Inside", body="Private.")
    publish_thread(actor=facilitator, thread=thread)

    shown = selectors.thread_in(viewer=stranger, caucus=caucus, thread_id=thread.pk)

    assert [p.body for p in selectors.posts_for(viewer=None, thread=shown)] == ["Our line."]
    assert [t.title for t in selectors.published_threads(caucus)] == ["Spectrum"]
    with pytest.raises(PermissionDenied, match=MEMBERS_ONLY):
        selectors.thread_in(viewer=stranger, caucus=caucus, thread_id=private.pk)


# Reading ------------------------------------------------------------------------------------------


def test_the_public_list_counts_approved_members_in_the_database(caucus, outsider):
    request_from(caucus, outsider)

    listed = selectors.caucuses_of(caucus.process)

    assert [(c.name, c.member_count) for c in listed] == [("Civil society caucus", 2)]


def test_members_and_requests_are_for_members_and_facilitators(
    caucus, facilitator, member, outsider
):
    request_from(caucus, outsider, message="Hello")

    assert [m.user for m in selectors.members_for(viewer=member, caucus=caucus)] == [
        facilitator,
        member,
    ]
    assert [m.message for m in selectors.requests_for(viewer=facilitator, caucus=caucus)] == [
        "Hello"
    ]
    with pytest.raises(PermissionDenied):
        selectors.requests_for(viewer=member, caucus=caucus)
    with pytest.raises(PermissionDenied, match=MEMBERS_ONLY):
        selectors.members_for(viewer=outsider, caucus=caucus)


def test_the_viewers_standing_is_their_latest_row(caucus, outsider, member):
    assert selectors.viewer_standing(viewer=None, caucus=caucus) is None
    assert selectors.viewer_standing(viewer=outsider, caucus=caucus) is None
    request_from(caucus, outsider)

    standing = selectors.viewer_standing(viewer=outsider, caucus=caucus)

    assert standing is not None
    assert standing.status == "requested"
    assert selectors.viewer_standing(viewer=member, caucus=caucus).status == "approved"
