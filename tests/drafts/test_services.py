"""Services: create a draft and publish versions (secretariat only, validated, recorded, notified)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.drafts.selectors import sections_changed_between
from polyvox.drafts.services import (
    MAX_MARKDOWN_CHARS,
    create_draft,
    import_draft_text,
    publish_draft_version,
)
from polyvox.notifications.models import Notification
from polyvox.record.models import RecordEntry

from .conftest import V1


def test_the_secretariat_creates_a_draft(process, secretariat):
    draft = create_draft(
        actor=secretariat, process=process, slug="principles", title=" Principles "
    )

    assert (draft.process, draft.slug, draft.title) == (process, "principles", "Principles")
    assert draft.versions.count() == 0


def test_a_participant_cannot_create_a_draft(process, participant):
    with pytest.raises(PermissionDenied):
        create_draft(actor=participant, process=process, slug="principles", title="Principles")

    assert Draft.objects.count() == 0


def test_a_second_draft_with_the_same_short_name_is_refused(draft, secretariat):
    with pytest.raises(ValidationError) as caught:
        create_draft(actor=secretariat, process=draft.process, slug="principles", title="Again")

    assert "slug" in caught.value.message_dict
    assert Draft.objects.count() == 1


def test_the_reserved_short_name_new_is_refused(process, secretariat):
    with pytest.raises(ValidationError) as caught:
        create_draft(actor=secretariat, process=process, slug="new", title="New")

    assert "slug" in caught.value.message_dict
    assert Draft.objects.count() == 0


def test_publishing_creates_a_version_with_anchored_sections(draft, secretariat):
    version = publish_draft_version(
        actor=secretariat, draft=draft, markdown=V1, note="First draft."
    )

    assert (version.number, version.note, version.published_by) == (1, "First draft.", secretariat)
    assert list(version.sections.values_list("order", "level", "anchor")) == [
        (1, 1, "principles-for-community-networks"),
        (2, 0, "principles-for-community-networks-p1"),
        (3, 2, "1-spectrum"),
        (4, 0, "1-spectrum-p1"),
        (5, 2, "2-licensing"),
        (6, 0, "2-licensing-p1"),
    ]


def test_publishing_appends_a_public_record_entry(draft, secretariat):
    publish_draft_version(actor=secretariat, draft=draft, markdown=V1, note="First draft.")

    entry = RecordEntry.objects.get(process=draft.process, kind="version.published")
    assert {key: entry.payload[key] for key in ("draft", "version", "sections", "note")} == {
        "draft": "principles",
        "version": 1,
        "sections": 6,
        "note": "First draft.",
    }


def test_publishing_notifies_participants_in_the_app_and_by_email(
    draft, secretariat, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = publish_draft_version(actor=secretariat, draft=draft, markdown=V1)

    notification = Notification.objects.get(recipient=member)
    assert notification.subject == "New version of “Draft principles”: version 1"
    assert notification.url == version.get_absolute_url()
    assert not Notification.objects.filter(recipient=secretariat).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject == "New version of “Draft principles”: version 1"
    assert version.get_absolute_url() in mail.outbox[0].body


def test_a_participant_cannot_publish_and_nothing_changes(draft, member):
    with pytest.raises(PermissionDenied):
        publish_draft_version(actor=member, draft=draft, markdown=V1)

    assert DraftVersion.objects.count() == 0
    assert Section.objects.count() == 0
    assert not RecordEntry.objects.filter(kind="version.published").exists()
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("markdown", ["", "   \n\n  ", "---\n"])
def test_empty_markdown_is_refused_and_nothing_changes(draft, secretariat, markdown):
    with pytest.raises(ValidationError) as caught:
        publish_draft_version(actor=secretariat, draft=draft, markdown=markdown)

    assert list(caught.value.message_dict) == ["markdown"]
    assert DraftVersion.objects.count() == 0
    assert Section.objects.count() == 0
    assert not RecordEntry.objects.filter(kind="version.published").exists()


def test_too_long_markdown_is_refused_and_nothing_changes(draft, secretariat):
    with pytest.raises(ValidationError) as caught:
        publish_draft_version(actor=secretariat, draft=draft, markdown="word " * MAX_MARKDOWN_CHARS)

    assert caught.value.message_dict["markdown"] == [
        "The draft text is too long (at most 200000 characters)."
    ]
    assert DraftVersion.objects.count() == 0


def test_a_too_long_heading_is_refused_and_nothing_changes(draft, secretariat):
    with pytest.raises(ValidationError) as caught:
        publish_draft_version(actor=secretariat, draft=draft, markdown="# " + "x" * 301)

    assert "markdown" in caught.value.message_dict
    assert DraftVersion.objects.count() == 0


def test_version_2_carries_anchors_over_and_gets_new_ones_for_new_sections(version1, secretariat):
    v2_text = V1.replace(
        "Licences must be simple and cheap.", "Licences must be simple, free and fast."
    )
    v2_text = v2_text.replace(
        "## 1. Spectrum", "## 0. Access\n\nEveryone deserves access.\n\n## 1. Spectrum"
    )

    version2 = publish_draft_version(actor=secretariat, draft=version1.draft, markdown=v2_text)

    assert version2.number == 2
    assert list(version2.sections.values_list("anchor", flat=True)) == [
        "principles-for-community-networks",
        "principles-for-community-networks-p1",
        "0-access",
        "0-access-p1",
        "1-spectrum",
        "1-spectrum-p1",
        "2-licensing",
        "2-licensing-p1",
    ]
    assert [s.anchor for s in sections_changed_between(version1, version2)] == [
        "0-access",
        "0-access-p1",
        "2-licensing-p1",
    ]


def test_a_removed_anchor_is_not_reused_by_a_later_version(version1, secretariat):
    draft = version1.draft
    publish_draft_version(
        actor=secretariat, draft=draft, markdown="# Principles for community networks"
    )

    version3 = publish_draft_version(
        actor=secretariat,
        draft=draft,
        markdown="# Principles for community networks\n\nBrand new text.",
    )

    assert list(version3.sections.values_list("anchor", flat=True)) == [
        "principles-for-community-networks",
        "principles-for-community-networks-p2",
    ]


def test_importing_a_utf8_file_publishes_it(draft, secretariat):
    version = import_draft_text(
        actor=secretariat, draft=draft, content="\ufeff# مبادئ\n\n中文段落。".encode()
    )

    assert list(version.sections.values_list("level", "heading", "text")) == [
        (1, "مبادئ", ""),
        (0, "", "中文段落。"),
    ]


def test_a_file_that_is_not_utf8_is_refused_and_nothing_changes(draft, secretariat):
    with pytest.raises(ValidationError) as caught:
        import_draft_text(actor=secretariat, draft=draft, content="# Café".encode("latin-1"))

    assert list(caught.value.message_dict) == ["file"]
    assert DraftVersion.objects.count() == 0
