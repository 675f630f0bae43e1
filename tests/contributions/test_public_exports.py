"""Open-data downloads of a process's inputs: every public field, never a private one, streamed."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.models import Assignment, InternalNote, Outcome, ProposedAnswer
from polyvox.contributions.public_exports import COLUMNS
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.contributions.services.moderation import hide_contribution
from polyvox.participants.models import Profile
from polyvox.participants.services import update_profile
from tests.factories import (
    UserFactory,
    make_version,
    send_submission,
    submit_comment,
    submit_to_version,
)

LETTER = "We ask the forum to keep licence-exempt spectrum open for community networks."
SENTINELS = {
    "email": "sentinel-mail-5e1@private.example",
    "gender": "SENTINEL-GENDER-81d",
    "note": "SENTINEL-NOTE-2c7",
    "proposed": "SENTINEL-PROPOSED-44a",
    "hidden": "SENTINEL-HIDDEN-TEXT-9f0",
    "organisation": "Sentinel Private Employer 3b2",
}


def _download(client, process, fmt, **params):
    response = client.get(f"/p/{process.slug}/contributions.{fmt}", params)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


def _csv_rows(client, process, **params):
    response, text = _download(client, process, "csv", **params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(text)))


def _json(client, process, **params):
    response, text = _download(client, process, "json", **params)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(text)


@pytest.fixture
def answered(process, open_phase, participant, secretariat, section):
    """A comment on § scope, answered as incorporated with a linked change."""
    comment = submit_comment(participant, section, "Add community networks.", title="Networks")
    changed = make_version(process, number=2).sections.get(anchor="scope")
    record_disposition(
        actor=secretariat,
        contribution=comment,
        outcome=Outcome.INCORPORATED,
        reason="Added in v2.",
        changed_sections=[changed],
    )
    comment.refresh_from_db()
    return comment


def test_the_csv_holds_every_public_field_of_an_answered_input(client, answered):
    [row] = _csv_rows(client, answered.process)
    disposition = answered.disposition

    assert list(row) == list(COLUMNS)
    assert row == {
        "tracking_number": answered.tracking_number,
        "url": answered.get_absolute_url(),
        "kind": "comment",
        "draft": "principles",
        "version": "1",
        "section": "scope",
        "parent": "",
        "author": "Amina",
        "stakeholder_group": "civil_society",
        "organisation": "",
        "organisation_slug": "",
        "title": "Networks",
        "text": "Add community networks.",
        "language": answered.language,
        "attachment": "",
        "submitted_at": answered.created_at.isoformat(),
        "late": "no",
        "outcome": "incorporated",
        "reason": "Added in v2.",
        "answered_at": disposition.updated_at.isoformat(),
        "duplicate_of": "",
        "changes": "v2#scope",
        "campaign": "",
        "campaign_size": "",
    }


def test_the_json_holds_the_same_fields_typed(client, answered):
    data = _json(client, answered.process)

    assert data["process"] == answered.process.slug
    [item] = data["contributions"]
    assert list(item) == list(COLUMNS)
    assert (item["version"], item["late"], item["parent"], item["campaign"]) == (
        1,
        False,
        None,
        None,
    )
    assert item["changes"] == [{"version": 2, "section": "scope"}]
    assert (item["outcome"], item["reason"]) == ("incorporated", "Added in v2.")
    assert item["language"] == answered.language == "en"  # the author's default


def test_an_empty_process_downloads_a_header_and_an_empty_list(client, process):
    assert _download(client, process, "csv")[1] == ",".join(COLUMNS) + "\n"
    assert _json(client, process) == {
        "process": process.slug,
        "filters": {"query": "", "kind": "", "section": "", "organisation": "", "language": ""},
        "contributions": [],
    }


def test_every_campaign_member_has_its_row_with_the_campaign_id_and_size(
    client, process, open_phase, secretariat
):
    members = [send_submission(process, LETTER, f"signer{n}") for n in range(3)]
    alone = send_submission(process, "Satellite broadband needs spectrum.", "solo")
    [campaign] = detect_campaigns(actor=secretariat, process=process)

    rows = _csv_rows(client, process)

    assert [(r["tracking_number"], r["campaign"], r["campaign_size"]) for r in rows] == [
        *((m.tracking_number, str(campaign.pk), "3") for m in members),
        (alone.tracking_number, "", ""),
    ]


def test_a_download_keeps_the_search_and_filters_of_the_list(
    client, process, open_phase, participant, version
):
    wanted = submit_to_version(participant, version, "Encryption matters.", kind="general")
    submit_to_version(participant, version, "Encryption, again.", kind="omission")
    submit_to_version(participant, version, "Networks matter.", kind="general")

    rows = _csv_rows(client, process, q="encryption", kind="general")
    data = _json(client, process, q="encryption", kind="general")

    assert [r["tracking_number"] for r in rows] == [wanted.tracking_number]
    assert [i["tracking_number"] for i in data["contributions"]] == [wanted.tracking_number]
    assert data["filters"] == {
        "query": "encryption",
        "kind": "general",
        "section": "",
        "organisation": "",
        "language": "",
    }


def test_no_private_value_is_ever_downloaded(client, process, open_phase, secretariat, version):
    amina = UserFactory(username="amina", email=SENTINELS["email"])
    update_profile(actor=amina, user=amina, gender=SENTINELS["gender"])
    Profile.objects.filter(user=amina).update(organisation=SENTINELS["organisation"])
    visible = submit_to_version(amina, version, "A visible input.", kind="general")
    hidden = submit_to_version(amina, version, SENTINELS["hidden"], kind="general")
    hide_contribution(
        actor=secretariat, contribution=hidden, reason_code="off_topic", reason="Off topic."
    )
    InternalNote.objects.create(contribution=visible, author=secretariat, body=SENTINELS["note"])
    Assignment.objects.create(contribution=visible, assignee=secretariat, assigned_by=secretariat)
    ProposedAnswer.objects.create(
        contribution=visible, outcome=Outcome.NOTED, reason=SENTINELS["proposed"],
        proposed_by=secretariat,
    )  # fmt: skip

    for fmt in ("csv", "json"):
        text = _download(client, process, fmt)[1]
        assert visible.tracking_number in text
        assert hidden.tracking_number not in text
        assert [name for name, value in SENTINELS.items() if value in text] == []
        assert secretariat.username not in text  # the assignee is internal


def _queries(client, process, fmt):
    with CaptureQueriesContext(connection) as captured:
        _download(client, process, fmt)
    return len(captured)


def test_a_download_costs_the_same_queries_for_few_or_many_inputs(
    client, process, open_phase, secretariat, participant, section
):
    def add(n):
        comment = submit_comment(participant, section, f"Point {n}.")
        record_disposition(
            actor=secretariat, contribution=comment, outcome=Outcome.NOTED, reason="Thanks.",
            changed_sections=[changed],
        )  # fmt: skip
        send_submission(process, LETTER, f"signer{n}")

    comment = submit_comment(participant, section, "First point.")
    changed = make_version(process, number=2).sections.get(anchor="scope")
    record_disposition(
        actor=secretariat, contribution=comment, outcome=Outcome.NOTED, reason="Noted."
    )
    add(0)
    add(1)
    detect_campaigns(actor=secretariat, process=process)
    few = (_queries(client, process, "csv"), _queries(client, process, "json"))
    for n in range(2, 25):
        add(n)
    detect_campaigns(actor=secretariat, process=process)

    assert len(_csv_rows(client, process)) == 51
    assert (_queries(client, process, "csv"), _queries(client, process, "json")) == few
