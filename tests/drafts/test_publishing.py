"""Publishing with preview: a version is saved unpublished, previewed with its diff, then published
now or at a scheduled time; the record entry proves the published text by its SHA-256 digests."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from polyvox.contributions.models import Contribution
from polyvox.drafts.models import DraftVersion
from polyvox.drafts.services import (
    publish_version,
    save_version,
    schedule_version,
)
from polyvox.drafts.tasks import publish_scheduled_version_task
from polyvox.notifications.models import Notification
from polyvox.processes.models import Membership, Role
from polyvox.record.models import RecordEntry
from tests.factories import UserFactory, submit_comment

from .conftest import V1

pytestmark = pytest.mark.django_db

V2 = V1.replace("Licences must be simple and cheap.", "Licences must be simple and free.")


def url(name, process, **kwargs):
    return reverse(f"drafts:{name}", kwargs={"slug": process.slug, "draft": "principles", **kwargs})


@pytest.fixture
def pending(version1, secretariat):
    """Version 2 of the draft, saved but not published."""
    return save_version(actor=secretariat, draft=version1.draft, markdown=V2, note="Free licences.")


def published_entries(process):
    return list(RecordEntry.objects.filter(process=process, kind="version.published"))


# Saving unpublished ------------------------------------------------------------------------------


def test_a_saved_version_is_numbered_next_and_not_published(pending, version1):
    assert (pending.number, pending.published_at, pending.scheduled_for) == (2, None, None)
    assert pending.sections.get(order=6).text == "Licences must be simple and free."
    # Anchors carry over from the published version 1.
    assert list(pending.sections.values_list("anchor", flat=True)) == list(
        version1.sections.values_list("anchor", flat=True)
    )


def test_saving_neither_records_nor_notifies(process, pending, member):
    assert [entry.payload["version"] for entry in published_entries(process)] == [1]
    assert Notification.objects.count() == 0


def test_saving_again_replaces_the_pending_text_and_keeps_one_pending_version(pending, secretariat):
    again = save_version(
        actor=secretariat, draft=pending.draft, markdown=V2 + "\nA new paragraph.", note="Again."
    )

    assert again.pk == pending.pk
    assert DraftVersion.objects.filter(draft=pending.draft, published_at__isnull=True).count() == 1
    assert (again.number, again.note, again.sections.count()) == (2, "Again.", 7)


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_a_pending_version_is_404_for_the_public(client, process, pending, participant, who):
    if who == "participant":
        client.force_login(participant)

    assert client.get(url("version", process, number=2)).status_code == 404
    assert client.get(url("preview", process)).status_code in (302, 404)
    if who == "participant":
        assert client.get(url("preview", process)).status_code == 404
    assert client.get(url("diff", process, a=1, b=2)).status_code == 404
    html = client.get(process.get_absolute_url()).content.decode()
    assert "Version 2" not in html
    assert client.get(url("detail", process))["Location"] == url("version", process, number=1)


def test_the_api_shows_only_published_versions(client, process, pending, secretariat):
    client.force_login(secretariat)  # even for those who may publish: the API is public data

    listed = client.get(f"/api/v1/processes/{process.slug}/drafts").json()
    read = client.get(f"/api/v1/processes/{process.slug}/drafts/principles/versions/2")

    assert [v["number"] for v in listed[0]["versions"]] == [1]
    assert read.status_code == 404


def test_nobody_can_comment_on_a_pending_version(process, open_phase, pending, participant):
    section = pending.sections.get(order=6)

    with pytest.raises(ValidationError) as caught:
        submit_comment(participant, section)

    assert list(caught.value.message_dict) == ["draft_version"]
    assert Contribution.objects.count() == 0


# The preview -------------------------------------------------------------------------------------


def test_new_version_saves_and_leads_to_the_preview_with_the_diff(
    client, process, version1, secretariat
):
    client.force_login(secretariat)

    response = client.post(url("publish", process), {"markdown": V2, "note": "Free licences."})
    preview = client.get(response["Location"])

    assert response["Location"] == url("preview", process)
    html = preview.content.decode()
    assert "Changes from the published version 1" in html
    assert "<del>cheap.</del><ins>free.</ins>" in html
    assert "1 section changed" in html
    assert "Licences must be simple and free." in html  # the text as it will read
    for button in ("Publish now", "Schedule"):
        assert f">{button}</button>" in html
    assert f'href="{url("publish", process)}"' in html  # Edit
    assert DraftVersion.objects.get(number=2).published_at is None


def test_saving_twice_from_the_form_keeps_one_pending_version(
    client, process, version1, secretariat
):
    client.force_login(secretariat)

    client.post(url("publish", process), {"markdown": V2, "note": "First try."})
    client.post(url("publish", process), {"markdown": V2 + "\nMore.", "note": "Second try."})

    pending = DraftVersion.objects.get(draft=version1.draft, published_at__isnull=True)
    assert (pending.number, pending.note, pending.sections.count()) == (2, "Second try.", 7)


def test_the_edit_form_starts_with_the_pending_text(client, process, pending, secretariat):
    client.force_login(secretariat)

    html = client.get(url("publish", process)).content.decode()

    assert "Licences must be simple and free." in html
    assert "Free licences." in html


def test_the_version_page_tells_the_secretariat_a_version_is_waiting(
    client, process, pending, secretariat
):
    client.force_login(secretariat)

    html = client.get(url("version", process, number=1)).content.decode()

    assert "Version 2 is saved, not yet published." in html
    assert url("preview", process) in html


# Publishing --------------------------------------------------------------------------------------


def test_publish_now_publishes_the_previewed_version(
    client, process, pending, secretariat, member, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    # The new version is circulated by the worker once the publication commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("publish_now", process))

    pending.refresh_from_db()
    assert response["Location"] == url("version", process, number=2)
    assert pending.published_at is not None
    assert Notification.objects.filter(recipient=member).count() == 1
    assert client.get(url("version", process, number=2)).status_code == 200


def test_the_record_entry_carries_the_sha256_of_the_text_and_of_each_section(
    process, pending, secretariat
):
    publish_version(actor=secretariat, version=pending)

    entry = published_entries(process)[-1]
    sections = list(pending.sections.order_by("order"))
    assert entry.payload["version"] == 2
    assert entry.payload["sha256"] == hashlib.sha256(V2.strip().encode("utf-8")).hexdigest()
    assert entry.payload["section_hashes"] == [
        {
            "anchor": s.anchor,
            "sha256": hashlib.sha256((s.heading if s.level else s.text).encode()).hexdigest(),
        }
        for s in sections
    ]
    assert entry.payload["section_hashes"][5]["sha256"] == (
        hashlib.sha256(b"Licences must be simple and free.").hexdigest()
    )


def test_a_published_version_cannot_be_published_again(process, pending, secretariat):
    publish_version(actor=secretariat, version=pending)

    with pytest.raises(ValidationError):
        publish_version(actor=secretariat, version=pending)

    assert len(published_entries(process)) == 2


def test_a_rapporteur_may_publish(process, pending):
    rapporteur = UserFactory(username="ravi")
    Membership.objects.create(process=process, user=rapporteur, role=Role.RAPPORTEUR)

    publish_version(actor=rapporteur, version=pending)

    pending.refresh_from_db()
    assert (pending.published_at is not None, pending.published_by) == (True, rapporteur)


def test_a_participant_may_not_save_publish_or_schedule_and_nothing_changes(
    client, process, pending, member
):
    with pytest.raises(PermissionDenied):
        save_version(actor=member, draft=pending.draft, markdown=V1)
    with pytest.raises(PermissionDenied):
        publish_version(actor=member, version=pending)
    with pytest.raises(PermissionDenied):
        schedule_version(actor=member, version=pending, when=timezone.now() + timedelta(days=1))
    client.force_login(member)
    assert client.post(url("publish_now", process)).status_code == 404

    pending.refresh_from_db()
    assert (pending.published_at, pending.scheduled_for) == (None, None)
    assert pending.sections.get(order=6).text == "Licences must be simple and free."
    assert len(published_entries(process)) == 1


# Scheduling --------------------------------------------------------------------------------------


def test_a_scheduled_version_is_published_by_its_task_only_when_due(
    process, pending, secretariat, django_capture_on_commit_callbacks
):
    when = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        schedule_version(actor=secretariat, version=pending, when=when)

    # The immediate backend of the tests ran the task at once: too early, it did nothing.
    assert len(callbacks) == 1
    pending.refresh_from_db()
    assert (pending.published_at, pending.scheduled_for) == (None, when)
    assert publish_scheduled_version_task.call(pending.pk) is False

    DraftVersion.objects.filter(pk=pending.pk).update(scheduled_for=timezone.now())  # time passes
    assert publish_scheduled_version_task.call(pending.pk) is True
    assert publish_scheduled_version_task.call(pending.pk) is False  # idempotent

    pending.refresh_from_db()
    assert pending.published_at is not None
    assert pending.scheduled_for is None
    assert [e.payload["version"] for e in published_entries(process)] == [1, 2]


def test_a_time_in_the_past_cannot_be_scheduled(pending, secretariat):
    with pytest.raises(ValidationError) as caught:
        schedule_version(actor=secretariat, version=pending, when=timezone.now() - timedelta(1))

    assert list(caught.value.message_dict) == ["scheduled_for"]
    pending.refresh_from_db()
    assert pending.scheduled_for is None


def test_editing_a_scheduled_version_cancels_its_schedule(pending, secretariat):
    schedule_version(actor=secretariat, version=pending, when=timezone.now() + timedelta(days=1))

    edited = save_version(actor=secretariat, draft=pending.draft, markdown=V2 + "\nMore.")

    assert edited.scheduled_for is None
    assert publish_scheduled_version_task.call(pending.pk) is False


def test_the_schedule_form_reads_the_time_in_the_viewers_time_zone(
    client, process, pending, secretariat
):
    client.force_login(secretariat)
    client.cookies["polyvox_tz"] = "Asia/Tokyo"

    client.post(url("schedule", process), {"scheduled_for": "2099-01-01T09:00"})

    pending.refresh_from_db()
    assert pending.scheduled_for == datetime(2099, 1, 1, 0, 0, tzinfo=UTC)
    html = client.get(url("preview", process)).content.decode()
    assert "scheduled for" in html


def test_publish_due_versions_publishes_what_is_due_and_nothing_else(
    process, pending, secretariat, capsys
):
    schedule_version(actor=secretariat, version=pending, when=timezone.now() + timedelta(hours=1))
    call_command("publish_due_versions")
    assert "0 version(s) published." in capsys.readouterr().out

    DraftVersion.objects.filter(pk=pending.pk).update(scheduled_for=timezone.now())
    call_command("publish_due_versions")
    call_command("publish_due_versions")

    pending.refresh_from_db()
    assert pending.published_at is not None
    assert f"Published {process.slug}/principles version 2" in capsys.readouterr().out
    assert [e.payload["version"] for e in published_entries(process)] == [1, 2]
