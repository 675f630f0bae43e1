"""Campaign detection runs in the worker: queued → running → done with its time, shown on the
campaigns page with its progress; one run per process at a time; failures for the staff only."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from polyvox.campaigns.models import Campaign, CampaignStatus, DetectionRun
from polyvox.campaigns.services import detection_runs
from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.campaigns.services.detection_runs import (
    ProgressWriter,
    execute_run,
    overall_percent,
    request_detection,
)
from polyvox.processes.models import Membership
from polyvox.record.models import RecordEntry
from tests.factories import send_submission

LETTER = "Stop the data retention law. It harms journalists and their sources everywhere."


@pytest.fixture
def letters(process, open_phase):
    texts = [LETTER, LETTER, f"{LETTER} My own newspaper lost two sources last year.", "Other."]
    return [send_submission(process, text, f"member{i}") for i, text in enumerate(texts)]


def _detect_url(process):
    return f"/p/{process.slug}/campaigns/detect/"


def test_a_run_goes_from_queued_to_running_to_done_with_the_time_of_its_result(
    process, secretariat, letters, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    write = ProgressWriter.__call__

    def spy(self, stage, done, total):  # what the row says while the worker is in each stage
        seen.append((DetectionRun.objects.get(pk=self.run_id).status, stage))
        write(self, stage, done, total)

    monkeypatch.setattr(ProgressWriter, "__call__", spy)
    with django_capture_on_commit_callbacks() as queued:
        run = request_detection(actor=secretariat, process=process)
    run.refresh_from_db()
    assert (run.status, run.started_at, run.finished_at) == ("queued", None, None)

    for callback in queued:  # the worker takes the task
        callback()

    run.refresh_from_db()
    assert run.status == "done"
    assert run.percent == 100
    assert (run.submissions_considered, run.campaigns_found) == (4, 1)
    assert run.created_at <= run.started_at <= run.finished_at <= timezone.now()
    assert {status for status, _stage in seen} == {"running"}
    assert seen[0] == ("running", "reading")
    assert {stage for _status, stage in seen} == {"reading", "grouping", "additions", "saving"}
    assert Campaign.objects.get().size == 3


def test_a_second_request_while_one_is_queued_joins_it(
    client, process, secretariat, letters, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(_detect_url(process))
        second = client.post(_detect_url(process))

    assert first.status_code == second.status_code == 302
    assert DetectionRun.objects.count() == 1
    assert len(queued) == 1  # one task for the worker, not two
    assert DetectionRun.objects.get().status == "queued"


def test_a_request_while_a_run_is_running_runs_it_once_more_when_it_ends(
    process, secretariat, letters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        running = request_detection(actor=secretariat, process=process)
    DetectionRun.objects.filter(pk=running.pk).update(status="running")

    joined = request_detection(actor=secretariat, process=process)

    assert joined.pk == running.pk
    assert DetectionRun.objects.count() == 1
    DetectionRun.objects.filter(pk=running.pk).update(status="queued")
    with django_capture_on_commit_callbacks(execute=True):
        execute_run(running.pk)
    assert list(DetectionRun.objects.order_by("id").values_list("status", flat=True)) == [
        "done",
        "done",
    ]
    assert RecordEntry.objects.filter(process=process, kind="campaigns.detected").count() == 2


def test_the_detect_button_answers_at_once_and_the_page_shows_the_queued_run(
    client, process, secretariat, letters, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks():
        response = client.post(_detect_url(process), follow=True)

    page = response.content.decode()
    assert "Detection started; this page shows its progress." in page
    assert "Campaign detection is queued: it starts when the worker is free." in page
    assert 'hx-trigger="every 3s"' in page
    assert Campaign.objects.count() == 0  # nothing computed in the request


def test_the_page_shows_a_running_runs_percentage_and_stage_and_polls_it(
    client, process, secretariat
):
    now = timezone.now()
    run = DetectionRun.objects.create(
        process=process, requested_by=secretariat, status="running", created_at=now,
        updated_at=now, started_at=now, stage="grouping", percent=40,
    )  # fmt: skip

    page = client.get(f"/p/{process.slug}/campaigns/").content.decode()

    assert "Campaign detection running: 40 % (Grouping near-duplicates)…" in page
    assert '<progress max="100" value="40"' in page
    assert f'campaigns/detection/?run={run.pk}" hx-trigger="every 3s"' in page


def test_the_poll_answers_the_panel_and_reloads_the_page_when_the_run_ended(
    client, process, secretariat, letters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request_detection(actor=secretariat, process=process)
    url = f"/p/{process.slug}/campaigns/detection/?run={run.pk}"

    polled = client.get(url, headers={"HX-Request": "true"})
    without_htmx = client.get(url)

    assert polled.status_code == 200
    assert polled["HX-Refresh"] == "true"
    assert polled.content.decode().lstrip().startswith('<div id="detection-status"')
    assert "hx-trigger" not in polled.content.decode()
    assert without_htmx.status_code == 302
    assert without_htmx["Location"] == f"/p/{process.slug}/campaigns/"


def test_the_page_shows_the_time_of_the_last_result(
    client, process, secretariat, letters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request_detection(actor=secretariat, process=process)
    run.refresh_from_db()

    page = client.get(f"/p/{process.slug}/campaigns/").content.decode()

    assert (
        f'Last result: <time datetime="{timezone.localtime(run.finished_at).isoformat()}">' in page
    )
    assert "hx-trigger" not in page


def test_a_failed_run_shows_its_message_to_the_secretariat_only(
    client, process, secretariat, letters, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        run = request_detection(actor=secretariat, process=process)
    Membership.objects.filter(user=secretariat).delete()  # no longer allowed when it runs
    staff = Membership.objects.create(process=process, user=participant, role="secretariat").user

    for callback in queued:
        callback()  # the immediate backend records the task's failure

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "Only those who answer inputs may detect campaigns."
    public = client.get(f"/p/{process.slug}/campaigns/").content.decode()
    client.force_login(staff)
    staff_page = client.get(f"/p/{process.slug}/campaigns/").content.decode()
    assert "failed" not in public
    assert "Only those who answer inputs may detect campaigns." not in public
    assert "The last detection run failed" in staff_page
    assert "Only those who answer inputs may detect campaigns." in staff_page
    assert Campaign.objects.count() == 0


def test_only_the_secretariat_starts_detection(client, process, participant, letters):
    client.force_login(participant)

    response = client.post(_detect_url(process))

    assert response.status_code == 403
    assert DetectionRun.objects.count() == 0


def test_a_visitor_is_sent_to_sign_in_and_nothing_is_queued(client, process, letters):
    response = client.post(_detect_url(process))

    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert DetectionRun.objects.count() == 0


def test_a_stalled_run_is_not_shown_as_running_and_the_next_request_replaces_it(
    client, process, secretariat, letters, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(hours=1)
    stalled = DetectionRun.objects.create(
        process=process, requested_by=secretariat, status="running", created_at=long_ago,
        updated_at=long_ago, started_at=long_ago, stage="grouping", percent=40,
    )  # fmt: skip

    page = client.get(f"/p/{process.slug}/campaigns/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = request_detection(actor=secretariat, process=process)

    assert "Campaign detection running" not in page
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.status == "failed"
    assert stalled.error == "The worker stopped before this run finished."
    assert fresh.pk != stalled.pk
    assert fresh.status == "done"


def test_progress_is_written_at_each_new_stage_and_otherwise_every_two_seconds(
    process, secretariat, django_assert_num_queries
):
    now = timezone.now()
    run = DetectionRun.objects.create(
        process=process, requested_by=secretariat, status="running", created_at=now, updated_at=now
    )
    clock = iter([0.0, 0.5, 1.0, 1.9, 2.1, 2.2, 2.3])
    writer = ProgressWriter(run.pk, clock=lambda: next(clock))

    with django_assert_num_queries(3):
        writer("reading", 0, 1000)  # written: new stage
        writer("reading", 5000, 100_000)
        writer("reading", 10_000, 100_000)
        writer("reading", 15_000, 100_000)
        writer("reading", 20_000, 100_000)  # written: 2.1 s after the last write
        writer("reading", 25_000, 100_000)
        writer("grouping", 0, 100_000)  # written: new stage

    run.refresh_from_db()
    assert (run.stage, run.done, run.total, run.percent) == ("grouping", 0, 100_000, 5)


def test_the_percentage_covers_the_whole_run_stage_by_stage():
    assert overall_percent("reading", 0, 100) == 0
    assert overall_percent("reading", 50, 100) == 2
    assert overall_percent("grouping", 0, 100) == 5
    assert overall_percent("additions", 50, 100) == 50
    assert overall_percent("saving", 100, 100) == 100
    assert overall_percent("saving", 0, 0) == 75


def test_a_campaign_confirmed_while_detection_runs_keeps_its_members(process, secretariat, letters):
    [first] = detect_campaigns(actor=secretariat, process=process)

    def confirm_meanwhile(stage, done, total):
        if stage == "saving" and done == 0:  # after reading, before the swap
            Campaign.objects.filter(pk=first.pk).update(status=CampaignStatus.CONFIRMED)

    again = detect_campaigns(actor=secretariat, process=process, progress=confirm_meanwhile)

    assert again == []
    assert list(Campaign.objects.values_list("pk", "status", "size")) == [
        (first.pk, "confirmed", 3)
    ]


def test_an_import_queues_one_run_and_joins_one_already_queued(
    process, secretariat, letters, django_capture_on_commit_callbacks
):
    from polyvox.campaigns.tasks import detect_campaigns_task

    with django_capture_on_commit_callbacks():
        queued = request_detection(actor=secretariat, process=process)

    assert detect_campaigns_task.call(process.pk, secretariat.pk) == 0  # joins the queued run
    assert DetectionRun.objects.count() == 1
    DetectionRun.objects.filter(pk=queued.pk).update(status="done")
    assert detect_campaigns_task.call(process.pk, secretariat.pk) == 1  # a run of its own
    assert list(DetectionRun.objects.order_by("id").values_list("status", flat=True)) == [
        "done",
        "done",
    ]


def test_stage_spans_cover_every_stage_once():
    spans = sorted(detection_runs.STAGE_SPANS.values())
    assert spans[0][0] == 0
    assert spans[-1][1] == 100
    assert all(a[1] == b[0] for a, b in pairwise(spans))
