"""Closing freezes the indicators: the report and the API keep the figures the process closed
with, and the record holds their hash, which anyone can check against the API's answer."""

import hashlib
import json

import pytest
import rfc8785
from django.core.exceptions import ValidationError

from polyvox.contributions.models import Contribution
from polyvox.contributions.services.closing import close_process
from polyvox.indicators.services import set_participation_target
from polyvox.record.models import RecordEntry
from polyvox.record.services import integrate_pending

pytestmark = pytest.mark.django_db


def _api(client, process):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/processes/{process.slug}/indicators")
    assert response.status_code == 200
    return response.json()


def test_closing_freezes_the_figures_and_records_their_hash(client, process, inputs, secretariat):  # type: ignore[no-untyped-def]
    close_process(actor=secretariat, process=process, note="Closed on schedule.")
    frozen = _api(client, process)
    assert frozen["participation"]["inputs"] == len(inputs) == 12

    # Whatever changes afterwards (here, inputs regrouped by hand) leaves the report as it was.
    Contribution.objects.filter(process=process).update(stakeholder_group="academia")
    assert _api(client, process) == frozen

    entry = RecordEntry.objects.get(process=process, kind="indicators.final")
    payload = json.loads(entry.payload) if isinstance(entry.payload, str) else entry.payload
    public = {key: value for key, value in frozen.items() if key != "targets"}
    assert payload["sha256"] == hashlib.sha256(rfc8785.dumps(public)).hexdigest()
    assert payload["report"] == f"/p/{process.slug}/indicators/report/"


def test_the_final_report_says_final_and_the_record_page_names_it(
    client, process, inputs, secretariat
):  # type: ignore[no-untyped-def]
    close_process(actor=secretariat, process=process, note="Closed on schedule.")
    integrate_pending()

    report = client.get(f"/p/{process.slug}/indicators/report/").content.decode()
    record = client.get(f"/p/{process.slug}/record/").content.decode()

    assert "Final" in report
    assert "Final indicators and process-quality report published" in record
    assert f'href="/p/{process.slug}/indicators/report/"' in record


def test_targets_cannot_change_once_the_process_has_closed(process, inputs, secretariat):  # type: ignore[no-untyped-def]
    close_process(actor=secretariat, process=process, note="Closed on schedule.")

    with pytest.raises(ValidationError, match="has closed"):
        set_participation_target(
            actor=secretariat, process=process, dimension="region", value="Africa",
            min_share="0.3",
        )  # fmt: skip
