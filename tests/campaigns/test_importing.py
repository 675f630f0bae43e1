"""Bulk import: valid rows all kept, invalid rows reported by line, re-runs import nothing twice."""

import csv
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from polyvox.campaigns.importing import import_submissions
from polyvox.campaigns.models import ImportRun, SubmissionIntake
from polyvox.contributions.models import Contribution
from polyvox.record.models import RecordEntry

HEADER = ["body", "name", "organisation", "stakeholder_group", "country", "date", "id"]
MAPPING = {"text": "body", "author_name": "name", "external_id": "id"}


def _write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def csv_file(tmp_path):
    return _write_csv(
        tmp_path / "inputs.csv",
        [
            ["Keep the internet open.", "Ana", "", "civil_society", "BR", "2026-03-01", "a1"],
            ["", "Bo", "", "", "", "", "a2"],
            [
                "Protect encryption.",
                "Chen",
                "Acme",
                "Private sector",
                "CN",
                "2026-03-01T10:00",
                "a3",
            ],
            ["Fund community networks.", "Dee", "", "aliens", "ZZ", "yesterday", "a4"],
            ["Keep the internet open.", "Eve", "", "", "", "", ""],
        ],
    )


def test_valid_rows_are_all_kept_and_invalid_rows_are_reported_by_line(
    process, secretariat, csv_file
):
    run = import_submissions(actor=secretariat, process=process, path=csv_file, mapping=MAPPING)

    assert (run.rows_ok, run.rows_rejected, run.rows_already_imported) == (3, 2, 0)
    assert [e["line"] for e in run.errors] == [3, 5]
    assert run.errors[0]["errors"] == {"text": ["Write something before sending."]}
    assert sorted(run.errors[1]["errors"]) == ["country", "date", "stakeholder_group"]
    imported = Contribution.objects.filter(process=process).order_by("id")
    assert list(
        imported.values_list("author_name", "stakeholder_group", "country", "organisation")
    ) == [
        ("Ana", "civil_society", "BR", ""),
        ("Chen", "private_sector", "CN", "Acme"),
        ("Eve", "individual", "", ""),
    ]
    assert [c.revisions.count() for c in imported] == [1, 1, 1]
    entries = RecordEntry.objects.filter(process=process, kind="submissions.imported")
    assert [e.payload["rows_imported"] for e in entries] == [3]
    assert entries[0].payload["file_sha256"] == run.sha256


def test_a_rerun_of_the_same_file_imports_nothing_twice(process, secretariat, csv_file):
    import_submissions(actor=secretariat, process=process, path=csv_file, mapping=MAPPING)

    run = import_submissions(actor=secretariat, process=process, path=csv_file, mapping=MAPPING)

    assert (run.rows_ok, run.rows_rejected, run.rows_already_imported) == (0, 2, 3)
    assert Contribution.objects.filter(process=process).count() == 3


def test_identical_rows_without_ids_are_each_kept_once(process, secretariat, tmp_path):
    rows = [json.dumps({"text": "Same letter.", "author_name": "Zoe"})] * 2
    path = tmp_path / "letters.jsonl"
    path.write_text("\n".join([*rows, "{not json"]) + "\n", encoding="utf-8")

    first = import_submissions(actor=secretariat, process=process, path=path)
    second = import_submissions(actor=secretariat, process=process, path=path)

    assert (first.rows_ok, first.rows_rejected) == (2, 1)
    assert first.errors == [{"line": 3, "errors": {"__all__": ["This line is not valid JSON."]}}]
    assert (second.rows_ok, second.rows_already_imported) == (0, 2)
    assert SubmissionIntake.objects.filter(source="import").count() == 2


def test_a_participant_cannot_import_and_nothing_changes(process, participant, csv_file):
    with pytest.raises(PermissionDenied):
        import_submissions(actor=participant, process=process, path=csv_file, mapping=MAPPING)

    assert (Contribution.objects.count(), ImportRun.objects.count()) == (0, 0)


def test_a_file_without_the_text_column_is_refused_as_a_whole(process, secretariat, csv_file):
    with pytest.raises(ValidationError) as error:
        import_submissions(actor=secretariat, process=process, path=csv_file)

    assert "path" in error.value.message_dict
    assert (Contribution.objects.count(), ImportRun.objects.count()) == (0, 0)


def test_the_command_prints_counts_and_rejected_lines(process, secretariat, csv_file):
    out = StringIO()

    call_command(
        "import_data", "submissions", process.slug, str(csv_file),
        "--map", "text=body,author_name=name,external_id=id", "--actor", "sofia", stdout=out,
    )  # fmt: skip

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("3 rows imported, 2 rejected, 0 already imported")
    assert lines[1] == "line 3: text: Write something before sending."
    assert lines[2].startswith("line 5: ")


def test_the_command_fails_when_the_file_cannot_be_read(process, secretariat, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "import_data", "submissions", process.slug, str(tmp_path / "missing.csv"),
            "--actor", "sofia",
        )  # fmt: skip

    assert Contribution.objects.count() == 0


def test_an_imported_row_is_stored_whole_with_revision_one_and_its_intake(
    process, secretariat, csv_file
):
    run = import_submissions(actor=secretariat, process=process, path=csv_file, mapping=MAPPING)

    chen = Contribution.objects.get(process=process, author_name="Chen")
    intake = SubmissionIntake.objects.get(contribution=chen)
    revision = chen.revisions.get()
    assert (
        chen.tracking_number, chen.kind, chen.body, chen.organisation,
        chen.on_behalf_of_organisation, chen.stakeholder_group, chen.country, chen.hidden_at,
        chen.draft_version, chen.is_late,
    ) == (
        f"PVX-{process.pk}-{chen.pk:05d}", "submission", "Protect encryption.", "Acme", True,
        "private_sector", "CN", None, None, False,
    )  # fmt: skip
    assert (chen.created_at, chen.updated_at) == (revision.created_at, revision.created_at)
    assert (revision.number, revision.body, revision.title) == (1, "Protect encryption.", "")
    assert (intake.source, intake.import_run, intake.external_id, intake.idempotency_key) == (
        "import",
        run,
        "a3",
        "",
    )
    assert intake.submitted_at.isoformat() == "2026-03-01T10:00:00+00:00"
    imported = Contribution.objects.filter(process=process).order_by("pk")
    payload = RecordEntry.objects.get(kind="submissions.imported").payload
    assert (payload["first_tracking_number"], payload["last_tracking_number"]) == (
        imported.first().tracking_number,  # numbered from their ids, like every contribution
        imported.last().tracking_number,
    )


def test_import_headers_match_however_they_are_written(tmp_path, process, secretariat):
    path = tmp_path / "inputs.csv"
    path.write_text(
        "Text,Author name,Stakeholder Group,Country,External-ID\n"
        "Keep spectrum open for community networks.,Ana Lima,Civil society,BR,e-1\n"
        "Another view on spectrum.,Bo,martians,BR,e-2\n",
        encoding="utf-8",
    )

    run = import_submissions(actor=secretariat, process=process, path=path)

    imported = Contribution.objects.get(process=process)
    assert (run.rows_ok, run.rows_rejected) == (1, 1)
    assert (imported.author_name, imported.stakeholder_group, imported.country) == (
        "Ana Lima",
        "civil_society",
        "BR",
    )
    assert run.errors[0]["line"] == 3


def test_a_language_column_is_stored_checked_and_may_be_blank(process, secretariat, tmp_path):
    path = tmp_path / "letters.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"text": text, "language": language})
            for text, language in [
                ("Ouvrir l'internet.", "fr"),
                ("Keep it open.", ""),
                ("Unknown tongue.", "xx"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    run = import_submissions(actor=secretariat, process=process, path=path)

    assert (run.rows_ok, run.rows_rejected) == (2, 1)
    assert run.errors[0]["line"] == 3
    assert "language" in run.errors[0]["errors"]
    stored = dict(Contribution.objects.filter(process=process).values_list("body", "language"))
    assert stored == {"Ouvrir l'internet.": "fr", "Keep it open.": ""}
