"""The process setting "rebuild the map as Pol.is does (replay)": set by the secretariat only, from
the moderation page or `import_polis --replay`; published; the map is recomputed in the new mode."""

import shutil
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from polyvox.analytics.opinion_map_replay import read_vote_events, replay_opinion_map
from polyvox.participants.models import User
from polyvox.record.models import RecordEntry
from polyvox.statements.models import StatementSettings, Vote, VoteRevision
from polyvox.statements.selectors import latest_snapshot
from polyvox.statements.services import refresh_opinion_map, set_map_replay
from tests.data.polis_data import POLIS
from tests.experience.html import page, select_one
from tests.factories import make_statement, make_voters, vote_all


def url(name, process):
    return reverse(f"statements:{name}", kwargs={"slug": process.slug})


def test_the_secretariat_sets_replay_from_the_moderation_page(client, process, secretariat):
    client.force_login(secretariat)
    html = page(client.get(url("moderation", process)))
    assert select_one(html, 'input[name="replay"]') is not None

    response = client.post(url("map_settings", process), {"replay": "on"})

    assert response.status_code == 302
    assert StatementSettings.objects.get(process=process).replay_map is True
    entry = RecordEntry.objects.filter(process=process, kind="statements.map_replay_set").get()
    assert entry.payload == {"replay": True}


def test_a_participant_cannot_set_replay_and_does_not_see_the_form(
    client, process, participant, secretariat
):
    client.force_login(participant)

    response = client.post(url("map_settings", process), {"replay": "on"})

    assert response.status_code == 403
    assert not StatementSettings.objects.filter(process=process, replay_map=True).exists()
    with pytest.raises(PermissionDenied):
        set_map_replay(actor=participant, process=process, replay=True)


def test_turning_replay_off_recomputes_the_map_without_new_votes(
    process, secretariat, django_capture_on_commit_callbacks
):
    statements = [make_statement(process, f"Claim {j}.") for j in range(8)]
    vote_all(make_voters(8, "a"), statements, [1] * 8)
    StatementSettings.objects.create(process=process, replay_map=True)
    before = refresh_opinion_map(process=process)
    assert before.params["replay"] is True

    with django_capture_on_commit_callbacks(execute=True):
        set_map_replay(actor=secretariat, process=process, replay=False)

    latest = process.opinion_map_snapshots.order_by("-id").first()
    assert latest.pk != before.pk
    assert latest.params["replay"] is False


SEATTLE = POLIS / "15-per-hour-seattle"
MINUTE_MS = 60_000.0  # coarser batches than Pol.is's one second, to keep the test short


def partition(labels_by_id):
    groups = {}
    for pid, label in labels_by_id.items():
        groups.setdefault(label, set()).add(pid)
    return sorted(sorted(g) for g in groups.values())


def test_an_imported_conversation_set_to_replay_is_rebuilt_as_pol_is_did(
    process, secretariat, monkeypatch
):
    monkeypatch.setattr(
        "polyvox.statements.services.replay_opinion_map",
        partial(replay_opinion_map, interval_ms=MINUTE_MS),
    )

    call_command(
        "import_polis", process.slug, str(SEATTLE), actor=secretariat.username, replay=True
    )

    snapshot = latest_snapshot(process)
    assert StatementSettings.objects.get(process=process).replay_map is True
    assert snapshot.params["replay"] is True
    assert snapshot.params["interval_ms"] == MINUTE_MS
    # The votes kept their Pol.is times and earlier values: the replay from the database
    # groups people as the replay of the files does.
    events = read_vote_events(SEATTLE)
    assert Vote.objects.count() + VoteRevision.objects.count() == len(events.values)
    direct = replay_opinion_map(events, seed=0, interval_ms=MINUTE_MS)
    user_of = {
        int(name.rsplit("-", 1)[1]): uid
        for name, uid in User.objects.filter(
            username__startswith=f"polis-{process.slug}-"
        ).values_list("username", "id")
    }
    expected = {
        user_of[pid]: label
        for pid, label in zip(direct.participant_ids.tolist(), direct.labels.tolist(), strict=True)
    }
    stored = {p["id"]: p["group"] for p in snapshot.result["participants"]}
    assert partition(stored) == partition(expected)


def test_replay_needs_vote_times(process, secretariat, tmp_path):
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(SEATTLE / name, tmp_path / name)

    with pytest.raises(CommandError, match="needs the time of each vote"):
        call_command(
            "import_polis", process.slug, str(tmp_path), actor=secretariat.username, replay=True
        )

    assert not Vote.objects.exists()
