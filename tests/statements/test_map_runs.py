"""Opinion-map refresh runs: votes share one queued run, the worker records its stage, the map
page shows it (and the time of the last result), and failures reach the secretariat only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from polyvox.statements import services
from polyvox.statements.models import OpinionMapRun, OpinionMapSnapshot, Vote
from polyvox.statements.services import (
    cast_vote,
    execute_map_refresh,
    queue_map_refresh,
    refresh_opinion_map,
)
from tests.factories import make_secretariat, vote_all


def _map_url(process):
    return reverse("statements:opinion_map", kwargs={"slug": process.slug})


def _run(process, **fields):
    now = timezone.now()
    return OpinionMapRun.objects.create(
        process=process, created_at=now, updated_at=now, **{"status": "running", **fields}
    )


def test_votes_while_a_refresh_is_queued_join_it_and_it_maps_them_all(
    process, deliberation, make_statement, make_voters, django_capture_on_commit_callbacks
):
    statements = [make_statement(f"Claim {i}.") for i in range(3)]
    queued = queue_map_refresh(process_id=process.pk)
    voters = make_voters(6, "v")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for voter in voters:
            cast_vote(participant=voter, statement=statements[0], value=1)

    assert len(callbacks) == 6
    assert list(OpinionMapRun.objects.values_list("pk", "status")) == [(queued.pk, "queued")]
    snapshot_id = execute_map_refresh(queued.pk)
    queued.refresh_from_db()
    assert queued.status == "done"
    assert queued.percent == 100
    assert queued.snapshot_id == snapshot_id
    assert OpinionMapSnapshot.objects.get().n_votes == 6
    assert OpinionMapRun.objects.count() == 1  # no vote came after it read them


def test_a_vote_queues_a_refresh_that_runs_through_its_stages_to_done(
    process, deliberation, make_statement, participant, django_capture_on_commit_callbacks
):
    statement = make_statement("Claim.")

    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(participant=participant, statement=statement, value=1)

    run = OpinionMapRun.objects.get()
    assert run.status == "done"
    assert run.stage == "saving"  # the last stage it reached
    assert run.created_at <= run.started_at <= run.finished_at
    assert run.snapshot == OpinionMapSnapshot.objects.get()


def test_a_refresh_with_nothing_new_to_map_ends_without_a_new_map(
    process, make_statement, make_voters
):
    statements = [make_statement(f"Claim {i}.") for i in range(2)]
    vote_all(make_voters(3, "v"), statements, [1, -1])
    first = refresh_opinion_map(process=process)
    run = queue_map_refresh(process_id=process.pk)

    assert execute_map_refresh(run.pk) is None

    run.refresh_from_db()
    assert (run.status, run.snapshot_id) == ("done", first.pk)
    assert OpinionMapSnapshot.objects.count() == 1


def test_votes_cast_while_the_map_is_computed_queue_one_more_refresh(
    process,
    deliberation,
    make_statement,
    make_voters,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    statement = make_statement("Claim.")
    first, second = make_voters(2, "v")
    run = queue_map_refresh(process_id=process.pk)
    compute = services.compute_opinion_map
    late = []

    def vote_during_the_computation(votes, **kwargs):
        if not late:  # a participant votes while the worker computes (once)
            late.append(Vote.objects.create(statement=statement, participant=second, value=-1))
        return compute(votes, **kwargs)

    monkeypatch.setattr(services, "compute_opinion_map", vote_during_the_computation)
    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(participant=first, statement=statement, value=1)
    assert OpinionMapRun.objects.count() == 1  # the vote joined the queued run

    with django_capture_on_commit_callbacks(execute=True):
        execute_map_refresh(run.pk)

    runs = list(OpinionMapRun.objects.order_by("id"))
    assert [r.status for r in runs] == ["done", "done"]
    assert [r.snapshot.n_votes for r in runs] == [1, 2]


def test_the_map_page_shows_a_running_refresh_and_polls_it(client, process):
    run = _run(process, stage="computing", percent=30)

    page = client.get(_map_url(process)).content.decode()

    assert "Recomputing the map: 30 % (Computing opinion groups)…" in page
    assert f'opinion-map/?run={run.pk}" hx-trigger="every 3s"' in page


def test_the_poll_answers_the_panel_and_reloads_the_page_when_the_refresh_ended(
    client, process, make_statement, make_voters
):
    statements = [make_statement(f"Claim {i}.") for i in range(2)]
    vote_all(make_voters(3, "v"), statements, [1, -1])
    snapshot = refresh_opinion_map(process=process)
    run = _run(process, status="done", snapshot=snapshot)

    polled = client.get(f"{_map_url(process)}?run={run.pk}", headers={"HX-Request": "true"})

    body = polled.content.decode()
    assert polled["HX-Refresh"] == "true"
    assert body.lstrip().startswith('<div id="map-refresh"')
    assert "<svg" not in body
    when = timezone.localtime(snapshot.computed_at).isoformat()
    assert f'Last result: <time datetime="{when}">' in body


def test_a_failed_refresh_shows_its_message_to_the_secretariat_only(client, process, participant):
    _run(process, status="failed", error="The worker ran out of memory.")
    staff = make_secretariat(process, username="sofia")

    client.force_login(participant)
    participant_page = client.get(_map_url(process)).content.decode()
    client.force_login(staff)
    staff_page = client.get(_map_url(process)).content.decode()

    assert "The worker ran out of memory." not in participant_page
    assert "failed" not in participant_page
    assert "The last refresh of the map failed" in staff_page
    assert "The worker ran out of memory." in staff_page


def test_a_stalled_refresh_is_not_shown_and_the_next_vote_replaces_it(
    client, process, deliberation, make_statement, participant, django_capture_on_commit_callbacks
):
    statement = make_statement("Claim.")
    long_ago = timezone.now() - timedelta(hours=1)
    stalled = _run(process, stage="computing", percent=30)
    OpinionMapRun.objects.filter(pk=stalled.pk).update(created_at=long_ago, updated_at=long_ago)

    page = client.get(_map_url(process)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(participant=participant, statement=statement, value=1)

    assert "Recomputing the map" not in page
    stalled.refresh_from_db()
    assert stalled.status == "failed"
    assert OpinionMapRun.objects.exclude(pk=stalled.pk).get().status == "done"
