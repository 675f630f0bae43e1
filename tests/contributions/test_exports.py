"""Feedback report downloads: exact CSV rows and JSON, public fields only."""

import csv
import io

from polyvox.campaigns.services.detection import detect_campaigns
from polyvox.contributions.exports import CSV_COLUMNS, feedback_report_csv, feedback_report_data
from polyvox.contributions.models import Outcome
from polyvox.contributions.selectors.feedback_report import feedback_report
from polyvox.contributions.services.dispositions import record_disposition
from polyvox.participants.models import Profile
from tests.factories import make_version, submit_comment, submit_to_version


def answered_comment(participant, secretariat, version):
    Profile.objects.filter(user=participant).update(gender="SENTINEL-GENDER")
    contribution = submit_comment(
        participant, version.sections.get(anchor="scope"), body='Spectrum, "shared", for all.'
    )
    v2 = make_version(version.draft.process, number=2, draft=version.draft)
    record_disposition(
        actor=secretariat,
        contribution=contribution,
        outcome=Outcome.INCORPORATED,
        reason="",
        changed_sections=[v2.sections.get(anchor="scope")],
    )
    return contribution


def test_the_csv_has_one_row_per_input_with_its_answer_and_linked_changes(
    open_phase, participant, secretariat, version
):
    contribution = answered_comment(participant, secretariat, version)

    rows = list(csv.reader(io.StringIO(feedback_report_csv(feedback_report(version=version)))))

    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1] == [
        contribution.tracking_number,
        "comment",
        "Amina",
        "civil_society",
        "",
        "",
        "scope",
        "",
        'Spectrum, "shared", for all.',
        contribution.created_at.isoformat(),
        "no",
        "incorporated",
        "",
        "",
        "v2#scope",
        "",
        "1",
    ]
    assert len(rows) == 2


def test_the_json_holds_inputs_sections_and_figures(open_phase, participant, secretariat, version):
    contribution = answered_comment(participant, secretariat, version)

    data = feedback_report_data(feedback_report(version=version))

    assert data["inputs"][0]["changes"] == [{"version": 2, "section": "scope"}]
    assert data["next_version_sections"] == [
        {"section": "scope", "heading": "Scope", "inputs": [contribution.tracking_number]},
        {"section": "access", "heading": "Access", "inputs": []},
    ]
    assert data["figures"]["overall"] == {
        "key": "all",
        "label": "All inputs",
        "answered": 1,
        "total": 1,
    }


def test_exports_never_contain_e_mail_addresses_or_gender(
    open_phase, participant, secretariat, version
):
    answered_comment(participant, secretariat, version)
    report = feedback_report(version=version)

    exported = feedback_report_csv(report) + str(feedback_report_data(report))

    assert ("amina@example.org" in exported, "SENTINEL-GENDER" in exported) == (False, False)


def test_a_campaign_is_one_row_with_its_id_and_supporters(
    open_phase, participant, other_participant, secretariat, version
):
    letters = [
        submit_to_version(author, version, "Keep the internet open and neutral.")
        for author in (participant, other_participant)
    ]
    campaign = detect_campaigns(actor=secretariat, process=version.draft.process)[0]
    report = feedback_report(version=version)

    rows = list(csv.reader(io.StringIO(feedback_report_csv(report))))
    data = feedback_report_data(report)

    assert [(r[0], r[-2], r[-1]) for r in rows[1:]] == [
        (letters[0].tracking_number, str(campaign.pk), "2")
    ]
    assert [(i["campaign"], i["supporters"]) for i in data["inputs"]] == [(campaign.pk, 2)]
    assert (data["figures"]["overall"]["total"], data["figures"]["submissions"]["total"]) == (1, 2)
