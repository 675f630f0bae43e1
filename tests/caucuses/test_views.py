"""Caucus pages: public facts for everyone, content for members only (403 otherwise), forms that
answer 200 with their errors, and facilitators' buttons working without JavaScript."""

import pytest

from polyvox.caucuses.models import CaucusMembership, CaucusThread, WorkingDraftRevision
from polyvox.caucuses.services.content import publish_thread, save_working_draft, start_thread
from tests.caucuses.conftest import close, request_from, status_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MEMBERS_ONLY = "Only members of this caucus can read it; ask to join."


def url(caucus, rest=""):
    return f"/p/{caucus.process.slug}/caucuses/{caucus.slug}/{rest}"


@pytest.fixture
def thread(caucus, member):
    return start_thread(actor=member, caucus=caucus, title="Spectrum", body="Our line on spectrum.")


def test_the_public_list_shows_names_purposes_and_member_counts(client, caucus):
    response = client.get(f"/p/{caucus.process.slug}/caucuses/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Civil society caucus" in page
    assert "Coordinate civil society&#x27;s positions." in page
    assert "2 members" in page
    assert "Start a caucus" not in page


def test_the_list_offers_to_start_a_caucus_to_a_participant(client, caucus, outsider):
    client.force_login(outsider)

    page = client.get(f"/p/{caucus.process.slug}/caucuses/").content.decode()

    assert f'href="/p/{caucus.process.slug}/caucuses/new/"' in page


def test_the_process_page_lists_its_caucuses(client, caucus):
    page = client.get(f"/p/{caucus.process.slug}/").content.decode()

    assert f'href="{caucus.get_absolute_url()}"' in page
    assert f'href="/p/{caucus.process.slug}/caucuses/"' in page


def test_starting_a_caucus_from_the_form_makes_you_its_facilitator(client, process, participant):
    client.force_login(participant)

    response = client.post(
        f"/p/{process.slug}/caucuses/new/",
        {"name": "Technical community", "purpose": "", "stakeholder_group": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/p/{process.slug}/caucuses/technical-community/"
    assert CaucusMembership.objects.get(user=participant).role == "facilitator"


def test_the_start_form_with_errors_answers_200_and_shows_them(client, caucus, outsider):
    client.force_login(outsider)

    response = client.post(
        f"/p/{caucus.process.slug}/caucuses/new/", {"name": "civil society CAUCUS"}
    )

    assert response.status_code == 200
    assert "This process already has a caucus with this name." in response.content.decode()


def test_the_start_form_is_refused_in_a_closed_process(client, process, participant):
    close(process)
    client.force_login(participant)

    response = client.get(f"/p/{process.slug}/caucuses/new/")

    assert response.status_code == 403
    assert "This process is closed." in response.content.decode()


def test_a_visitor_sees_the_public_facts_and_published_threads_but_no_content(
    client, caucus, facilitator, thread
):
    secret = start_thread(actor=facilitator, caucus=caucus, title="Tactics", body="Private.")
    publish_thread(actor=facilitator, thread=thread)

    page = client.get(url(caucus)).content.decode()

    assert "Civil society caucus" in page
    assert "Spectrum" in page  # published
    assert secret.title not in page
    assert "Marta" not in page  # members are not listed
    assert "Log in to ask to join this caucus." in page


def test_a_participant_outside_sees_the_join_form(client, caucus, outsider):
    client.force_login(outsider)

    page = client.get(url(caucus)).content.decode()

    assert 'action="' + url(caucus, "join/") + '"' in page
    assert "Threads" not in page


def test_asking_to_join_from_the_page_sends_a_request(client, caucus, outsider):
    client.force_login(outsider)

    response = client.post(url(caucus, "join/"), {"message": "Hello"}, follow=True)

    assert status_of(caucus, outsider) == ["requested"]
    assert "the facilitators will decide" in response.content.decode()


def test_asking_twice_from_the_page_answers_200_with_the_error(client, caucus, outsider):
    request_from(caucus, outsider)
    client.force_login(outsider)

    response = client.post(url(caucus, "join/"), {"message": ""})

    assert response.status_code == 200
    assert "You have already asked to join" in response.content.decode()


def test_the_page_of_a_group_caucus_tells_others_whom_it_is_for(client, caucus, outsider):
    caucus.stakeholder_group = "government"
    caucus.save()
    client.force_login(outsider)

    page = client.get(url(caucus)).content.decode()

    assert "This caucus is for Government." in page
    assert 'action="' + url(caucus, "join/") + '"' not in page


def test_a_member_sees_threads_working_draft_and_members(client, caucus, member, thread):
    save_working_draft(actor=member, caucus=caucus, title="Our position", body="Text.")
    client.force_login(member)

    page = client.get(url(caucus)).content.decode()

    assert "Spectrum" in page
    assert "Our position" in page
    assert "Fatou" in page
    assert "Marta" in page
    assert "Requests to join" not in page  # facilitators only


def test_a_facilitator_sees_pending_requests_with_their_messages(
    client, caucus, facilitator, outsider
):
    request_from(caucus, outsider, message="Please let me in.")
    client.force_login(facilitator)

    page = client.get(url(caucus)).content.decode()

    assert "Please let me in." in page
    assert "Approve Omar" in page


@pytest.mark.parametrize("who", ["anonymous", "outsider", "requester"])
@pytest.mark.parametrize("rest", ["threads/{thread}/", "draft/", "members/", "threads/new/"])
def test_non_members_asking_for_caucus_content_get_403_and_never_the_content(
    client, caucus, thread, outsider, who, rest
):
    save_working_draft(actor=thread.author, caucus=caucus, title="Draft T", body="Draft body.")
    if who == "requester":
        request_from(caucus, outsider)
    if who != "anonymous":
        client.force_login(outsider)

    response = client.get(url(caucus, rest.format(thread=thread.pk)))

    page = response.content.decode()
    if who == "anonymous" and rest != "threads/{thread}/":
        assert response.status_code == 302  # login first
    else:
        assert response.status_code == 403
        assert MEMBERS_ONLY in page
    assert "Our line on spectrum." not in page
    assert "Draft body." not in page


def test_a_requester_cannot_post_in_a_thread(client, caucus, thread, outsider):
    request_from(caucus, outsider)
    client.force_login(outsider)

    response = client.post(url(caucus, f"threads/{thread.pk}/"), {"body": "Let me in!"})

    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_a_published_thread_is_public_and_closed_to_replies(
    client, caucus, facilitator, member, thread
):
    publish_thread(actor=facilitator, thread=thread)

    public = client.get(url(caucus, f"threads/{thread.pk}/")).content.decode()
    client.force_login(member)
    response = client.post(url(caucus, f"threads/{thread.pk}/"), {"body": "One more."})

    assert "Our line on spectrum." in public
    assert response.status_code == 200
    assert "This thread was published and is closed." in response.content.decode()
    assert thread.posts.count() == 1


def test_a_member_starts_a_thread_and_replies(client, caucus, member):
    client.force_login(member)

    created = client.post(url(caucus, "threads/new/"), {"title": "Access", "body": "First."})
    thread = CaucusThread.objects.get(title="Access")
    replied = client.post(url(caucus, f"threads/{thread.pk}/"), {"body": "Second."})

    assert created.status_code == 302
    assert replied.status_code == 302
    assert list(thread.posts.values_list("body", flat=True)) == ["First.", "Second."]


def test_an_empty_reply_answers_200_with_the_error(client, caucus, member, thread):
    client.force_login(member)

    response = client.post(url(caucus, f"threads/{thread.pk}/"), {"body": "   "})

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert thread.posts.count() == 1


def test_a_facilitator_publishes_from_the_thread_page(client, caucus, facilitator, thread):
    client.force_login(facilitator)

    response = client.post(url(caucus, f"threads/{thread.pk}/publish/"), follow=True)

    thread.refresh_from_db()
    assert thread.published_at is not None
    assert "The thread is published" in response.content.decode()


def test_a_plain_member_gets_no_publish_button_and_a_refusal(client, caucus, member, thread):
    client.force_login(member)

    page = client.get(url(caucus, f"threads/{thread.pk}/")).content.decode()
    response = client.post(url(caucus, f"threads/{thread.pk}/publish/"))

    assert "Publish this thread" not in page
    assert response.status_code == 403
    assert "Only the caucus&#x27;s facilitators can publish its content." in (
        response.content.decode()
    )
    thread.refresh_from_db()
    assert thread.published_at is None


def test_saving_the_working_draft_from_the_form_adds_a_revision(client, caucus, member):
    client.force_login(member)

    response = client.post(
        url(caucus, "draft/edit/"), {"title": "Position", "body": "We ask…", "based_on": 0}
    )

    assert response.status_code == 302
    assert list(WorkingDraftRevision.objects.values_list("number", "title")) == [(1, "Position")]


def test_a_stale_edit_answers_200_with_the_newer_revision_to_merge(
    client, caucus, member, facilitator
):
    save_working_draft(actor=facilitator, caucus=caucus, title="Position", body="Version one.")
    save_working_draft(actor=facilitator, caucus=caucus, title="Position", body="Version two.")
    client.force_login(member)

    response = client.post(
        url(caucus, "draft/edit/"), {"title": "Position", "body": "Mine.", "based_on": 1}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone saved a newer revision (2); reload and merge your changes." in page
    assert "Version two." in page
    assert 'name="based_on" value="2"' in page
    assert WorkingDraftRevision.objects.count() == 2


def test_the_working_draft_page_shows_an_earlier_revision_and_the_history(client, caucus, member):
    save_working_draft(actor=member, caucus=caucus, title="T", body="Old text.", note="start")
    save_working_draft(actor=member, caucus=caucus, title="T", body="New text.")
    client.force_login(member)

    latest = client.get(url(caucus, "draft/")).content.decode()
    earlier = client.get(url(caucus, "draft/?revision=1")).content.decode()

    assert "New text." in latest
    assert "Revision 1" in latest
    assert "start" in latest
    assert "Old text." in earlier


def test_a_facilitator_approves_a_request_with_a_button(client, caucus, facilitator, outsider):
    pending = request_from(caucus, outsider)
    client.force_login(facilitator)

    response = client.post(url(caucus, f"members/{pending.pk}/decide/"), {"decision": "approve"})

    assert response.status_code == 302
    assert status_of(caucus, outsider) == ["approved"]


def test_a_member_cannot_decide_requests_through_the_page(client, caucus, member, outsider):
    pending = request_from(caucus, outsider)
    client.force_login(member)

    response = client.post(url(caucus, f"members/{pending.pk}/decide/"), {"decision": "approve"})

    assert response.status_code == 403
    assert status_of(caucus, outsider) == ["requested"]


def test_a_facilitator_appoints_and_removes_from_the_members_page(
    client, caucus, facilitator, member
):
    third = UserFactory(username="tariq")
    CaucusMembership.objects.create(caucus=caucus, user=third, status="approved")
    client.force_login(facilitator)
    marta = CaucusMembership.objects.get(caucus=caucus, user=member)
    tariq = CaucusMembership.objects.get(caucus=caucus, user=third)

    page = client.get(url(caucus, "members/")).content.decode()
    client.post(url(caucus, f"members/{marta.pk}/appoint/"), {"back": "members"})
    removed = client.post(url(caucus, f"members/{tariq.pk}/remove/"), {"back": "members"})

    assert "Make Tariq a facilitator" in page
    assert removed["Location"] == url(caucus, "members/")
    marta.refresh_from_db()
    assert marta.role == "facilitator"
    assert status_of(caucus, third) == ["removed"]


def test_the_last_facilitator_leaving_is_refused_with_a_message(client, caucus, facilitator):
    client.force_login(facilitator)

    response = client.post(url(caucus, "leave/"), follow=True)

    assert "appoint another facilitator before you leave" in response.content.decode()
    assert status_of(caucus, facilitator) == ["approved"]


def test_an_unknown_caucus_or_thread_is_404(client, caucus):
    assert client.get(f"/p/{caucus.process.slug}/caucuses/nope/").status_code == 404
    assert client.get(url(caucus, "threads/999999/")).status_code == 404


def test_the_caucus_page_of_a_closed_process_offers_no_forms(client, caucus, member):
    close(caucus.process)
    client.force_login(member)

    page = client.get(url(caucus)).content.decode()

    assert "Start a thread" not in page
    assert "Leave the caucus" not in page
