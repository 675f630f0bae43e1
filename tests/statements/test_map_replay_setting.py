"""The process setting "rebuild the map as Pol.is does (replay)": set by the secretariat only, from
the moderation page or `import_polis --replay`; published; the map is recomputed in the new mode."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from polyvox.record.models import RecordEntry
from polyvox.statements.models import StatementSettings
from polyvox.statements.services import refresh_opinion_map, set_map_replay
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
