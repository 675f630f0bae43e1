"""A hidden reply keeps its place in its parent's thread as one line — its number, date and
reason code — and nothing of its text or author; the replies below it stay."""

import pytest
from django.urls import reverse

from polyvox.moderation.models import ActionKind
from polyvox.moderation.services import take_action
from tests.factories import UserFactory, submit_comment, submit_reply

pytestmark = pytest.mark.django_db


def _detail(contribution):
    return reverse(
        "contributions:detail",
        kwargs={"slug": contribution.process.slug, "tracking_number": contribution.tracking_number},
    )


@pytest.fixture
def thread(open_phase, participant, other_participant, moderator, section):
    comment = submit_comment(participant, section, body="The parent comment.")
    author = UserFactory(username="rude-author")
    rude = submit_reply(author, comment, body="HIDDEN-REPLY-SENTINEL insults")
    answer = submit_reply(other_participant, rude, body="A calm answer below it.")
    take_action(
        moderator=moderator,
        contribution=rude,
        action=ActionKind.HIDE,
        reason_code="personal_attack",
        text="An insult.",
    )
    return {"comment": comment, "rude": rude, "answer": answer, "author": author}


def test_the_parent_s_page_shows_a_one_line_tombstone_and_keeps_the_replies_below(client, thread):
    page = client.get(_detail(thread["comment"])).content.decode()

    assert "HIDDEN-REPLY-SENTINEL" not in page
    assert "Rude-Author" not in page
    assert "An insult." not in page
    assert f'href="{_detail(thread["rude"])}"' in page
    assert "a reply hidden on" in page
    assert "reason: Personal attack or harassment" in page
    assert "A calm answer below it." in page


def test_the_draft_page_shows_the_tombstone_in_the_section_s_thread(client, thread, section):
    version = section.version
    address = reverse(
        "drafts:version",
        kwargs={
            "slug": version.draft.process.slug,
            "draft": version.draft.slug,
            "number": version.number,
        },
    )

    page = client.get(address).content.decode()

    assert "The parent comment." in page
    assert "HIDDEN-REPLY-SENTINEL" not in page
    assert "a reply hidden on" in page
    assert "A calm answer below it." in page


def test_after_restore_the_reply_is_back_in_full(client, thread, moderator):
    take_action(
        moderator=moderator,
        contribution=thread["rude"],
        action=ActionKind.RESTORE,
        reason_code="",
        text="Reconsidered.",
    )

    page = client.get(_detail(thread["comment"])).content.decode()

    assert "HIDDEN-REPLY-SENTINEL" in page
    assert "a reply hidden on" not in page
