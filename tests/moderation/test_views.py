"""Moderation pages: tombstones without content, attachments withheld, the public log, the policy,
the flag form (honeypot), the queue for moderators only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from polyvox.contributions.services.submitting import submit_contribution
from polyvox.moderation.models import ActionKind, Flag
from polyvox.moderation.services import take_action
from tests.factories import MINIMAL_PDF, make_version, submit_comment

pytestmark = pytest.mark.django_db


def _url(name, process, **kwargs):
    return reverse(f"moderation:{name}", kwargs={"slug": process.slug, **kwargs})


def _detail(contribution):
    return reverse(
        "contributions:detail",
        kwargs={"slug": contribution.process.slug, "tracking_number": contribution.tracking_number},
    )


def test_a_hidden_input_shows_a_tombstone_with_date_and_reason_and_none_of_its_text(
    client, open_phase, participant, moderator, section
):
    comment = submit_comment(participant, section, body="HIDDEN-SENTINEL text")
    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.HIDE,
        reason_code="personal_data",
        text="Contains a phone number.",
    )

    page = client.get(_detail(comment)).content.decode()

    assert (
        "reason: Someone&#x27;s personal data" in page or "reason: Someone's personal data" in page
    )
    assert "Hidden on" in page
    assert "HIDDEN-SENTINEL" not in page
    assert "phone number" not in page
    assert participant.profile.display_name not in page


def test_moderators_still_see_the_hidden_input(client, open_phase, participant, moderator, section):
    comment = submit_comment(participant, section, body="HIDDEN-SENTINEL text")
    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.HIDE,
        reason_code="spam",
        text="Advert.",
    )
    client.force_login(moderator)

    assert "HIDDEN-SENTINEL" in client.get(_detail(comment)).content.decode()


def test_a_hidden_attachment_is_not_served_to_the_public_and_is_again_after_restore(
    open_phase, participant, moderator, process
):
    version = make_version(process)
    paper = submit_contribution(
        author=participant,
        process=process,
        kind="submission",
        body="Our paper.",
        draft_version=version,
        attachment=SimpleUploadedFile("paper.pdf", MINIMAL_PDF),
    )
    address = reverse(
        "contributions:attachment",
        kwargs={"slug": process.slug, "tracking_number": paper.tracking_number},
    )
    take_action(
        moderator=moderator, contribution=paper, action=ActionKind.HIDE,
        reason_code="copyright", text="Someone else's book.",
    )  # fmt: skip
    hidden_status = Client().get(address).status_code

    take_action(moderator=moderator, contribution=paper, action=ActionKind.RESTORE, text="Ok.")

    assert (hidden_status, Client().get(address).status_code) == (404, 200)


def test_the_public_log_shows_counts_and_codes_never_content_or_names(
    client, open_phase, participant, moderator, section
):
    comment = submit_comment(participant, section, body="HIDDEN-SENTINEL")
    take_action(
        moderator=moderator,
        contribution=comment,
        action=ActionKind.HIDE,
        reason_code="hate",
        text="MODERATOR-NOTE",
    )

    page = client.get(_url("log", comment.process)).content.decode()
    api = client.get(f"/api/v1/processes/{comment.process.slug}/moderation-log").json()

    assert comment.tracking_number in page
    assert "Hate speech or incitement" in page
    for secret in ("HIDDEN-SENTINEL", "MODERATOR-NOTE", "mod-ana", "Amina"):
        assert secret not in page
        assert secret not in str(api)
    assert [(e["action"], e["reason_code"], e["tracking_number"]) for e in api] == [
        ("hide", "hate", comment.tracking_number)
    ]


def test_the_policy_is_public_and_says_disagreement_is_never_a_reason(client, process):
    page = client.get(_url("policy", process)).content.decode()

    assert "Disagreement is never a reason to moderate anything." in page


def test_a_participant_flags_from_the_form_and_a_filled_honeypot_is_refused(
    client, open_phase, participant, flagger, section
):
    comment = submit_comment(participant, section)
    client.force_login(flagger)
    address = _url("flag", comment.process, tracking_number=comment.tracking_number)

    bot = client.post(address, {"reason_code": "spam", "text": "Ad.", "contact_url": "http://x"})
    human = client.post(address, {"reason_code": "spam", "text": "An advert."})

    assert (bot.status_code, human.status_code) == (200, 302)
    assert Flag.objects.count() == 1


def test_the_queue_is_for_moderators_only(client, process, participant, moderator):
    client.force_login(participant)
    refused = client.get(_url("queue", process)).status_code
    client.force_login(moderator)

    assert (refused, client.get(_url("queue", process)).status_code) == (403, 200)


def test_the_input_page_offers_flag_and_the_process_page_links_the_policy(
    client, open_phase, participant, flagger, section
):
    comment = submit_comment(participant, section)
    client.force_login(flagger)

    detail = client.get(_detail(comment)).content.decode()
    process_page = client.get(comment.process.get_absolute_url()).content.decode()

    assert _url("flag", comment.process, tracking_number=comment.tracking_number) in detail
    assert _url("policy", comment.process) in process_page
    assert _url("log", comment.process) in process_page
